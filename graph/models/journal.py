"""What one write changed, as the change journal records it beside its audit event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CREDENTIALS",
    "EVERYTHING",
    "MAX_JOURNALLED_IDS",
    "NOTHING",
    "REFERRAL_TALLY",
    "Changes",
]

# Past this many ids an entry says "everything" instead: a reader rereads whole, which
# for so large a change costs about what applying it would.
MAX_JOURNALLED_IDS = 5000

# A referral counted on a tie that was there already: its count and last-referral date
# moved, nothing else (a new tie, or a trust moved, journals REFERS_TO). Most questions
# read a tie by its being there, its type and its trust; only those that read counts or
# dates read this kind, so the hub's referrals all day long leave the rest kept.
REFERRAL_TALLY = "ReferralTally"


@dataclass(frozen=True)
class Changes:
    """The kinds (node labels, relationship types) a write touched and the keys
    (``Label:id``) of the nodes it wrote or linked. ``whole``: too many, or not known
    one by one (a reset); readers of derived state start again from the graph."""

    kinds: frozenset[str] = frozenset()
    ids: frozenset[str] = frozenset()
    whole: bool = False

    @classmethod
    def of(cls, kinds: Iterable[str], ids: Iterable[str] = ()) -> Changes:
        """The kinds named, plus the label of every ``Label:id`` key."""
        keys = frozenset(ids)
        labels = {key.split(":", 1)[0] for key in keys if ":" in key}
        if len(keys) > MAX_JOURNALLED_IDS:
            return cls(frozenset({*kinds, *labels}), frozenset(), whole=True)
        return cls(frozenset({*kinds, *labels}), keys)

    def __or__(self, other: Changes) -> Changes:
        joined = Changes.of(self.kinds | other.kinds, self.ids | other.ids)
        if self.whole or other.whole:
            return Changes(joined.kinds, frozenset(), whole=True)
        return joined


# A write that changes no fact any question reads (an audit record of a read).
NOTHING = Changes()
# A write whose changes are not known one by one.
EVERYTHING = Changes(whole=True)
# Who may use the service (API keys, revoked tokens): no question's facts.
CREDENTIALS = Changes.of({"ApiKey", "RevokedToken", "RevokedSubject"})
