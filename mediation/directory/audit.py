"""The audit trail: every write to the directory leaves one event."""

from ..extensions import db
from ..models import AuditEvent


def record(user, action: str, entity, before: dict | None = None, after: dict | None = None):
    """Add an audit event for `action` on `entity` to the session (committed with the write)."""
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        action=action,
        entity_type=type(entity).__name__.lower(),
        entity_id=str(getattr(entity, "id", None) or getattr(entity, "refnis", None)
                      or getattr(entity, "code", "")),
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def record_many(user, action: str, entity_type: str, items: list[tuple[str, dict | None, dict | None]]):
    """Add one event per (entity id, before, after) in a single INSERT: for bulk writes."""
    if not items:
        return
    from sqlalchemy import insert

    from ..models.reference import utcnow

    now = utcnow()
    db.session.execute(insert(AuditEvent), [
        {"user_id": getattr(user, "id", None), "action": action, "entity_type": entity_type,
         "entity_id": str(entity_id), "before": before, "after": after, "at": now}
        for entity_id, before, after in items])
