"""Writes to the directory. Each leaves an audit event in the same transaction."""

from datetime import datetime

from ...extensions import db
from ...models import ErrorReport, Service
from .. import audit


def report_error(service: Service, message: str, email: str | None, lang: str) -> ErrorReport:
    """Store a citizen's error report about a service for the federal admins."""
    report = ErrorReport(service=service, message=message.strip(),
                         reporter_email=(email or "").strip() or None, language=lang)
    db.session.add(report)
    db.session.flush()
    audit.record(None, "error_report.created", report, after={"service_id": service.id})
    db.session.commit()
    return report


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
