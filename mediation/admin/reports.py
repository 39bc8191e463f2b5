"""The citizens' error reports as an inbox: each tied to its service, handled or dismissed."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..directory import audit
from ..directory.permissions import manageable
from ..extensions import db
from ..values import has_control_characters
from ..models import ErrorReport, ErrorReportStatus, Service
from ..models.reference import utcnow
from .routes import bp


@bp.get("/reports")
def reports():
    status = request.args.get("status", "open")
    if status not in {s.value for s in ErrorReportStatus}:
        status = "open"
    found = db.session.scalars(select(ErrorReport).join(Service).where(
        ErrorReport.status == ErrorReportStatus(status), manageable(current_user))
        .order_by(ErrorReport.created_at.desc()).limit(500)).all()
    return render_template("admin/reports.html", reports=found, status=status)


@bp.post("/reports/<int:report_id>")
def handle_report(report_id: int):
    """Mark a report handled or dismissed, with a note for the other staff."""
    if not 0 < report_id < 2**31:
        abort(404)
    report = db.session.scalar(select(ErrorReport).join(Service).where(
        ErrorReport.id == report_id, manageable(current_user)))
    if report is None:
        abort(404)
    outcome = request.form.get("outcome")
    note = request.form.get("note", "").strip()
    if outcome not in ("resolved", "dismissed", "open") or len(note) > 2000 \
            or has_control_characters(note):
        flash(_("Please choose what happened and keep the note under 2,000 characters."), "error")
        return redirect(url_for("admin.reports"))
    before = {"status": report.status.value, "note": report.handled_note}
    report.status = ErrorReportStatus(outcome)
    report.handled_note = note
    report.handled_by_id = current_user.id if outcome != "open" else None
    report.resolved_at = utcnow() if outcome != "open" else None
    if outcome != "open":  # the reporter's address served to answer them: not kept after
        report.reporter_email = None
    audit.record(current_user, "error_report.handled", report, before=before,
                 after={"status": outcome, "note": note})
    db.session.commit()
    flash(_("The report is updated."), "success")
    return redirect(url_for("admin.reports"))
