"""What editors change (DESIGN §6): drafts, submissions, proposed revisions, verification.

A new service is a draft until submitted, then `pending` until an admin approves it. A change
to a published service is a `Revision`; the public page keeps the published version until the
revision is approved. Every write records an audit event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import (
    AuditEvent,
    Revision,
    RevisionState,
    Service,
    ServiceStatus,
    User,
)
from ...models.reference import utcnow
from .. import audit
from ..fields import apply_fields, changed_fields, fields_of


class EditConflict(Exception):
    """Someone else saved the service since the form was opened; nothing was overwritten."""

    def __init__(self, current: dict, by: User | None):
        super().__init__("edit conflict")
        self.current = current
        self.by = by


class NotPending(Exception):
    """The service or revision is not waiting for a decision (decided or withdrawn already)."""


def pending_revision(service: Service) -> Revision | None:
    return db.session.scalar(select(Revision).where(
        Revision.service_id == service.id, Revision.state == RevisionState.pending)
        .order_by(Revision.id.desc()))


def current_fields(service: Service) -> dict:
    """What an editor edits: the pending revision's proposal if any, else the service itself."""
    revision = pending_revision(service) if service.status is ServiceStatus.published else None
    return dict(revision.fields) if revision else fields_of(service)


def stamp(service: Service) -> str:
    """A token of the state a form was opened on; a save from an older state is refused."""
    revision = pending_revision(service) if service.status is ServiceStatus.published else None
    proposal = json.dumps(revision.fields, sort_keys=True) if revision else ""
    digest = hashlib.sha256(proposal.encode()).hexdigest()[:12]
    return f"{service.version}.{revision.id if revision else 0}.{digest}"


def last_author(service: Service) -> User | None:
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity_type == "service", AuditEvent.entity_id == str(service.id),
        AuditEvent.user_id.is_not(None)).order_by(AuditEvent.id.desc()))
    return event.user if event else None


@dataclass
class Saved:
    service: Service
    revision: Revision | None
    submitted: bool


def save(user: User, service: Service | None, fields: dict, *, submit: bool,
         opened_stamp: str | None) -> Saved:
    """Save an editor's form: a draft, a submission for review, or a revision of a published
    service. Refuse (EditConflict) when the service changed since `opened_stamp`."""
    if service is not None and opened_stamp != stamp(service):
        raise EditConflict(current_fields(service), last_author(service))
    if service is not None and service.status is ServiceStatus.published:
        if user.is_admin and submit:  # the federal admins may change a published entry directly
            return Saved(service, _edit_published(user, service, fields), submit)
        return Saved(service, _propose(user, service, fields, submit), submit)
    before = fields_of(service) if service is not None else None
    if service is None:
        service = Service(status=ServiceStatus.draft)
    with db.session.no_autoflush:
        apply_fields(service, fields)
    db.session.add(service)
    if submit:
        service.status = ServiceStatus.pending
    db.session.flush()
    action = "service.submitted" if submit else ("service.created" if before is None
                                                 else "service.draft_saved")
    audit.record(user, action, service, before=before, after=fields_of(service))
    db.session.commit()
    return Saved(service, None, submit)


def _edit_published(user: User, service: Service, fields: dict) -> None:
    """An admin's change to a published service: applied at once, audited; a pending proposal
    it supersedes is withdrawn."""
    before = fields_of(service)
    with db.session.no_autoflush:
        apply_fields(service, fields)
    revision = pending_revision(service)
    if revision is not None:
        revision.state, revision.decided_at = RevisionState.withdrawn, utcnow()
    service.last_verified_at = utcnow()
    db.session.flush()
    audit.record(user, "service.edited", service, before=before, after=fields_of(service))
    db.session.commit()
    return None


def _propose(user: User, service: Service, fields: dict, submit: bool) -> Revision | None:
    """Record a proposed change to a published service; the public page does not change."""
    revision = pending_revision(service)
    if changed_fields(fields_of(service), fields) == [] and revision is None:
        return None
    if revision is None:
        revision = Revision(service=service, author_id=user.id, fields=fields,
                            base_version=service.version)
        db.session.add(revision)
    else:
        revision.fields = fields
        revision.author_id = user.id
    db.session.flush()
    audit.record(user, "revision.proposed", revision, before=fields_of(service), after=fields)
    db.session.commit()
    return revision


def withdraw(user: User, revision: Revision) -> None:
    if revision.state is not RevisionState.pending:
        raise NotPending()
    revision.state = RevisionState.withdrawn
    revision.decided_at = utcnow()
    audit.record(user, "revision.withdrawn", revision)
    db.session.commit()


def verify(user: User, service: Service) -> None:
    """Record that an editor checked the published entry and it is still accurate."""
    before = {"last_verified_at": _iso(service.last_verified_at)}
    service.last_verified_at = utcnow()
    audit.record(user, "service.verified", service, before=before,
                 after={"last_verified_at": _iso(service.last_verified_at)})
    db.session.commit()


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def propose_restore(user: User, service: Service, fields: dict, event_id: int) -> Revision:
    """Propose an earlier version of a service as a change, to be reviewed like any other."""
    revision = pending_revision(service)
    if revision is None:
        revision = Revision(service=service, author_id=user.id, fields=fields,
                            base_version=service.version)
        db.session.add(revision)
    else:
        revision.fields, revision.author_id = fields, user.id
    db.session.flush()
    audit.record(user, "revision.restore_proposed", revision, before=fields_of(service),
                 after=dict(fields, restored_from_event=event_id))
    db.session.commit()
    return revision
