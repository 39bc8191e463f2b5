"""The federal admins' area under /<lang>/admin: what needs action, review, every service."""

import re

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.attributes import set_committed_value

from ..directory.reading import staff_lists as admin_queries
from ..directory import moderation
from ..directory.moderation.diff import diff
from ..directory.fields import apply_fields, fields_of
from ..directory.permissions import manageable
from .. import labels
from ..extensions import db, login_manager
from ..models import Commune, Revision, RevisionState, Service, ServiceStatus
from ..public.forms import ErrorReportForm
from .forms import ArchiveForm, DecisionForm, ServiceFilterForm

bp = Blueprint("admin", __name__, url_prefix="/<lang>/admin")

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
    """A review item's key: "R<id>" for a proposed change (never changed once submitted), or
    "S<id>v<version>" for a new service, decided at the version the admin saw."""
    return f"R{revision.id}" if revision else f"S{service.id}v{service.version}"


ITEM_KEY = re.compile(r"^(?:R(\d{1,9})|S(\d{1,9})(?:v(\d{1,9}))?)$")


def find_item(key: str):
    """Return (service, revision, seen version) of a review item in this territory."""
    found = ITEM_KEY.match(key or "")
    if found is None:
        abort(404)
    revision_id, service_id, version = found.groups()
    if service_id:
        service = service_or_404(int(service_id))
        if service.status is not ServiceStatus.pending:
            abort(404)
        return service, None, int(version) if version else None
    revision = db.session.get(Revision, int(revision_id))
    if revision is None or revision.state is RevisionState.draft:
        abort(404)
    return service_or_404(revision.service_id), revision, None


@bp.get("/review")
def review():
    """New services and proposed changes awaiting a decision, oldest submission first."""
    items = [(service, revision, item_key(service, revision))
             for service, revision in moderation.pending_items()
             if admin_queries.in_scope(current_user, service)]
    return render_template("admin/review.html", items=items, form=DecisionForm(),
                           submitted_at=moderation.submitted_at)


def render_item(key: str, form: DecisionForm, status: int = 200):
    service, revision, _seen = find_item(key)
    if revision is None:
        changes = diff(None, fields_of(service))
    else:
        changes = diff(fields_of(service), revision.fields)
    return render_template(
        "admin/review_item.html", service=service, revision=revision, key=key,
        changes=changes, form=form, author=moderation.author_of(service, revision),
        submitted=moderation.submitted_at(service, revision),
        decided=revision is not None and revision.state is not RevisionState.pending,
        newer=revision is not None and moderation.pending_revision(service) not in (None, revision),
    ), status


@bp.get("/review/<key>")
def review_item(key: str):
    """One item with its field-by-field differences in words."""
    return render_item(key, DecisionForm())


@bp.get("/review/<key>/preview")
def preview(key: str):
    """The public page of the service as it will look once the item is approved; nothing
    is written (the proposal is applied in memory, then forgotten)."""
    service, revision, _seen = find_item(key)
    with db.session.no_autoflush:
        if revision is not None:
            apply_fields(service, revision.fields)
        # What is not flushed is not loaded by relationship: name the communes by hand.
        for place in [*service.areas, *service.locations]:
            set_committed_value(place, "commune", db.session.get(Commune, place.refnis))
        page = render_template("public/service.html", service=service, form=ErrorReportForm(),
                               preview=key)
    db.session.rollback()
    response = make_response(page)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.post("/review/decide")
def decide():
    """Approve or reject one or several items; a rejection needs a reason for its authors.
    From an item's page, a refused decision shows that page again with the error."""
    form = DecisionForm()
    keys = request.form.getlist("items")
    one = request.form.get("from") == "item" and len(keys) == 1
    if not form.validate() or not keys:
        if one:
            return render_item(keys[0], form, 400)
        flash(_("Choose at least one item, and give a reason to reject."), "error")
        return redirect(url_for("admin.review"))
    items = [find_item(key) for key in keys]  # every key checked before anything is decided
    done, own, moved = 0, 0, 0
    for service, revision, seen in items:
        try:
            if form.decision.data == "approve":
                moderation.approve(current_user, service, revision, seen_version=seen)
            else:
                moderation.reject(current_user, service, revision, form.reason.data,
                                  seen_version=seen)
        except moderation.OwnChange:
            db.session.rollback()
            own += 1
            continue
        except moderation.NotPending:
            db.session.rollback()
            moved += 1
            continue
        done += 1
    if form.decision.data == "approve":
        flash(ngettext("%(num)d item approved and published.",
                       "%(num)d items approved and published.", done), "success")
    else:
        flash(ngettext("%(num)d item rejected; its author is told why.",
                       "%(num)d items rejected; their authors are told why.", done), "success")
    if own:
        flash(ngettext("%(num)d item is your own change: another admin decides on it.",
                       "%(num)d items are your own changes: another admin decides on them.",
                       own), "error")
    if moved:
        flash(ngettext("%(num)d item changed or was decided since you opened it: please look "
                       "at it again.",
                       "%(num)d items changed or were decided since you opened them: please "
                       "look at them again.", moved), "error")
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
    return history_page(service_or_404(service_id))


def history_page(service: Service, archive_form=None, status: int = 200):
    return render_template("admin/history.html", service=service,
                           entries=admin_queries.history(service),
                           state=admin_queries.state_of(service),
                           archive_form=archive_form or ArchiveForm()), status


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
    """Take a service off the public directory, with a reason and a confirmation."""
    service = service_or_404(service_id, archived=False)
    form = ArchiveForm()
    if not form.validate():
        return history_page(service, archive_form=form, status=400)
    try:
        moderation.archive(current_user, service, form.reason.data)
    except moderation.EditConflict:
        flash(_("Someone changed this service meanwhile: please look at it again."), "error")
    else:
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


from . import communes, coverage, kinds, people, provenance, reports, transfer  # noqa: E402,F401  (their routes join this blueprint)


@bp.context_processor
def admin_helpers():
    from ..i18n import place_name
    from ..models import Province, Region

    def area_name(kind: str, code: str) -> str:
        area = db.session.get(Region if kind == "region" else Province, code)
        return place_name(area) if area else code

    return {"area_name": area_name,
            "action_label": labels.action_label}
