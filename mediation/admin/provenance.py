"""The admins' part in provenance: a check by phone recorded, a commune's editors invited to
confirm the entries taken from public sources."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..directory import provenance
from ..directory.permissions import in_territory
from ..extensions import db
from ..models import Commune
from .routes import bp, service_or_404


@bp.post("/services/<int:service_id>/checked")
def record_check(service_id: int):
    """Record that this admin checked the entry with the service itself (by phone, say)."""
    service = service_or_404(service_id, archived=False)
    provenance.confirm(current_user, service, provenance.ADMIN_CHECK)
    flash(_("Recorded: you checked this entry with the service today."), "success")
    return redirect(url_for("admin.service_history", service_id=service.id))


@bp.post("/communes/<refnis>/invite-confirmation")
def invite_confirmation(refnis: str):
    """Ask the editors of a commune's unconfirmed entries to confirm them, in one step."""
    commune = db.session.get(Commune, refnis) if refnis.isascii() and refnis.isdigit() else None
    if commune is None or not commune.active or not in_territory(current_user, refnis):
        abort(404)
    mailed = provenance.invite_confirmation(current_user, refnis)
    if mailed:
        flash(ngettext("%(num)d editor was asked to confirm the entries.",
                       "%(num)d editors were asked to confirm the entries.", mailed), "success")
    else:
        flash(_("No editor manages an entry of this commune that waits for confirmation."),
              "error")
    return redirect(url_for("admin.commune_contact", refnis=refnis))
