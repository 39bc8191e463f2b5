"""Reads of the admin area: what needs action, the services table, a service's history."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, exists, func, or_, select

from ...extensions import db
from ...models import (
    AccessRequest,
    AccessRequestState,
    AuditEvent,
    Commune,
    ErrorReport,
    ErrorReportStatus,
    Location,
    Revision,
    RevisionState,
    Service,
    ServiceArea,
    ServiceStatus,
    User,
    service_types,
)
from ..moderation.diff import diff
from ..permissions import manageable, territory_communes
from .states import (
    due_condition,
    state_condition,
    state_of,
    states_of,
    to_complete_condition,
)

PER_PAGE = 50
__all__ = ["action_counts", "freshness", "history", "in_scope", "missing_for_publication",
           "service_table", "state_of", "states_of", "version_after", "communes_in_scope"]


def in_scope(user: User, service: Service) -> bool:
    return db.session.scalar(select(Service.id).where(
        Service.id == service.id, manageable(user))) is not None


def communes_in_scope(user: User):
    """A statement of the REFNIS of the active communes this admin answers for."""
    if user.is_national_admin:
        return select(Commune.refnis).where(Commune.active)
    return territory_communes(user).where(Commune.active)


def action_counts(user: User) -> dict[str, int]:
    """What waits for this admin, each count matching the list it links to."""
    scope = manageable(user)
    new = db.session.scalar(select(func.count(Service.id)).where(
        Service.status == ServiceStatus.pending, scope))
    revisions = db.session.scalar(select(func.count(Revision.id)).join(Service).where(
        Revision.state == RevisionState.pending, scope))
    requests = db.session.scalar(select(func.count(AccessRequest.id)).where(
        AccessRequest.state == AccessRequestState.open,
        or_(AccessRequest.refnis.in_(communes_in_scope(user)),
            AccessRequest.refnis.is_(None) if user.is_national_admin else False)))
    reports = db.session.scalar(select(func.count(ErrorReport.id)).join(Service).where(
        ErrorReport.status == ErrorReportStatus.open, scope))
    due = db.session.scalar(select(func.count(Service.id)).where(due_condition(), scope))
    covered = select(ServiceArea.refnis).join(Service).where(
        Service.status == ServiceStatus.published)
    uncovered = db.session.scalar(select(func.count(Commune.refnis)).where(
        Commune.refnis.in_(communes_in_scope(user)), Commune.refnis.not_in(covered)))
    to_complete = db.session.scalar(select(func.count(Service.id)).where(
        to_complete_condition(), scope))
    return {"review": new + revisions, "requests": requests, "reports": reports, "due": due,
            "uncovered": uncovered, "to_complete": to_complete}


def missing_for_publication(services) -> dict[int, list[str]]:
    """{service id: what it lacks before it can be published, in words} for a page of
    services: a kind, a commune, a phone or e-mail, and per language its communes need a name
    and a description (or the standard text of one of its kinds)."""
    from ...labels import language_name
    from ..fields import TEXT_LANGUAGES, described, fields_of, kind_texts, required_languages

    standard = kind_texts()
    missing = {}
    for service in services:
        fields, found = fields_of(service), []
        if not fields["types"]:
            found.append(_("a kind of mediation"))
        if not fields["communes"]:
            found.append(_("the communes it covers"))
        if not (fields["phone"] or fields["email"]):
            found.append(_("a phone number or an e-mail address"))
        for lang in required_languages(fields["communes"]):
            if lang not in TEXT_LANGUAGES:
                continue
            if not fields["texts"]["name"].get(lang, "").strip():
                found.append(_("the name in %(language)s", language=language_name(lang)))
            if not described(fields, lang, standard):
                found.append(_("the description in %(language)s", language=language_name(lang)))
        missing[service.id] = found
    return missing


def freshness(user: User) -> list[tuple[str, str, int, int]]:
    """(kind, region or province code, verified within interval, published) per area, by
    the commune of each published service's main office."""
    due = case((due_condition(), 0), else_=1)
    rows = []
    for kind, column in (("region", Commune.region_code), ("province", Commune.province_code)):
        rows += [(kind, code, int(fresh), total) for code, fresh, total in db.session.execute(
            select(column, func.sum(due), func.count(Service.id))
            .join(Location, (Location.service_id == Service.id) & (Location.position == 0))
            .join(Commune, Commune.refnis == Location.refnis)
            .where(Service.status == ServiceStatus.published, manageable(user),
                   column.is_not(None))
            .group_by(column))]
    return sorted(rows)


