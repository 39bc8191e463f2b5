"""What editors change (DESIGN §6): drafts, submissions, proposed revisions, verification.

A new service is a draft until submitted, then `pending` until an admin approves it. A change
to a published service is a `Revision`; the public page keeps the published version until the
revision is approved.

What was submitted is frozen: an editor who keeps working afterwards edits their own draft
revision (state `draft`), and only *Submit* replaces what the admins review. A rejected
proposal comes back to its author's form with the reason.

Every save compares and sets the service's version in the statement that writes
(`claim`): of two saves of one version, exactly one wins, the other gets `EditConflict`.
Every write records an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, cast, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

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
    """Someone saved the service since the form was opened; nothing was overwritten.

    `current`: the fields they saved (or the service's, when their change is not a form's);
    `by` and `at`: who saved, and when."""

    def __init__(self, current: dict, by: User | None, at: datetime | None):
        super().__init__("edit conflict")
        self.current = current
        self.by = by
        self.at = at


class NotPending(Exception):
    """The service or revision is not waiting for a decision (decided or withdrawn already)."""


def claim(service: Service, seen_version) -> None:
    """Move the service to its next version if it is still at `seen_version`, in one
    statement: of two simultaneous writers, the database lets exactly one through (the other
    waits for the first's commit, then finds the version moved). Raise EditConflict otherwise.
    """
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        seen = -1
    result = db.session.execute(
        update(Service).where(Service.id == service.id, Service.version == seen)
        .values(version=Service.version + 1, updated_at=Service.updated_at)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise conflict_on(db.session.get(Service, service.id))
    set_committed_value(service, "version", seen + 1)


def conflict_on(service: Service) -> EditConflict:
    """The conflict to show: the latest change of the service, who made it and when."""
    event = latest_event(service)
    current = event.after if event is not None and isinstance(event.after, dict) \
        and "texts" in event.after else fields_of(service)
    return EditConflict(current, event.user if event else None, event.at if event else None)


def latest_event(service: Service) -> AuditEvent | None:
    """The latest audited change of the service or of one of its revisions, by a person."""
    revision_ids = select(cast(Revision.id, String)).where(Revision.service_id == service.id)
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.user_id.is_not(None),
        or_(and_(AuditEvent.entity_type == "service", AuditEvent.entity_id == str(service.id)),
            and_(AuditEvent.entity_type == "revision", AuditEvent.entity_id.in_(revision_ids))))
        .order_by(AuditEvent.id.desc()).limit(1))


def pending_revision(service: Service) -> Revision | None:
    """The proposal under review for a published service (at most one)."""
    return db.session.scalar(select(Revision).where(
        Revision.service_id == service.id, Revision.state == RevisionState.pending)
        .order_by(Revision.id.desc()))


def draft_of(service: Service, user: User) -> Revision | None:
    """This user's unsubmitted changes to the service."""
    return db.session.scalar(select(Revision).where(
        Revision.service_id == service.id, Revision.author_id == user.id,
        Revision.state == RevisionState.draft))


def returned_revision(service: Service) -> Revision | None:
    """The latest submitted proposal when an admin rejected it and nothing was submitted
    since: it comes back to its author's form with the reason."""
    latest = db.session.scalar(select(Revision).where(
        Revision.service_id == service.id, Revision.state != RevisionState.draft)
        .order_by(Revision.id.desc()).limit(1))
    return latest if latest is not None and latest.state is RevisionState.rejected else None


@dataclass
class Opened:
    """What an editor's form opens: the fields, where they come from, and what to say."""

    fields: dict
    source: str  # service | draft | pending | returned
    version: int
    draft: Revision | None = None
    pending: Revision | None = None
    returned: Revision | None = None
    submitted_at: datetime | None = None  # of what awaits review
    reason: str = ""  # the admin's reason when the last submission was returned


def opened_for(user: User, service: Service) -> Opened:
    """Open the service for this user: their unsubmitted changes first, then the proposal
    awaiting review, then a returned proposal, else the service as it stands."""
    draft = draft_of(service, user)
    opened = Opened(fields={}, source="service", version=service.version, draft=draft)
    if service.status is ServiceStatus.published:
        opened.pending = pending_revision(service)
        if opened.pending is not None:
            opened.submitted_at = opened.pending.submitted_at or opened.pending.created_at
        else:
            opened.returned = returned_revision(service)
            opened.reason = opened.returned.reason if opened.returned else ""
    elif service.status is ServiceStatus.pending:
        opened.submitted_at = service.submitted_at
    elif service.returned_reason:
        opened.reason = service.returned_reason
    if draft is not None:
        opened.fields, opened.source = dict(draft.fields), "draft"
    elif opened.pending is not None:
        opened.fields, opened.source = dict(opened.pending.fields), "pending"
    elif opened.returned is not None:
        opened.fields, opened.source = dict(opened.returned.fields), "returned"
    else:
        opened.fields = fields_of(service)
        opened.source = "returned" if opened.reason else "service"
    return opened


def current_fields(service: Service, user: User | None = None) -> dict:
    """What an editor edits (see `opened_for`); without a user, the proposal under review or
    the service itself."""
    if user is not None:
        return opened_for(user, service).fields
    revision = pending_revision(service) if service.status is ServiceStatus.published else None
    return dict(revision.fields) if revision else fields_of(service)


def stamp(service: Service) -> str:
    """The version a form was opened on; a save from an older version is refused."""
    return str(service.version)


def last_author(service: Service) -> User | None:
    """Who last submitted or changed the service itself (for a new service: its author)."""
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity_type == "service", AuditEvent.entity_id == str(service.id),
        AuditEvent.user_id.is_not(None),
        AuditEvent.action.in_(("service.created", "service.draft_saved", "service.submitted",
                               "service.resubmitted", "service.edited", "service.imported")))
        .order_by(AuditEvent.id.desc()))
    return event.user if event else None


