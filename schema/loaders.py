"""DataLoaders for one request: every relationship of a page is read in one
query, whatever the number of parents.

Created fresh per request (a loader caches what it read, and a cache must not
outlive the request that filled it). Every read takes the caller's places, so a node
of another place is read as no node and never listed as a neighbour (no caller: no
place at all). The driver is synchronous, so each batch
runs in a worker thread and the event loop stays free.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from neo4j import Driver
from strawberry.dataloader import DataLoader

from graph.access import Caller
from graph.models import anchors as a
from graph.models import organisations as o
from graph.models import people as p
from graph.models import places as pl
from graph.models import taxonomy as t
from graph.models.access import PersonalDetails
from graph.models.base import NodeModel
from graph.services import explore_links as links
from graph.services.explore_nodes import MODEL_LABELS, nodes_by_ids
from graph.services.personal import personal_details
from graph.vocabulary import Label
from schema.resolving import places_of

__all__ = ["Loaders", "NetworkLoaders"]

T = TypeVar("T")
M = TypeVar("M", bound=NodeModel)

BatchRead = Callable[[Driver, str, Sequence[str]], list[T]]


class ScopedRead(Protocol[T]):
    """A batch read that takes the places it may read in (``Caller.places_param``)."""

    def __call__(
        self, driver: Driver, database: str, ids: Sequence[str], *, places: Sequence[str] | None
    ) -> list[T]: ...


@dataclass(frozen=True)
class NetworkLoaders:
    """An organisation's ties and people count as they held on one day."""

    referrals: DataLoader[str, list[links.Tie]]
    partners: DataLoader[str, list[links.Tie]]
    people_counts: DataLoader[str, int]


class Loaders:
    """The request's loaders: nodes by label, and each relationship by parent id."""

    def __init__(self, driver: Driver, database: str, caller: Caller | None = None) -> None:
        self._driver = driver
        self._database = database
        self._caller = caller
        self._places = places_of(caller)

        self.person = self._nodes(p.Person)
        self.skill = self._nodes(t.Skill)
        self.occupation = self._nodes(t.Occupation)
        self.qualification = self._nodes(t.Qualification)
        self.organisation = self._nodes(o.CommunityOrganisation)
        self.service = self._nodes(o.Service)
        self.anchor = self._nodes(a.AnchorInstitution)
        self.department = self._nodes(a.Department)
        self.vacancy = self._nodes(a.Vacancy)
        self.property = self._nodes(pl.Property)
        self.area = self._nodes(pl.Area)

        self.linked: dict[links.Link, DataLoader[str, list[str]]] = {
            link: self._batch(self._scoped(_linked(link))) for link in links.Link
        }
        self.supporters = self._batch(self._scoped(links.person_supporters))
        self._today = self._network(None)
        self._days: dict[date, NetworkLoaders] = {}
        self.referrals = self._today.referrals
        self.partners = self._today.partners
        self.occupation_skills = self._batch(links.occupation_skills)
        self.people_counts = self._today.people_counts
        self.property_owners = self._batch(self._scoped(links.property_owners))
        self.personal = self._batch(self._personal)

        by_model: dict[type[NodeModel], DataLoader[str, Any]] = {
            p.Person: self.person,
            t.Skill: self.skill,
            t.Occupation: self.occupation,
            t.Qualification: self.qualification,
            o.CommunityOrganisation: self.organisation,
            o.Service: self.service,
            a.AnchorInstitution: self.anchor,
            a.Department: self.department,
            a.Vacancy: self.vacancy,
            pl.Property: self.property,
            pl.Area: self.area,
        }
        self._by_label = {label: by_model[model] for label, model in MODEL_LABELS.items()}

    def node(self, label: Label) -> DataLoader[str, Any]:
        """The node loader of ``label`` (one of the explorable labels)."""
        return self._by_label[label]

    def network(self, day: date | None) -> NetworkLoaders:
        """The ties and people counts as they held on ``day`` (None: today); one set of
        loaders a day, so a page asked about one day still reads each kind once."""
        if day is None:
            return self._today
        if day not in self._days:
            self._days[day] = self._network(day)
        return self._days[day]

    def _network(self, day: date | None) -> NetworkLoaders:
        def counts(driver: Driver, database: str, ids: Sequence[str]) -> list[int]:
            return links.people_counts(driver, database, ids, day, places=self._places)

        return NetworkLoaders(
            referrals=self._batch(self._scoped(_ties(links.TieKind.REFERRALS, day))),
            partners=self._batch(self._scoped(_ties(links.TieKind.PARTNERS, day))),
            people_counts=self._batch(counts),
        )

    def _personal(
        self, driver: Driver, database: str, ids: Sequence[str]
    ) -> list[PersonalDetails | None]:
        # The caller travels with the read: the guard lives in the graph service.
        if self._caller is None:
            return [None for _ in ids]
        found = personal_details(driver, database, self._caller, ids)
        return [found.get(ident) for ident in ids]

    def _batch(self, read: BatchRead[T]) -> DataLoader[str, T]:
        async def load(ids: list[str]) -> list[T]:
            return await asyncio.to_thread(read, self._driver, self._database, ids)

        return DataLoader(load_fn=load)

    def _scoped(self, read: ScopedRead[T]) -> BatchRead[T]:
        def scoped(driver: Driver, database: str, ids: Sequence[str]) -> list[T]:
            return read(driver, database, ids, places=self._places)

        return scoped

    def _nodes(self, model: type[M]) -> DataLoader[str, M | None]:
        def read(
            driver: Driver, database: str, ids: Sequence[str], *, places: Sequence[str] | None
        ) -> list[M | None]:
            return nodes_by_ids(driver, database, model, ids, places=places)

        return self._batch(self._scoped(read))


def _linked(link: links.Link) -> ScopedRead[list[str]]:
    def read(
        driver: Driver, database: str, ids: Sequence[str], *, places: Sequence[str] | None
    ) -> list[list[str]]:
        return links.linked_ids(driver, database, link, ids, places=places)

    return read


def _ties(kind: links.TieKind, day: date | None) -> ScopedRead[list[links.Tie]]:
    def read(
        driver: Driver, database: str, ids: Sequence[str], *, places: Sequence[str] | None
    ) -> list[list[links.Tie]]:
        return links.ties(driver, database, kind, ids, as_of=day, places=places)

    return read
