"""Coverage: for every commune and kind of mediation, who serves its residents, if anyone.

A commune is served by its *own* service when a service covering it is run by the commune's own
administration or CPAS (`Organization.refnis`) or covers that commune alone; by a *shared*
service when only services covering several communes reach it (intercommunal, police zone,
provincial network, a neighbour's service); otherwise *none* is known.

The public coverage is computed once per version of the directory (`PerVersion`: the stamp
changes whenever a service is written, in whichever worker) and kept as plain values, so that
every page, the CSV and the map image read it without touching the database again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Commune,
    Organization,
    Province,
    Region,
    Service,
    ServiceArea,
    ServiceStatus,
    service_types,
)
from .places import AreaName, CommunePlace
from .search import PerVersion

STATES = ("own", "shared", "none")  # best first
ANY_KIND = ""  # every kind of mediation together, and services of no kind


@dataclass
class CommuneCoverage:
    commune: CommunePlace
    states: dict[str, str] = field(default_factory=dict)  # kind code ("" for any) -> state

    def state(self, kind: str = ANY_KIND) -> str:
        return self.states.get(kind, "none")


@dataclass
class AreaCount:
    kind: str  # "region" | "province" | "country"
    code: str
    counts: Counter

    @property
    def total(self) -> int:
        return sum(self.counts[state] for state in STATES)


# Two answers, the communes and the names of the areas (PerVersion starts afresh when full).
_published = PerVersion(size=3)


def coverage(communes=None) -> list[CommuneCoverage]:
    """Every active commune (or those the SELECT `communes` names) with its state per kind, counting
    published services only; computed once per version of the directory.

    The rows are shared by every request of this version: read them, never change them.
    """
    rows = _published.get("communes", compute)
    if communes is None:
        return rows
    wanted = set(db.session.scalars(communes))
    return [row for row in rows if row.commune.refnis in wanted]


def area_names() -> dict[str, AreaName]:
    """Every region and province by code."""
    return _published.get("areas", read_area_names)


def read_area_names() -> dict[str, AreaName]:
    return {area.code: AreaName(area.code, area.name_fr, area.name_nl, area.name_de, area.name_en)
            for model in (Region, Province) for area in db.session.scalars(select(model))}


def compute() -> list[CommuneCoverage]:
    """Every active commune with its state per kind, counting published services."""
    areas = read_area_names()
    rows = {c.refnis: CommuneCoverage(CommunePlace.of(c, areas[c.province_code or c.region_code]))
        for c in db.session.scalars(select(Commune).where(Commune.active)
                                    .order_by(Commune.refnis))}

    counted = select(Service.id).where(Service.status == ServiceStatus.published)
    width = dict(db.session.execute(
        select(ServiceArea.service_id, func.count(ServiceArea.refnis))
        .where(ServiceArea.service_id.in_(counted)).group_by(ServiceArea.service_id)).all())
    owner = dict(db.session.execute(
        select(Service.id, Organization.refnis).join(Organization, isouter=True)
        .where(Service.id.in_(counted))).all())
    kinds: dict[int, list[str]] = {}
    for service_id, code in db.session.execute(
            select(service_types.c.service_id, service_types.c.type_code)
            .where(service_types.c.service_id.in_(counted))):
        kinds.setdefault(service_id, []).append(code)

    for service_id, refnis in db.session.execute(
            select(ServiceArea.service_id, ServiceArea.refnis)
            .where(ServiceArea.service_id.in_(counted))):
        row = rows.get(refnis)
        if row is None:
            continue
        state = "own" if owner.get(service_id) == refnis or width[service_id] == 1 else "shared"
        for kind in [ANY_KIND, *kinds.get(service_id, [])]:
            if STATES.index(state) < STATES.index(row.state(kind)):
                row.states[kind] = state
    return list(rows.values())


def area_counts(rows: list[CommuneCoverage], kind: str = ANY_KIND) -> list[AreaCount]:
    """Counts of communes per state, for the country, then each region, then each province."""
    areas: dict[tuple[str, str], Counter] = {("country", ""): Counter()}
    for row in rows:
        keys = [("country", ""), ("region", row.commune.region_code)]
        if row.commune.province_code:
            keys.append(("province", row.commune.province_code))
        for key in keys:
            areas.setdefault(key, Counter())[row.state(kind)] += 1
    order = {"country": 0, "region": 1, "province": 2}
    return [AreaCount(k, code, counts)
            for (k, code), counts in sorted(areas.items(), key=lambda i: (order[i[0][0]], i[0][1]))]


CSV_STATIC_COLUMNS = ("refnis", "name_fr", "name_nl", "name_de", "region", "province", "lat",
                      "lon", "any_kind")


def csv_rows(rows: list[CommuneCoverage], kinds: list[str]):
    """The CSV download: a header of stable keys, then one line per commune (states as codes)."""
    yield [*CSV_STATIC_COLUMNS, *kinds]
    for row in rows:
        c = row.commune
        yield [c.refnis, c.name_fr, c.name_nl, c.name_de or "", c.region_code,
               c.province_code or "", f"{c.lat:.5f}", f"{c.lon:.5f}", row.state(ANY_KIND),
               *(row.state(kind) for kind in kinds)]
