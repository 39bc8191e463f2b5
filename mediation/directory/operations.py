"""Writes to the directory. Each leaves an audit event in the same transaction."""

from ..extensions import db
from ..models import ErrorReport, Service
from . import audit


def report_error(service: Service, message: str, email: str | None, lang: str) -> ErrorReport:
    """Store a citizen's error report about a service for the federal admins."""
    report = ErrorReport(service=service, message=message.strip(),
                         reporter_email=(email or "").strip() or None, language=lang)
    db.session.add(report)
    db.session.flush()
    audit.record(None, "error_report.created", report, after={"service_id": service.id})
    db.session.commit()
    return report
