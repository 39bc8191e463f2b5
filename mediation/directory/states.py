"""Where a service stands: its state for staff, and when it is due for verification."""

from datetime import datetime, timedelta, timezone

from ..models import Service, ServiceStatus
from ..models.reference import utcnow

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


def state_of(service: Service) -> str:
    """draft | pending | published | changes_pending | due | archived."""
    from .moderation import pending_revision

    if service.status is ServiceStatus.published:
        if pending_revision(service) is not None:
            return "changes_pending"
        return "due" if is_due(service) else "published"
    return service.status.value