@dataclass
class Saved:
    service: Service
    revision: Revision | None
    submitted: bool
    replaced: bool = False  # a submission replaced the one under review


def save(user: User, service: Service | None, fields: dict, *, submit: bool,
         opened_stamp: str | None) -> Saved:
    """Save an editor's form: a draft, a submission for review, or a proposed change of a
    published service. Refuse (EditConflict) when the service moved past `opened_stamp`."""
    if service is None:
        return _create(user, fields, submit)
    claim(service, opened_stamp)
    if service.status is ServiceStatus.published:
        if user.is_admin and submit:  # the federal admins may change a published entry directly
            _edit_published(user, service, fields)
            return Saved(service, None, submit)
        if submit:
            return _submit_revision(user, service, fields)
        return Saved(service, _save_draft(user, service, fields), submit)
    if service.status is ServiceStatus.pending and not submit:
        return Saved(service, _save_draft(user, service, fields), submit)
    replaced = service.status is ServiceStatus.pending
    before = fields_of(service)
    with db.session.no_autoflush:
        apply_fields(service, fields)
    if submit:
        service.status, service.submitted_at = ServiceStatus.pending, utcnow()
        service.returned_reason, service.returned_at = "", None
        _discard_draft(user, service)
    db.session.flush()
    action = ("service.resubmitted" if replaced else "service.submitted") if submit \
        else "service.draft_saved"
    audit.record(user, action, service, before=before, after=fields_of(service))
    db.session.commit()
    return Saved(service, None, submit, replaced)


def _create(user: User, fields: dict, submit: bool) -> Saved:
    service = Service(status=ServiceStatus.draft)
    with db.session.no_autoflush:
        apply_fields(service, fields)
    db.session.add(service)
    if submit:
        service.status, service.submitted_at = ServiceStatus.pending, utcnow()
    db.session.flush()
    audit.record(user, "service.submitted" if submit else "service.created", service,
                 before=None, after=fields_of(service))
    db.session.commit()
    return Saved(service, None, submit)


def _save_draft(user: User, service: Service, fields: dict) -> Revision:
    """Keep this user's unsubmitted changes apart from what awaits review."""
    draft = draft_of(service, user)
    if draft is None:
        draft = Revision(service=service, author_id=user.id, fields=fields,
                         base_version=service.version, state=RevisionState.draft)
        db.session.add(draft)
    else:
        draft.fields = fields
    db.session.flush()
    audit.record(user, "revision.draft_saved", draft, before=fields_of(service), after=fields)
    db.session.commit()
    return draft


def _discard_draft(user: User, service: Service) -> None:
    draft = draft_of(service, user)
    if draft is not None:
        db.session.delete(draft)


def _submit_revision(user: User, service: Service, fields: dict) -> Saved:
    """Put a proposed change under review; it replaces, in one step, a proposal waiting
    there (withdrawn, kept in the history)."""
    waiting = pending_revision(service)
    if changed_fields(fields_of(service), fields) == [] and waiting is None:
        _discard_draft(user, service)
        db.session.commit()
        return Saved(service, None, True)
    now = utcnow()
    if waiting is not None:
        waiting.state, waiting.decided_at = RevisionState.withdrawn, now
        audit.record(user, "revision.replaced", waiting)
        db.session.flush()  # one proposal under review at a time (a unique index says so)
    revision = draft_of(service, user)
    if revision is None:
        revision = Revision(service=service, author_id=user.id, base_version=service.version)
        db.session.add(revision)
    revision.fields, revision.state, revision.submitted_at = fields, RevisionState.pending, now
    revision.created_at = revision.created_at or now
    db.session.flush()
    audit.record(user, "revision.proposed", revision, before=fields_of(service), after=fields)
    db.session.commit()
    return Saved(service, revision, True, replaced=waiting is not None)


def _edit_published(user: User, service: Service, fields: dict) -> None:
    """An admin's change to a published service: applied at once, audited; a pending proposal
    it supersedes is withdrawn."""
    before = fields_of(service)
    with db.session.no_autoflush:
        apply_fields(service, fields)
    revision = pending_revision(service)
    if revision is not None:
        revision.state, revision.decided_at = RevisionState.withdrawn, utcnow()
    _discard_draft(user, service)
    service.last_verified_at = utcnow()
    db.session.flush()
    audit.record(user, "service.edited", service, before=before, after=fields_of(service))
    db.session.commit()


def withdraw(user: User, revision: Revision) -> None:
    """Withdraw a proposal from review; a decision taken meanwhile wins (NotPending)."""
    done = db.session.execute(
        update(Revision).where(Revision.id == revision.id,
                               Revision.state == RevisionState.pending)
        .values(state=RevisionState.withdrawn, decided_at=utcnow())
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise NotPending()
    audit.record(user, "revision.withdrawn", revision)
    db.session.commit()
    db.session.refresh(revision)


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
    """Propose an earlier version of a service as a change, reviewed like any other (by
    another admin: nobody approves their own change)."""
    claim(service, service.version)
    now = utcnow()
    waiting = pending_revision(service)
    if waiting is not None:
        waiting.state, waiting.decided_at = RevisionState.withdrawn, now
        audit.record(user, "revision.replaced", waiting)
        db.session.flush()
    revision = Revision(service=service, author_id=user.id, fields=fields,
                        base_version=service.version, submitted_at=now)
    db.session.add(revision)
    db.session.flush()
    audit.record(user, "revision.restore_proposed", revision, before=fields_of(service),
                 after=dict(fields, restored_from_event=event_id))
    db.session.commit()
    return revision
