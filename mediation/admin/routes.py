"""The federal admins' area under /<lang>/admin: what needs action, review, every service."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..directory.reading import staff_lists as admin_queries
from ..directory import moderation
from ..directory.moderation.diff import diff
from ..directory.fields import fields_of
from ..directory.permissions import manageable
from .. import labels
from ..extensions import db, login_manager
from ..models import Revision, Service, ServiceStatus
from .forms import DecisionForm, ServiceFilterForm

bp = Blueprint("admin", __name__, url_prefix="/<lang>/admin")

ACTIONS = {
    "service.created": _l("Draft created"),
    "service.draft_saved": _l("Draft saved"),
    "service.submitted": _l("Submitted for review"),
    "service.approved": _l("Approved and published"),
    "service.rejected": _l("Rejected"),
    "service.edited": _l("Changed by an admin"),
    "service.verified": _l("Checked: still accurate"),
    "service.archived": _l("Archived"),
    "service.unarchived": _l("Restored from the archive"),
    "revision.proposed": _l("Changes proposed"),
    "revision.approved": _l("Changes approved and published"),
    "revision.rejected": _l("Changes rejected"),
    "revision.withdrawn": _l("Changes withdrawn"),
    "revision.restore_proposed": _l("Earlier version proposed again"),
    "revision.geocoded": _l("Address placed on the map"),
    "location.geocoded": _l("Address placed on the map"),
    "service.imported": _l("Imported"),
}


@bp.before_request
def require_admin():
    """Deny by default: anonymous visitors sign in first; anyone but an admin gets 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)


def service_or_404(service_id: int, archived: bool = True) -> Service:
    """A service of this admin's territory, or 404 (ids of others leak nothing)."""
    if not 0 < service_id < 2**31:
        abort(404)
    found = db.session.scalar(db.select(Service).where(Service.id == service_id,
                                                       manageable(current_user)))
    if found is None or (not archived and found.status is ServiceStatus.archived):
        abort(404)
    return found


@bp.get("/")
def index():
    """Counts of what needs action, each a link to the filtered list."""
    return render_template("admin/index.html", counts=admin_queries.action_counts(current_user),
                           freshness=admin_queries.freshness(current_user))


def item_key(service: Service, revision: Revision | None) -> str:
    return f"R{revision.id}" if revision else f"S{service.id}"


def find_item(key: str):
    """Return (service, revision) of a review item "S<id>" or "R<id>" in this territory."""
    kind, number = key[:1], key[1:]
    if kind not in ("S", "R") or not (number.isascii() and number.isdigit()) or len(number) > 9:
        abort(404)
    if kind == "S":
        service = service_or_404(int(number))
        if service.status is not ServiceStatus.pending:
            abort(404)
        return service, None
    revision = db.session.get(Revision, int(number))
    if revision is None:
        abort(404)
    return service_or_404(revision.service_id), revision


@bp.get("/review")
def review():
    """New services and proposed changes awaiting a decision, oldest first."""
    items = [(service, revision, item_key(service, revision))
             for service, revision in moderation.pending_items()
             if admin_queries.in_scope(current_user, service)]
    return render_template("admin/review.html", items=items, form=DecisionForm())


@bp.get("/review/<key>")
def review_item(key: str):
    """One item with its field-by-field differences."""
    service, revision = find_item(key)
    if revision is None:
        changes = diff(None, fields_of(service))
    else:
        changes = diff(fields_of(service), revision.fields)
    return render_template("admin/review_item.html", service=service, revision=revision,
                           key=key, changes=changes, form=DecisionForm(),
                           author=revision.author if revision else moderation.last_author(service))


@bp.post("/review/decide")
def decide():
    """Approve or reject one or several items; a rejection needs a reason for its authors."""
    form = DecisionForm()
    keys = request.form.getlist("items")
    if not form.validate() or not keys:
        flash(_("Choose at least one item, and give a reason to reject."), "error")
        return redirect(url_for("admin.review"))
    items = [find_item(key) for key in keys]  # every key checked before anything is decided
    done = 0
    for service, revision in items:
        try:
            if form.decision.data == "approve":
                moderation.approve(current_user, service, revision)
            else:
                moderation.reject(current_user, service, revision, form.reason.data)
        except moderation.NotPending:
            db.session.rollback()
            continue
        done += 1
    if form.decision.data == "approve":
        flash(_("%(num)d item(s) approved and published.", num=done), "success")
    else:
        flash(_("%(num)d item(s) rejected; their authors are told why.", num=done), "success")
    return redirect(url_for("admin.review"))


@bp.get("/services")
def services():
    """Every service in every state: search, filters, sorting, pages."""
    form = ServiceFilterForm(request.args)
    form.validate()
    page = admin_queries.service_table(current_user, form)
    return render_template("admin/services.html", form=form, page=page)


@bp.get("/services/<int:service_id>")
def service_history(service_id: int):
    """A service's full history: each change with its differences, and earlier versions."""
    service = service_or_404(service_id)
    return render_template("admin/history.html", service=service,
                           entries=admin_queries.history(service),
                           state=admin_queries.state_of(service))


@bp.post("/services/<int:service_id>/restore/<int:event_id>")
def restore_version(service_id: int, event_id: int):
    """Propose an earlier version again: a change that goes through review like any other."""
    service = service_or_404(service_id, archived=False)
    fields = admin_queries.version_after(service, event_id)
    if fields is None:
        abort(404)
    moderation.propose_restore(current_user, service, fields, event_id)
    flash(_("The earlier version is proposed as a change; it waits in the review queue."),
          "success")
    return redirect(url_for("admin.service_history", service_id=service.id))


@bp.post("/services/<int:service_id>/archive")
def archive(service_id: int):
    service = service_or_404(service_id, archived=False)
    moderation.archive(current_user, service)
    flash(_("The service is archived: it is no longer public."), "success")
    return redirect(url_for("admin.service_history", service_id=service.id))


@bp.post("/services/<int:service_id>/unarchive")
def unarchive(service_id: int):
    service = service_or_404(service_id)
    if service.status is not ServiceStatus.archived:
        abort(404)
    moderation.unarchive(current_user, service)
    flash(_("The service is restored as a draft; submit it for review to publish it again."),
          "success")
    return redirect(url_for("admin.service_history", service_id=service.id))


from . import communes, coverage, kinds, people, reports, transfer  # noqa: E402,F401  (their routes join this blueprint)


@bp.context_processor
def admin_helpers():
    from ..i18n import place_name
    from ..models import Province, Region

    def area_name(kind: str, code: str) -> str:
        area = db.session.get(Region if kind == "region" else Province, code)
        return place_name(area) if area else code

    return {"area_name": area_name,
            "action_label": lambda action: ACTIONS.get(action) or labels.action_label(action)}
