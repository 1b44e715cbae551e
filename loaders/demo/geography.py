"""The demo place's geography: one local authority, its wards and LSOAs, streets
and postcodes.

Every code here is illustrative. They follow the ONS pattern (E08 metropolitan
district, E05 ward, E01 LSOA) but are chosen outside the ranges in use, and the
``RV`` postcode area does not exist, so nothing points at a real street.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

__all__ = [
    "COUNCIL_LSOA",
    "HOSPITAL_LSOA",
    "HUB_LSOA",
    "LOCAL_AUTHORITY_ID",
    "Geography",
    "POCKET_WARD",
    "UNIVERSITY_LSOA",
    "build_geography",
]

LOCAL_AUTHORITY_ID = "E08000090"
LOCAL_AUTHORITY_NAME = "Riverbridge"

# Where the fixed landmarks stand, by LSOA index (three LSOAs a ward).
HUB_LSOA = 1  # Eastbrook: the hub is in the neighbourhood, away from the hospital
HOSPITAL_LSOA = 4  # Canalside
COUNCIL_LSOA = 7  # St Anne's
UNIVERSITY_LSOA = 5  # Canalside
# Northgate: furthest from the hub, where the groups nobody refers on meet.
POCKET_WARD = 3

_WARD_NAMES = (
    "Eastbrook", "Canalside", "St Anne's", "Northgate", "Millfield", "Harbour Lane",
    "Ropewalk", "Kingsmead", "Ashgrove", "Foundry", "Weavers", "Hollins", "Brookside",
    "Tannery", "Chapel End", "Marsh Gate", "Old Quay", "Lime Street", "Cotton Row",
    "Bridgend",
)  # fmt: skip

_STREETS = (
    "Albion Street", "Brook Road", "Canal Walk", "Dale Terrace", "Elm Grove", "Foundry Lane",
    "Gladstone Road", "Hope Street", "Ivy Close", "Jubilee Avenue", "Kelvin Road",
    "Lock Street", "Mill Lane", "Nelson Row", "Orchard Way", "Park Crescent", "Quarry Hill",
    "Railway Terrace", "Station Road", "Tower Street", "Union Place", "Victoria Road",
    "Wharf Street", "York Place", "Alma Road", "Beech Avenue", "Cobden Street", "Dock Road",
    "Exchange Street", "Forge Close", "Granby Row", "Hawthorn Road", "Inkerman Street",
    "Jersey Street", "Kirkgate", "Linden Grove", "Market Street", "New Wakefield Street",
    "Oxford Place", "Peel Street", "Queen's Road", "Raglan Street", "Spinners Way",
    "Thornton Street", "Upper Brook Street", "Vine Street", "Waterloo Road", "Yarn Lane",
)  # fmt: skip

# Postcode unit letters never include C, I, K, M, O or V.
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_LSOAS_PER_WARD = 3
_STREETS_PER_LSOA = 4


@dataclass(frozen=True)
class Geography:
    """Area rows and what people and organisations need to live somewhere."""

    rows: tuple[dict[str, object], ...]
    lsoa_ids: tuple[str, ...]
    ward_ids: tuple[str, ...]

    def ward_of(self, lsoa: int) -> int:
        return lsoa // _LSOAS_PER_WARD

    def pocket_lsoas(self) -> tuple[int, ...]:
        first = POCKET_WARD * _LSOAS_PER_WARD
        return tuple(range(first, first + _LSOAS_PER_WARD))

    def address(self, lsoa: int, rng: Random) -> tuple[str, str]:
        """A made-up street address and postcode in this LSOA."""
        streets = _STREETS_PER_LSOA
        street = _STREETS[(lsoa * streets + rng.randrange(streets)) % len(_STREETS)]
        district = f"RV{self.ward_of(lsoa) + 1}"
        sector = lsoa % _LSOAS_PER_WARD + 1
        unit = rng.choice(_UNIT_LETTERS) + rng.choice(_UNIT_LETTERS)
        return f"{rng.randint(1, 180)} {street}, Riverbridge", f"{district} {sector}{unit}"


def build_geography(people: int) -> Geography:
    """Twelve LSOAs in four wards for the default place; more as the place grows,
    keeping LSOAs near their real size of about 1,500 residents."""
    lsoa_count = max(12, people // 1500)
    ward_count = -(-lsoa_count // _LSOAS_PER_WARD)
    rows: list[dict[str, object]] = [
        {"id": LOCAL_AUTHORITY_ID, "name": LOCAL_AUTHORITY_NAME, "kind": "local_authority"}
    ]
    ward_ids = tuple(f"E05{90001 + w:06d}" for w in range(ward_count))
    for w, ward_id in enumerate(ward_ids):
        name = _WARD_NAMES[w] if w < len(_WARD_NAMES) else f"Riverbridge Ward {w + 1}"
        rows.append({"id": ward_id, "name": name, "kind": "ward", "parent_id": LOCAL_AUTHORITY_ID})
    lsoa_ids = tuple(f"E01{90001 + i:06d}" for i in range(lsoa_count))
    for i, lsoa_id in enumerate(lsoa_ids):
        ward = i // _LSOAS_PER_WARD
        letter = "ABC"[i % _LSOAS_PER_WARD]
        rows.append(
            {
                "id": lsoa_id,
                "name": f"{LOCAL_AUTHORITY_NAME} {ward + 1:03d}{letter}",
                "kind": "lsoa",
                "parent_id": ward_ids[ward],
            }
        )
    return Geography(tuple(rows), lsoa_ids, ward_ids)
