"""Per-request GraphQL context: the process's driver and settings, never a session,
and DataLoaders made for this request alone."""

from __future__ import annotations

from neo4j import Driver
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from graph.access import Caller
from graph.services.candidate_index import CandidateIndexHolder
from graph.services.funnel_rows import FollowedFunnels
from graph.services.kept_answers import KeptAnswers
from graph.settings import Neo4jSettings
from schema.loaders import Loaders


class GraphContext(BaseContext):
    def __init__(
        self,
        driver: Driver,
        neo4j: Neo4jSettings,
        caller: Caller | None = None,
        auth_error: str | None = None,
        candidate_index: CandidateIndexHolder | None = None,
        kept_answers: KeptAnswers | None = None,
        funnels: FollowedFunnels | None = None,
        seen_transaction: int | None = None,
    ) -> None:
        super().__init__()
        self.driver = driver
        self.neo4j = neo4j
        # Who is asking (None: nobody signed in), or why their credential was refused.
        self.caller = caller
        self.auth_error = auth_error
        self.candidate_index = candidate_index
        # The process's kept heavy answers (None: every question computed afresh).
        self.kept_answers = kept_answers
        # Anchors' pipelines kept person by person (None: each funnel read whole).
        self.funnels = funnels
        # The last commit the database had made when this request's credential was
        # checked: kept answers and funnels that have reached it skip their catch-up.
        self.seen_transaction = seen_transaction
        self.loaders = Loaders(driver, neo4j.database, caller)

    @property
    def database(self) -> str:
        return self.neo4j.database


# What every resolver of this schema receives as ``info``.
GraphInfo = Info[GraphContext, None]
