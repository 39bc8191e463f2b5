"""The admins' decisions on what editors submitted: approve, reject (with a reason for the
author), archive and bring back. Every decision is audited and mails its author through the
outbox.

A decision is taken on exactly what the admin saw: a submitted revision never changes (a new
submission replaces it), and a new service is decided at the version the review showed
(`seen_version`, compared and set in the writing statement). Nobody decides on their own
change unless ALLOW_SELF_APPROVAL says so (a one-admin deployment), audited each time.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from ... import mail
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
from ..fields import apply_fields, fields_of
from ..reading.states import aware
from .revisions import EditConflict, NotPending, claim, last_author, pending_revision


class OwnChange(Exception):
    """The reviewer authored the change: another admin decides (four eyes)."""


def pending_items() -> list[tuple[Service, Revision | None]]:
    """What waits for a decision: new services (revision None) and revisions, oldest
    submission first."""
    new = db.session.scalars(select(Service).where(Service.status == ServiceStatus.pending)
                             .order_by(Service.id)).all()
    revisions = db.session.scalars(select(Revision).where(
        Revision.state == RevisionState.pending).order_by(Revision.id)).all()
    items = [(service, None) for service in new] + [(r.service, r) for r in revisions]
    return sorted(items, key=lambda item: submitted_at(*item).timestamp())


def submitted_at(service: Service, revision: Revision | None):
    """When the item went (last) under review."""
    moment = (revision.submitted_at or revision.created_at) if revision is not None \
        else (service.submitted_at or service.created_at)
    return aware(moment)


def author_of(service: Service, revision: Revision | None) -> User | None:
    return revision.author if revision is not None else last_author(service)


def _check_four_eyes(reviewer: User, service: Service, revision: Revision | None) -> bool:
    """Refuse (OwnChange) a decision on one's own change; True when allowed as self-approval."""
    author = author_of(service, revision)
    if author is None or author.id != reviewer.id:
        return False
    if not current_app.config.get("ALLOW_SELF_APPROVAL"):
        raise OwnChange()
    return True


def _claim_for_decision(service: Service, seen_version: int | None) -> None:
    """Take the service at the version the admin saw (or as loaded): a change since then
    means the item is no longer what was reviewed."""
    try:
        claim(service, service.version if seen_version is None else seen_version)
    except EditConflict:
        raise NotPending() from None


def _decide_revision(revision: Revision, state: RevisionState, reviewer: User,
                     reason: str = "") -> None:
    """Compare and set the revision's state: of two decisions at once, one is recorded."""
    done = db.session.execute(
        update(Revision).where(Revision.id == revision.id,
                               Revision.state == RevisionState.pending)
        .values(state=state, reviewer_id=reviewer.id, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise NotPending()
    db.session.refresh(revision)


def approve(reviewer: User, service: Service, revision: Revision | None = None,
            seen_version: int | None = None) -> None:
    """Publish a new service, or apply a revision to its published service."""
    if revision is None and service.status is not ServiceStatus.pending:
        raise NotPending()
    if revision is not None and revision.state is not RevisionState.pending:
        raise NotPending()
    self_approved = _check_four_eyes(reviewer, service, revision)
    _claim_for_decision(service, seen_version)
    now = utcnow()
    before = fields_of(service)
    if revision is None:
        if service.status is not ServiceStatus.pending:
            raise NotPending()
        service.status = ServiceStatus.published
        author = last_author(service)
        action = "service.approved"
    else:
        _decide_revision(revision, RevisionState.approved, reviewer)
        with db.session.no_autoflush:
            apply_fields(service, revision.fields)
        author = revision.author
        action = "revision.approved"
    service.last_verified_at = now
    after = fields_of(service)
    if self_approved:
        after["self_approved"] = True
    audit.record(reviewer, action, revision or service, before=before, after=after)
    _tell_author(author, service, approved=True, reason="")
    db.session.commit()


def reject(reviewer: User, service: Service, revision: Revision | None, reason: str,
           seen_version: int | None = None) -> None:
    """Refuse a new service (it goes back to its author as a draft) or a revision (it comes
    back to its author's form), with a reason for its author."""
    if revision is None and service.status is not ServiceStatus.pending:
        raise NotPending()
    self_decided = _check_four_eyes(reviewer, service, revision)
    _claim_for_decision(service, seen_version)
    after = {"reason": reason, **({"self_approved": True} if self_decided else {})}
    if revision is None:
        if service.status is not ServiceStatus.pending:
            raise NotPending()
        service.status = ServiceStatus.draft
        service.returned_reason, service.returned_at = reason, utcnow()
        author = last_author(service)
        audit.record(reviewer, "service.rejected", service, after=after)
    else:
        _decide_revision(revision, RevisionState.rejected, reviewer, reason)
        author = revision.author
        audit.record(reviewer, "revision.rejected", revision, after=after)
    _tell_author(author, service, approved=False, reason=reason)
    db.session.commit()


def _tell_author(author: User | None, service: Service, approved: bool, reason: str) -> None:
    if author is None or not author.active:
        return
    lang = author.preferred_language
    mail.queue(author.email, "review_outcome", lang, service=service, approved=approved,
               reason=reason)


def archive(user: User, service: Service, reason: str) -> None:
    """Take a service off the public directory (a soft delete; it can be restored), with the
    reason kept for the history and told to visitors of its old address."""
    claim(service, service.version)
    before = {"status": service.status.value}
    service.status = ServiceStatus.archived
    service.archived_reason, service.archived_at = reason, utcnow()
    revision = pending_revision(service)
    if revision is not None:
        revision.state, revision.decided_at = RevisionState.withdrawn, utcnow()
    audit.record(user, "service.archived", service, before=before,
                 after={"status": "archived", "reason": reason})
    db.session.commit()


def unarchive(user: User, service: Service) -> None:
    """Bring an archived service back as a draft, to be submitted and reviewed again."""
    claim(service, service.version)
    service.status = ServiceStatus.draft
    service.archived_reason, service.archived_at = "", None
    audit.record(user, "service.unarchived", service, before={"status": "archived"},
                 after={"status": "draft"})
    db.session.commit()


def last_archived(service: Service) -> AuditEvent | None:
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity_type == "service", AuditEvent.entity_id == str(service.id),
        AuditEvent.action == "service.archived").order_by(AuditEvent.id.desc()))
