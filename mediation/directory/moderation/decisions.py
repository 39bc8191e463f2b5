"""The admins' decisions on what editors submitted: approve, reject (with a reason for the
author), archive and bring back. Every decision is audited and mails its author through the
outbox.
"""

from __future__ import annotations

from sqlalchemy import select

from ... import mail
from ...extensions import db
from ...models import (
    Revision,
    RevisionState,
    Service,
    ServiceStatus,
    User,
)
from ...models.reference import utcnow
from .. import audit
from ..fields import apply_fields, fields_of
from .revisions import NotPending, last_author, pending_revision


def pending_items() -> list[tuple[Service, Revision | None]]:
    """What waits for a decision: new services (revision None) and revisions, oldest first."""
    new = db.session.scalars(select(Service).where(Service.status == ServiceStatus.pending)
                             .order_by(Service.id)).all()
    revisions = db.session.scalars(select(Revision).where(
        Revision.state == RevisionState.pending).order_by(Revision.id)).all()
    return [(service, None) for service in new] + [(r.service, r) for r in revisions]


def approve(reviewer: User, service: Service, revision: Revision | None = None) -> None:
    """Publish a new service, or apply a revision to its published service."""
    now = utcnow()
    before = fields_of(service)
    if revision is None:
        if service.status is not ServiceStatus.pending:
            raise NotPending()
        service.status = ServiceStatus.published
        author = last_author(service)
        action = "service.approved"
    else:
        if revision.state is not RevisionState.pending:
            raise NotPending()
        with db.session.no_autoflush:
            apply_fields(service, revision.fields)
        revision.state, revision.reviewer_id, revision.decided_at = (
            RevisionState.approved, reviewer.id, now)
        author = revision.author
        action = "revision.approved"
    service.last_verified_at = now
    audit.record(reviewer, action, revision or service, before=before, after=fields_of(service))
    _tell_author(author, service, approved=True, reason="")
    db.session.commit()


def reject(reviewer: User, service: Service, revision: Revision | None, reason: str) -> None:
    """Refuse a new service (it goes back to draft) or a revision, with a reason for its author."""
    if revision is None:
        if service.status is not ServiceStatus.pending:
            raise NotPending()
        service.status = ServiceStatus.draft
        author = last_author(service)
        audit.record(reviewer, "service.rejected", service, after={"reason": reason})
    else:
        if revision.state is not RevisionState.pending:
            raise NotPending()
        revision.state, revision.reviewer_id, revision.decided_at = (
            RevisionState.rejected, reviewer.id, utcnow())
        revision.reason = reason
        author = revision.author
        audit.record(reviewer, "revision.rejected", revision, after={"reason": reason})
    _tell_author(author, service, approved=False, reason=reason)
    db.session.commit()


def _tell_author(author: User | None, service: Service, approved: bool, reason: str) -> None:
    if author is None or not author.active:
        return
    lang = author.preferred_language
    mail.queue(author.email, "review_outcome", lang, service=service, approved=approved,
               reason=reason)


def archive(user: User, service: Service) -> None:
    """Take a service off the public directory (a soft delete; it can be restored)."""
    before = {"status": service.status.value}
    service.status = ServiceStatus.archived
    revision = pending_revision(service)
    if revision is not None:
        revision.state, revision.decided_at = RevisionState.withdrawn, utcnow()
    audit.record(user, "service.archived", service, before=before, after={"status": "archived"})
    db.session.commit()


def unarchive(user: User, service: Service) -> None:
    """Bring an archived service back as a draft, to be submitted and reviewed again."""
    service.status = ServiceStatus.draft
    audit.record(user, "service.unarchived", service, before={"status": "archived"},
                 after={"status": "draft"})
    db.session.commit()
