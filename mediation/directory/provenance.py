"""Where a listed service came from, and who confirmed it since.

A service that entered from a public list or page keeps its source and date and is "not yet
confirmed" until an editor of its organisation confirms it (the "still accurate" link or their
form) or an admin records that they checked it with the service (by phone, say).
"""

from __future__ import annotations

from sqlalchemy import select

from .. import mail
from ..extensions import db
from ..models import Role, Service, ServiceArea, ServiceStatus, User
from ..models.reference import utcnow
from . import audit
from .permissions import may_manage

EDITOR, ADMIN_CHECK = "editor", "admin_check"


def provenance_of(service: Service) -> dict:
    return {"source_url": service.source_url,
            "source_date": service.source_date.isoformat() if service.source_date else None,
            "confirmation": service.confirmation,
            "confirmed_at": service.confirmed_at.isoformat() if service.confirmed_at else None}


def from_source(service: Service) -> bool:
    return bool(service.source_url or service.source_date)


def confirm(user: User, service: Service, how: str) -> None:
    """Record that the organisation (`EDITOR`) or an admin who checked (`ADMIN_CHECK`)
    confirmed the entry today; audited, committed."""
    before = provenance_of(service)
    service.confirmed_at = utcnow().replace(microsecond=0)
    service.confirmed_by_id = user.id
    service.confirmation = how
    audit.record(user, "service.confirmed", service, before=before, after=provenance_of(service))
    db.session.commit()


def unconfirmed_in(refnis: str) -> list[Service]:
    """The published services covering a commune that came from a source and wait for their
    organisation's confirmation."""
    return db.session.scalars(
        select(Service).join(ServiceArea, ServiceArea.service_id == Service.id)
        .where(ServiceArea.refnis == refnis, Service.status == ServiceStatus.published,
               Service.confirmed_at.is_(None),
               (Service.source_url.is_not(None)) | (Service.source_date.is_not(None)))
        .order_by(Service.id)).unique().all()


def invite_confirmation(admin: User, refnis: str) -> int:
    """Mail every editor who manages unconfirmed entries covering this commune one link per
    entry to confirm it; audited on each entry. Return how many editors were mailed."""
    from .moderation.reminders import CHECK_DAYS, absolute, make_check_token

    services = unconfirmed_in(refnis)
    if not services:
        return 0
    editors = db.session.scalars(select(User).where(User.active, User.role == Role.editor)
                                 .order_by(User.id)).all()
    mailed = 0
    for editor in editors:
        theirs = [s for s in services if may_manage(editor, s)]
        if not theirs:
            continue
        lang = editor.preferred_language
        items = [(service,
                  absolute("manage.check_entry", lang=lang,
                           token=make_check_token(editor, service)),
                  absolute("manage.edit_service", lang=lang, service_id=service.id))
                 for service in theirs]
        mail.queue(editor.email, "confirmation_request", lang, items=items, days=CHECK_DAYS)
        mailed += 1
    for service in services:
        audit.record(admin, "service.confirmation_requested", service,
                     after={"commune": refnis, "editors": mailed})
    db.session.commit()
    return mailed
