"""A commune's answer as the search page shows it: its services by kind, and the next step for
each kind of mediation no known service offers its residents."""

from __future__ import annotations

from dataclasses import dataclass

from ..directory.reading.search import Coverage, Hit
from ..i18n import GERMAN_LANGUAGE_AREA
from ..models import ServiceType

# The kinds a commune's answer always accounts for, even without a filter: those a resident
# most often looks for, each with its own next step.
MAIN_KINDS = ("neighbourhood", "sac", "school")
FLANDERS, WALLONIA, BRUSSELS = "02000", "03000", "04000"


@dataclass(frozen=True)
class SchoolBody:
    """A community's school mediation, where to turn when no commune offers one."""

    community: str  # "fr", "nl" or "de": which paragraph of the page names it
    url: str


SCHOOL_BODIES = {
    "fr": SchoolBody("fr", "https://www.enseignement.be/"),
    "nl": SchoolBody("nl", "https://onderwijs.vlaanderen.be/"),
    "de": SchoolBody("de", "https://ostbelgienbildung.be/"),
}


def kind_groups(coverage: Coverage, kind: str | None) -> list[tuple[str, list[Hit]]]:
    """The covering services grouped by kind, each under the first kind it offers (taxonomy order).

    With a kind asked for, one group: the services offering it.
    """
    if kind:
        return [(kind, coverage.covering)] if coverage.covering else []
    groups: dict[str, list[Hit]] = {}
    for hit in coverage.covering:
        first = next((c for c in ServiceType.CODES if c in hit.service.type_codes), "other")
        groups.setdefault(first, []).append(hit)
    return [(code, groups[code]) for code in ServiceType.CODES if code in groups]


def missing_kinds(coverage: Coverage, kind: str | None) -> list[str]:
    """The kinds asked for (or the main ones) that no service covering the commune offers."""
    offered = coverage.kinds()
    wanted = (kind,) if kind else MAIN_KINDS
    return [code for code in wanted if code not in offered]


def school_bodies(refnis: str, region_code: str) -> list[SchoolBody]:
    """The communities whose schools a resident's child may attend, by the commune's region."""
    if refnis in GERMAN_LANGUAGE_AREA:
        return [SCHOOL_BODIES["de"], SCHOOL_BODIES["fr"]]
    if region_code == BRUSSELS:
        return [SCHOOL_BODIES["fr"], SCHOOL_BODIES["nl"]]
    if region_code == FLANDERS:
        return [SCHOOL_BODIES["nl"]]
    return [SCHOOL_BODIES["fr"]]


def shows_elsewhere(kind: str | None) -> bool:
    """SAC mediation belongs to the commune that imposed the sanction: nothing nearby can stand in."""
    return kind != "sac"
