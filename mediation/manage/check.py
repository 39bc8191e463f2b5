"""/<lang>/manage/check/<token>: the one-click "still accurate" link of a reminder.

The signed link stands in for signing in (routes.require_staff lets this endpoint through):
it shows the entry, and a confirmation records the check in the name of the editor it was
mailed to.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from sqlalchemy import select

from ..directory import moderation, provenance
from ..extensions import db
from ..models import AuditEvent
from ..directory.moderation.reminders import CHECK_DAYS, read_check_token
from ..directory.reading.states import due_at
from .routes import bp


@bp.route("/check/<token>", methods=["GET", "POST"])
def check_entry(token: str):
    """Show the entry a reminder named, then record that it is still accurate."""
    editor, service, problem = read_check_token(token)
    if editor is None:
        return render_template("auth/link_invalid.html", problem=problem, purpose="check",
                               days=CHECK_DAYS), 400
    if problem == "confirmed":  # each reminder's link confirms once
        return render_template("manage/check_done.html", service=service,
                               confirmation=last_confirmation(service), due=due_at(service))
    if request.method == "POST":
        moderation.verify(editor, service)
        if provenance.from_source(service):
            provenance.confirm(editor, service, provenance.EDITOR)
        flash(_("Thank you. The entry is marked as checked today."), "success")
        return redirect(url_for("public.service", service_id=service.id))
    return render_template("manage/check.html", service=service, due=due_at(service),
                           token=token)



def last_confirmation(service) -> AuditEvent | None:
    """The latest "still accurate" of this entry: when, and by whom."""
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.entity_type == "service", AuditEvent.entity_id == str(service.id),
        AuditEvent.action == "service.verified").order_by(AuditEvent.id.desc()).limit(1))
