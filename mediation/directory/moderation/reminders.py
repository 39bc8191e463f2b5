"""Freshness (DESIGN §6): monthly reminders to editors, weekly digests to admins, check links.

`send_reminders()` is meant for a daily timer: each account is mailed only when its last
reminder or digest is old enough, and that moment is claimed with a conditional update in the
same transaction as the mail, so two runs (even at once) never send the same mail twice.

A reminder lists the editor's services due for verification, each with a signed "still
accurate" link: it names the editor and the service, works for 30 days without signing in,
and shows the entry before recording the check in the editor's name.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import or_, select, update

from ... import mail
from ...extensions import db
from ...models import Role, Service, ServiceStatus, User
from ...models.reference import utcnow
from ..reading.staff_lists import action_counts
from ..permissions import manageable, may_manage
from ..reading.states import state_condition
from .incoming import mailable_accounts

CHECK_DAYS = 30
# A daily timer may fire a little earlier than the day before: the slack keeps "once a month"
# from slipping to the next day.
SLACK = timedelta(hours=2)
REMINDER_EVERY = timedelta(days=30) - SLACK
DIGEST_EVERY = timedelta(days=7) - SLACK


# --- Signed "still accurate" links ------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="service-check")


def verified_stamp(service: Service) -> int:
    """The service's last verification, to the microsecond: a link confirms once, until then."""
    moment = service.last_verified_at
    if moment is None:
        return 0
    if moment.tzinfo is None:  # SQLite gives naive UTC back
        moment = moment.replace(tzinfo=timezone.utc)
    return (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1)


def make_check_token(user: User, service: Service) -> str:
    return _serializer().dumps({"user": user.id, "service": service.id,
                                "verified": verified_stamp(service)})


def read_check_token(token: str) -> tuple[User | None, Service | None, str]:
    """Return (editor, service, "") for a valid link, (editor, service, "confirmed") for a
    link whose entry was confirmed since the reminder, or (None, None, why): "expired",
    "invalid".

    A link stops working when the account is deactivated, loses the service, or the service
    is no longer published.
    """
    try:
        data = _serializer().loads(token, max_age=timedelta(days=CHECK_DAYS).total_seconds())
    except SignatureExpired:
        return None, None, "expired"
    except BadSignature:
        return None, None, "invalid"
    if not isinstance(data, dict) \
            or not all(isinstance(data.get(key), int) for key in ("user", "service", "verified")):
        return None, None, "invalid"
    user = db.session.get(User, data["user"])
    service = db.session.get(Service, data["service"])
    if user is None or not user.active or service is None \
            or service.status is not ServiceStatus.published or not may_manage(user, service):
        return None, None, "invalid"
    if verified_stamp(service) != data["verified"]:
        return user, service, "confirmed"
    return user, service, ""


def absolute(endpoint: str, **values) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


# --- The daily run ----------------------------------------------------------------------------

def due_services(user: User) -> list[Service]:
    """The published services this editor manages that are due for verification."""
    return db.session.scalars(select(Service).where(manageable(user), state_condition("due"))
                              .order_by(Service.last_verified_at.asc().nulls_first(),
                                        Service.id)).all()


def _claim(user: User, column, every: timedelta) -> bool:
    """Set the account's last reminder (or digest) to now if it is old enough; True if set."""
    now = utcnow()
    claimed = db.session.execute(
        update(User).where(User.id == user.id, or_(column.is_(None), column <= now - every))
        .values({column: now}).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def remind_editor(user: User) -> bool:
    """Mail an editor the list of their services due for verification; True if mailed."""
    services = due_services(user)
    if not services or not _claim(user, User.last_reminded_at, REMINDER_EVERY):
        db.session.rollback()
        return False
    lang = user.preferred_language
    items = [(service,
              absolute("manage.check_entry", lang=lang, token=make_check_token(user, service)),
              absolute("manage.edit_service", lang=lang, service_id=service.id))
             for service in services]
    mail.queue(user.email, "verification_reminder", lang, user=user, items=items,
               days=CHECK_DAYS)
    db.session.commit()
    return True



def digest_admin(user: User) -> bool:
    """Mail an admin what waits in their territory; True if mailed (nothing waits: no mail)."""
    counts = action_counts(user)
    if not any(counts.values()) or not _claim(user, User.last_digest_at, DIGEST_EVERY):
        db.session.rollback()
        return False
    lang = user.preferred_language
    links = {
        "review": absolute("admin.review", lang=lang),
        "requests": absolute("admin.people", lang=lang),
        "reports": absolute("admin.reports", lang=lang),
        "due": absolute("admin.services", lang=lang, state="due"),
        "uncovered": absolute("admin.coverage_view", lang=lang, state="none"),
    }
    mail.queue(user.email, "admin_digest", lang, user=user, counts=counts, links=links,
               dashboard=absolute("admin.index", lang=lang))
    db.session.commit()
    return True


def send_reminders() -> tuple[int, int]:
    """Remind each editor (monthly) and each admin (weekly); return the counts.

    Only accounts that are active and whose owner chose a password: a colleague invited
    yesterday is not told about overdue entries before they have even signed in.
    """
    accounts = db.session.scalars(mailable_accounts().order_by(User.id)).all()
    reminded = digests = 0
    for user in accounts:
        if user.role is Role.editor:
            reminded += remind_editor(user)
        elif user.role is Role.admin:
            digests += digest_admin(user)
    return reminded, digests
