"""Where a service stands: its state for staff, and when it is due for verification."""

from datetime import datetime, timedelta, timezone

from sqlalchemy import String, and_, cast, exists, func, not_, or_, select

from ...extensions import db
from ...models import Revision, RevisionState, Service, ServiceStatus
from ...models.reference import utcnow
from ..fields import UPDATE_INTERVALS

DAYS_PER_MONTH = 30


def aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite gives back naive UTC
        return moment.replace(tzinfo=timezone.utc)
    return moment


def due_at(service: Service) -> datetime | None:
    """When the entry should be checked again: its last check plus its update interval."""
    checked = aware(service.last_verified_at)
    if checked is None:
        return None
    return checked + timedelta(days=DAYS_PER_MONTH * (service.update_interval_months or 6))


def is_due(service: Service, now: datetime | None = None) -> bool:
    if service.status is not ServiceStatus.published:
        return False
    due = due_at(service)
    return due is None or due <= (now or utcnow())


def state_of(service: Service, changes_pending: bool | None = None) -> str:
    """draft | pending | published | changes_pending | due | archived.

    `changes_pending`: whether a revision awaits review, when the caller knows it already
    (see `states_of`); otherwise it is looked up."""
    if service.status is ServiceStatus.published:
        if changes_pending is None:
            changes_pending = service.id in services_with_changes_pending([service.id])
        if changes_pending:
            return "changes_pending"
        return "due" if is_due(service) else "published"
    return service.status.value


def services_with_changes_pending(service_ids) -> set[int]:
    """The ids, among these, of services with a revision awaiting review (one query)."""
    ids = list(service_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Revision.service_id).where(
        Revision.service_id.in_(ids), Revision.state == RevisionState.pending)))


def states_of(services) -> dict[int, str]:
    """{service id: state} of several services, with one query for their revisions."""
    pending = services_with_changes_pending(s.id for s in services)
    return {s.id: state_of(s, s.id in pending) for s in services}


def returned_ids(services) -> set[int]:
    """The ids, among these services, whose last submission an admin returned with a comment
    and that were not submitted again: a draft with a reason, or a published service whose
    latest submitted revision was rejected."""
    services = list(services)
    returned = {s.id for s in services
                if s.status is ServiceStatus.draft and s.returned_reason}
    published = [s.id for s in services if s.status is ServiceStatus.published]
    if published:
        latest = (select(Revision.service_id, func.max(Revision.id).label("last"))
                  .where(Revision.service_id.in_(published),
                         Revision.state != RevisionState.draft)
                  .group_by(Revision.service_id).subquery())
        returned |= set(db.session.scalars(
            select(Revision.service_id).join(latest, Revision.id == latest.c.last)
            .where(Revision.state == RevisionState.rejected)))
    return returned


# The same states as conditions on Service, so that lists filter and count in the database.

def due_condition(now: datetime | None = None):
    """Published and never checked, or checked longer ago than its update interval."""
    now = now or utcnow()
    return and_(Service.status == ServiceStatus.published, or_(
        Service.last_verified_at.is_(None),
        *(and_(Service.update_interval_months == months,
               Service.last_verified_at <= now - timedelta(days=DAYS_PER_MONTH * months))
          for months in UPDATE_INTERVALS)))


def changes_pending_condition():
    return exists().where(Revision.service_id == Service.id,
                          Revision.state == RevisionState.pending)


def state_condition(state: str):
    """The condition selecting the services `state_of` gives this state."""
    published = Service.status == ServiceStatus.published
    if state == "changes_pending":
        return and_(published, changes_pending_condition())
    if state == "due":
        return and_(due_condition(), not_(changes_pending_condition()))
    if state == "published":
        return and_(published, not_(changes_pending_condition()), not_(due_condition()))
    if state == "to_complete":
        return to_complete_condition()
    return Service.status == ServiceStatus(state)


def to_complete_condition():
    """Drafts that entered through an import (a row that lacked what publication needs): the
    admins complete them, no editor works on them."""
    from ...models import AuditEvent

    imported = exists().where(AuditEvent.entity_type == "service",
                              AuditEvent.action == "service.imported",
                              AuditEvent.entity_id == cast(Service.id, String))
    return and_(Service.status == ServiceStatus.draft, Service.submitted_at.is_(None), imported)