@dataclass
class TablePage:
    services: list[Service]
    total: int
    page: int
    states: dict[int, str]
    per_page: int = PER_PAGE
    missing: dict[int, list[str]] | None = None  # the "to complete" list: what each lacks

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def filtered_services(user: User, form):
    """The statement of the services the table's filters select (in this admin's scope)."""
    query = select(Service).where(manageable(user))
    if form.value("state"):
        query = query.where(state_condition(form.value("state")))
    if form.value("kind"):
        query = query.where(exists().where(service_types.c.service_id == Service.id,
                                           service_types.c.type_code == form.value("kind")))
    if form.value("region") or form.value("province"):
        communes = select(Commune.refnis)
        if form.value("region"):
            communes = communes.where(Commune.region_code == form.value("region"))
        if form.value("province"):
            communes = communes.where(Commune.province_code == form.value("province"))
        query = query.where(or_(
            Service.id.in_(select(ServiceArea.service_id).where(ServiceArea.refnis.in_(communes))),
            Service.id.in_(select(Location.service_id).where(Location.refnis.in_(communes)))))
    if form.value("demo") in ("yes", "no"):
        query = query.where(Service.is_demo.is_(form.value("demo") == "yes"))
    from ...gazetteer import normalise

    for word in normalise(form.q.data or "").split():
        query = query.where(Service.search_key.contains(word, autoescape=True))
    sort = form.value("sort") or "name"
    order = {"name": [Service.search_key, Service.id],
             "updated": [Service.updated_at.desc(), Service.id],
             "verified": [Service.last_verified_at.asc().nulls_first(), Service.id]}[sort]
    return query.order_by(*order)


def service_table(user: User, form) -> TablePage:
    """One page of the filtered services, counted and cut in the database."""
    query = filtered_services(user, form)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = form.page_number()
    services = db.session.scalars(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    missing = missing_for_publication(services) if form.value("state") == "to_complete" else None
    return TablePage(services, total, page, states_of(services), missing=missing)


@dataclass
class HistoryEntry:
    event: AuditEvent
    changes: list
    restorable: bool


def history(service: Service) -> list[HistoryEntry]:
    """Every audited change of the service and its revisions, newest first, with differences."""
    revision_ids = [str(r) for r in db.session.scalars(
        select(Revision.id).where(Revision.service_id == service.id))]
    events = db.session.scalars(select(AuditEvent).where(or_(
        (AuditEvent.entity_type == "service") & (AuditEvent.entity_id == str(service.id)),
        (AuditEvent.entity_type == "revision") & AuditEvent.entity_id.in_(revision_ids),
    )).order_by(AuditEvent.id.desc())).all()
    entries = []
    for event in events:
        full = _is_full(event.after)
        changes = diff(event.before if _is_full(event.before) else None, event.after) \
            if full and event.before is not None else []
        # Unsubmitted work was never reviewed: it is shown, not offered for restoring.
        entries.append(HistoryEntry(event, changes,
                                    restorable=full and event.action != "revision.draft_saved"))
    return entries


def _is_full(snapshot) -> bool:
    return isinstance(snapshot, dict) and "texts" in snapshot and "communes" in snapshot


def version_after(service: Service, event_id: int) -> dict | None:
    """The service's fields as one audited change left them, or None."""
    if not 0 < event_id < 2**31:  # beyond any id, and beyond what the database can compare
        return None
    event = db.session.get(AuditEvent, event_id)
    if event is None or not _is_full(event.after):
        return None
    if not any(entry.event.id == event.id for entry in history(service)):
        return None
    return dict(event.after)
