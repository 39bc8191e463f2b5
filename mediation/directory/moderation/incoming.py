"""What reaches the directory from outside: citizens' error reports, access requests.

An error report is mailed to the editors of its service (the admins of its territory when it
has none), in each one's language. Reports about one service that arrive within an hour of the
last mail about it wait and go together in one mail, sent by the next report after the hour or
by `flask send-mail` / `flask send-reminders`. A report is claimed for a mail by setting its
`notified_at` in the statement that reads it back, in the mail's transaction: nothing is mailed
twice, and a report no mail claimed stays waiting.
"""

from datetime import datetime, timedelta, timezone

from flask import current_app, url_for
from sqlalchemy import func, or_, select, update

from ... import mail
from ...extensions import db
from ...models import (
    Commune,
    ErrorReport,
    ErrorReportStatus,
    Location,
    Organization,
    Role,
    Service,
    ServiceArea,
    User,
)
from ...models.reference import utcnow
from .. import audit
from ..permissions import in_territory

REPORTS_TOGETHER_WITHIN = timedelta(hours=1)


def report_error(service: Service, message: str, email: str | None, lang: str) -> ErrorReport:
    """Store a citizen's error report and mail it to whoever answers for the service."""
    report = ErrorReport(service=service, message=message.strip(),
                         reporter_email=(email or "").strip() or None, language=lang)
    db.session.add(report)
    db.session.flush()
    audit.record(None, "error_report.created", report, after={"service_id": service.id})
    notify_reports(service)
    db.session.commit()
    return report


def mailable_accounts():
    """Accounts that may receive mail from the directory: active, with a password chosen."""
    return select(User).where(User.active, User.password_hash.is_not(None))


def service_communes(service: Service) -> set[str]:
    """The communes a service covers or is located in."""
    areas = select(ServiceArea.refnis).where(ServiceArea.service_id == service.id)
    located = select(Location.refnis).where(Location.service_id == service.id,
                                             Location.refnis.is_not(None))
    return set(db.session.scalars(areas.union(located)))


def report_recipients(service: Service) -> list[User]:
    """The editors who manage the service; when it has none, the admins of its territory."""
    communes = service_communes(service)
    if service.organization is not None and service.organization.refnis:
        communes.add(service.organization.refnis)
    editors = db.session.scalars(mailable_accounts().where(
        User.role == Role.editor,
        or_(User.organizations.any(Organization.id == service.organization_id),
            User.communes.any(Commune.refnis.in_(communes))))
        .order_by(User.id)).all()
    if editors:
        return list(editors)
    admins = db.session.scalars(mailable_accounts().where(User.role == Role.admin)
                                .order_by(User.id)).all()
    return [admin for admin in admins
            if admin.is_national_admin or any(in_territory(admin, c) for c in communes)]


def notify_reports(service: Service) -> int:
    """Mail the open reports about a service no mail has told yet; return how many were mailed.

    Nothing is mailed within an hour of the last mail about the service: the reports wait for
    the next one. Runs in the caller's transaction, which commits the claim and the mails.
    """
    now = utcnow()
    last = db.session.scalar(select(func.max(ErrorReport.notified_at))
                             .where(ErrorReport.service_id == service.id))
    if last is not None and _aware(last) > now - REPORTS_TOGETHER_WITHIN:
        return 0
    recipients = report_recipients(service)
    if not recipients:  # nobody to tell yet: the reports stay waiting, in the admins' inbox
        return 0
    claimed = db.session.scalars(
        update(ErrorReport).where(ErrorReport.service_id == service.id,
                                  ErrorReport.notified_at.is_(None),
                                  ErrorReport.status == ErrorReportStatus.open)
        .values(notified_at=now).returning(ErrorReport.id)
        .execution_options(synchronize_session=False)).all()
    if not claimed:
        return 0
    reports = db.session.scalars(select(ErrorReport).where(ErrorReport.id.in_(claimed))
                                 .order_by(ErrorReport.created_at, ErrorReport.id)).all()
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    for user in recipients:
        lang = user.preferred_language
        inbox = (url_for("admin.reports", lang=lang) if user.is_admin
                 else url_for("manage.index", lang=lang, _anchor="reports"))
        mail.queue(user.email, "error_reports", lang, service=service, reports=reports,
                   inbox=base + inbox, as_admin=user.is_admin)
    return len(reports)


def reply_address(report: ErrorReport) -> str:
    """A mailto: link answering the citizen, its subject in the report's language; "" when
    the citizen left no address (or it was dropped once the report was handled)."""
    from urllib.parse import quote

    from flask_babel import force_locale
    from flask_babel import gettext as _

    from ...i18n import localized

    if not report.reporter_email or report.status is not ErrorReportStatus.open:
        return ""
    with force_locale(report.language):
        subject = _("Your report about %(name)s",
                    name=localized(report.service, "name", report.language)[0])
    return f"mailto:{quote(report.reporter_email, safe='@')}?subject={quote(subject)}"


def notify_waiting_reports() -> int:
    """Mail the reports that waited for their hour to pass; return how many were mailed."""
    waiting = db.session.scalars(
        select(Service).where(Service.id.in_(
            select(ErrorReport.service_id).where(ErrorReport.notified_at.is_(None),
                                                 ErrorReport.status == ErrorReportStatus.open)))
        .order_by(Service.id)).all()
    mailed = 0
    for service in waiting:
        mailed += notify_reports(service)
        db.session.commit()
    return mailed


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive times: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def request_access(form, lang: str):
    """File an access request and tell the national admins (through the outbox)."""
    from ... import mail
    from ...models import AccessRequest, Role, User

    request = AccessRequest(
        name=form.name.data, email=form.email.data.lower(), commune=form.commune.commune,
        organization=form.organization.data or "", function=form.function.data,
        message=form.message.data or "", language=lang)
    db.session.add(request)
    db.session.flush()
    audit.record(None, "access_request.created", request, after={"refnis": request.refnis})
    from ..permissions import in_territory

    admins = db.session.scalars(db.select(User).filter_by(role=Role.admin, active=True)).all()
    for admin in (a for a in admins if in_territory(a, request.refnis)):
        mail.queue(admin.email, "access_request", admin.preferred_language, request=request)
    db.session.commit()
    return request
def purge_error_reports(created_before: datetime) -> int:
    """Delete the error reports received before `created_before`; return how many went."""
    old = db.session.scalars(
        db.select(ErrorReport).where(ErrorReport.created_at < created_before)).all()
    for report in old:
        # The event names the report, never what it said nor who sent it.
        audit.record(None, "error_report.purged", report, before={"service_id": report.service_id})
        db.session.delete(report)
    db.session.commit()
    return len(old)
