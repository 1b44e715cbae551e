"""People for the consent, erasure and export tests, loaded through the real loader."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from loaders.pipeline import LoadReport
from tests.loaders.helpers import load_file, load_small_place, write_csv

HEADER = ["id", "name", "email", "date_of_birth", "immigration_status", "home_area_id",
          "stage", "stage_history", "consent_scopes", "consent_given_at",
          "consent_withdrawn_at", "organisation_ids"]  # fmt: skip

AMINA = {
    "id": "p-1",
    "name": "Amina Zephyrine",
    "email": "amina.zephyrine@example.org",
    "date_of_birth": "1988-04-02",
    "immigration_status": "refugee status granted",
    "home_area_id": "E01011331",
    "stage": "engaged",
    "stage_history": "engaged@2023-01-10",
    "consent_scopes": "matching;share:org-welcome",
    "consent_given_at": "2023-01-10T10:00:00",
    "consent_withdrawn_at": "",
    "organisation_ids": "org-welcome",
}
BORIS = {**AMINA, "id": "p-2", "name": "Boris Quillfeather",
         "email": "boris.quillfeather@example.org", "date_of_birth": "1979-11-30",
         "immigration_status": "asylum seeker", "consent_scopes": "matching;share:org-english",
         "organisation_ids": "org-english"}  # fmt: skip

# Supported by org-welcome but never consented: nobody but an administrator may learn
# that they exist.
CLEM = {**AMINA, "id": "p-3", "name": "Clem Ashgrove", "email": "clem.ashgrove@example.org",
        "consent_scopes": "", "consent_given_at": ""}  # fmt: skip

PERSONAL_VALUES = {
    "p-1": ["Amina Zephyrine", "amina.zephyrine@example.org", "1988-04-02",
            "refugee status granted"],
    "p-2": ["Boris Quillfeather", "boris.quillfeather@example.org", "1979-11-30",
            "asylum seeker"],
}  # fmt: skip


def load_people(
    driver: Driver, database: str, folder: Path, name: str, *rows: dict[str, str]
) -> LoadReport:
    path = write_csv(folder / name, HEADER, [[row[h] for h in HEADER] for row in rows])
    return load_file(driver, database, "people", path, rejects_path=folder / f"{name}.rejects.csv")


def small_place(driver: Driver, database: str, folder: Path) -> None:
    load_small_place(driver, database)
    report = load_people(driver, database, folder, "survey.csv", AMINA, BORIS)
    assert report.rows_rejected == 0, report


def add_clem(driver: Driver, database: str, folder: Path) -> None:
    """p-3, who never consented, supported by org-welcome."""
    assert load_people(driver, database, folder, "clem.csv", CLEM).rows_rejected == 0
