"""The commune editors' pages under /<lang>/manage: their services, the form, verification."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import accounts
from ..directory import moderation, provenance
from ..directory.fields import TEXT_LANGUAGES, language_complete, required_languages
from ..directory.reading.duplicates import likely_duplicates
from ..directory.permissions import managed_service_or_none, manageable, may_manage
from ..directory.reading.states import due_at, returned_ids, state_of, states_of
from ..auth import throttling
from ..extensions import db, limiter, login_manager
from ..i18n import commune_label, commune_name, localized
from ..wording import field_text
from ..models import Commune, ErrorReport, ErrorReportStatus, Service, ServiceStatus
from .editing import communes_of_group, form_data, group_choices, organization_choices, read_fields
from ..forms import options
from .forms import InviteForm, ServiceFormClass

bp = Blueprint("manage", __name__, url_prefix="/<lang>/manage")


# The only pages opened without signing in: a signed link stands in for it (check.py).
LINK_ENDPOINTS = frozenset({"manage.check_entry"})


@bp.before_request
def require_staff():
    """Deny by default: every page here needs a signed-in editor or admin, except those
    opened by a signed link."""
    if request.endpoint in LINK_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()


def service_or_404(service_id: int) -> Service:
    """Return a service this user may manage; any other id answers 404 and leaks nothing."""
    found = managed_service_or_none(current_user, service_id)
    if found is None:
        abort(404)
    return found


@bp.get("/")
def index():
    """The editor's services with their state, and what citizens reported about them."""
    services = db.session.scalars(select(Service).where(
        manageable(current_user), Service.status != ServiceStatus.archived)
        .order_by(Service.name_fr, Service.name_nl, Service.id)).all()
    ids = [s.id for s in services]
    reports = db.session.scalars(select(ErrorReport).where(
        ErrorReport.service_id.in_(ids), ErrorReport.status == ErrorReportStatus.open)
        .order_by(ErrorReport.created_at.desc())).all() if ids else []
    states = states_of(services)
    for service_id in returned_ids(services):
        states[service_id] = "returned"
    return render_template("manage/index.html", services=services, states=states,
                           due_at=due_at, reports=reports)


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    return edit(None)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
def edit_service(service_id: int):
    return edit(service_or_404(service_id))


def build_form(service: Service | None, opened: moderation.Opened | None):
    communes = request.form.getlist("communes")
    options_ = {"organizations": None, "group_choices": group_choices()}
    current = service.organization if service else None
    if request.method == "POST":
        options_["organizations"] = organization_choices(current_user, communes, current)
        return ServiceFormClass(**options_)
    if opened is None:
        data = {"communes": [c.refnis for c in current_user.communes][:1]}
        if len(current_user.communes) == 1:
            data["organization"] = f"commune:{current_user.communes[0].refnis}"
    else:
        data = form_data(opened.fields)
    options_["organizations"] = organization_choices(current_user, data.get("communes", []), current)
    form = ServiceFormClass(data=data, **options_)
    form.stamp.data = moderation.stamp(service) if service else ""
    return form


def edit(service: Service | None):
    """Show and save the service form: add communes, save a draft, or submit for review."""
    opened = moderation.opened_for(current_user, service) if service else None
    form = build_form(service, opened)
    conflict, conflict_lines = None, []
    group_added: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        if action in ("save", "submit"):
            valid = form.validate()
        else:  # adding communes says nothing about the other fields
            valid = False
            form.add_commune.validate(form)
        group_added = add_communes(form, action)
        if action in ("save", "submit") and valid:
            problems = form.submission_problems() if action == "submit" else []
            for field_id, message in problems:
                form[field_id].errors = list(form[field_id].errors) + [message]
            if not problems:
                previous = opened.fields if opened else None
                fields = read_fields(form, previous)
                try:
                    saved = moderation.save(current_user, service, fields,
                                            submit=action == "submit", opened_stamp=form.stamp.data)
                except moderation.EditConflict as clash:
                    db.session.rollback()
                    conflict = clash
                    conflict_lines = differences(form, clash.current)
                    form.stamp.data = moderation.stamp(service)
                    opened = moderation.opened_for(current_user, service)
                    status = 409
                else:
                    flash(saved_message(saved), "success")
                    warn_of_duplicates(saved.service.id, fields, previous)
                    return redirect(url_for("manage.edit_service", service_id=saved.service.id))
        if form.errors and status == 200:
            status = 400 if action in ("save", "submit") else 200
    return render_template("manage/service_form.html", form=form, service=service,
                           conflict=conflict, conflict_lines=conflict_lines,
                           completeness=completeness(form), opened=opened,
                           outside=[commune_label(c) for c in outside_communes(form)],
                           group_added=group_added,
                           state=state_of(service) if service else "new"), status


def warn_of_duplicates(service_id: int, fields: dict, previous: dict | None) -> None:
    """Name the services this one may duplicate; when editing, only those the change adds."""
    found = likely_duplicates(fields, exclude_id=service_id)
    if previous is not None:
        known = {s.id for s in likely_duplicates(previous, exclude_id=service_id)}
        found = [s for s in found if s.id not in known]
    # Names of services awaiting review stay among the people who may manage them.
    found = [s for s in found if s.status is ServiceStatus.published or may_manage(current_user, s)]
    if found:
        flash(_("Is this the same service as %(names)s? A service with a similar name or the "
                "same address already serves the same commune. If so, please correct that "
                "entry rather than keep two.",
                names=", ".join(localized(s, "name")[0] for s in found)), "warning")


def differences(form, theirs: dict) -> list[tuple[str, str]]:
    """(label, their value in words) of each field where the saved version differs from the
    form."""
    lines = []
    data = form_data(theirs)
    for name, value in data.items():
        if name not in form or name in ("stamp",):
            continue
        mine = form[name].data
        if isinstance(value, list) or isinstance(mine, list):
            if sorted(value or []) == sorted(mine or []):
                continue
            shown = field_text(name, list(value or []))
        else:
            if (value or "") == (mine or "") or str(value) == str(mine):
                continue
            if name == "organization":
                shown = field_text("organization_id", theirs.get("organization_id"))
            elif name == "wheelchair_access":
                shown = field_text(name, {"yes": True, "no": False}.get(value))
            elif name in theirs:
                shown = field_text(name, theirs[name])
            else:
                shown = field_text(name, value)
        lines.append((str(form[name].label.text), shown))
    return lines


def add_communes(form, action: str) -> list[str]:
    """Add what the editor typed or chose to the communes covered (kept when saving); return
    the communes a group just added, which one button takes back."""
    codes = list(form.communes.data or [])
    added: list[str] = []
    if form.add_commune.commune is not None:
        codes.append(form.add_commune.commune.refnis)
        form.add_commune.data = ""
    if action == "add_group":
        added = [c for c in communes_of_group(form.add_group.data) if c not in codes]
        codes += added
        form.add_group.data = ""
    if action == "undo_group":
        taken_back = set(request.form.get("group_added", "").split())
        codes = [c for c in codes if c not in taken_back]
    codes = [c for c in dict.fromkeys(codes) if db.session.get(Commune, c) is not None]
    form.communes.data = codes
    form.communes.choices = options((code, code) for code in codes)
    return added


def outside_communes(form) -> list[str]:
    """The communes covered that this editor does not manage: the admins check the coverage."""
    if current_user.is_admin:
        return []
    own = {c.refnis for c in current_user.communes}
    return [code for code in form.communes.data or [] if code not in own]


def completeness(form) -> dict:
    fields = {"texts": {name: {lang: form[f"{name}_{lang}"].data or "" for lang in TEXT_LANGUAGES}
                        for name in ("name", "description")}}
    needed = required_languages(form.communes.data or [])
    return {lang: {"complete": language_complete(fields, lang), "required": lang in needed}
            for lang in TEXT_LANGUAGES}


def saved_message(saved) -> str:
    if saved.replaced:
        return _("Thank you. Your new submission replaces the one awaiting review.")
    if saved.service.status is ServiceStatus.published:
        if saved.revision is None and current_user.is_admin and saved.submitted:
            return _("The changes are published.")
        if saved.revision is None:
            return _("Nothing has changed.")
        if saved.submitted:
            return _("Thank you. Your changes will be published after review; until then the "
                     "public page shows the current version.")
        return _("Your changes are saved as unsubmitted changes. Submit them for review when "
                 "they are ready.")
    if saved.service.status is ServiceStatus.pending and not saved.submitted:
        return _("Your changes are saved as unsubmitted changes; the directory's team still "
                 "reviews what you submitted. Submit again to replace it.")
    if saved.submitted:
        return _("Thank you. The service will be published after review.")
    return _("The draft is saved. It is not public; submit it for review when it is complete.")


@bp.post("/services/<int:service_id>/withdraw")
def withdraw(service_id: int):
    """Withdraw the changes awaiting review; the published version stays as it is."""
    service = service_or_404(service_id)
    revision = moderation.pending_revision(service)
    if revision is not None:
        try:
            moderation.withdraw(current_user, revision)
        except moderation.NotPending:
            flash(_("These changes were decided meanwhile: they can no longer be withdrawn."),
                  "warning")
        else:
            flash(_("Your changes have been withdrawn. The published version stays as it is."),
                  "success")
    return redirect(url_for("manage.edit_service", service_id=service.id))


@bp.route("/services/<int:service_id>/verify", methods=["GET", "POST"])
def verify(service_id: int):
    """Show the published entry, then record that it is still accurate."""
    service = service_or_404(service_id)
    if service.status is not ServiceStatus.published:
        abort(404)
    if request.method == "POST":
        moderation.verify(current_user, service)
        # An entry taken from a list is confirmed when an editor of its organisation checks it.
        if provenance.from_source(service) and not current_user.is_admin:
            provenance.confirm(current_user, service, provenance.EDITOR)
        flash(_("Thank you. The entry is marked as checked today."), "success")
        return redirect(url_for("manage.index"))
    return render_template("manage/verify.html", service=service, due=due_at(service))


def invite_form() -> InviteForm:
    """The invitation form, offering the communes and organisations this editor manages."""
    form = InviteForm()
    form.communes.choices = options((c.refnis, commune_name(c)) for c in current_user.communes)
    form.organizations.choices = options((str(o.id), o.name_fr or o.name_nl)
                                         for o in current_user.organizations)
    return form


@bp.route("/invite", methods=["GET", "POST"])
@limiter.limit(throttling.per_worker("INVITATIONS_PER_INVITER"), methods=["POST"],
               key_func=throttling.inviter, deduct_when=lambda response: response.status_code == 302)
@limiter.limit(throttling.per_worker("MAILS_PER_RECIPIENT"), methods=["POST"],
               key_func=throttling.recipient, deduct_when=lambda response: response.status_code == 302)
def invite():
    """Invite a colleague to the communes and organisations this editor manages.

    The answer is the same whether or not the address has an account: the account is made and
    mailed after the answer, unless it exists (then its owner has access already).
    """
    form = invite_form()
    if request.method == "GET":
        form.communes.data = [c.refnis for c in current_user.communes]
    if form.validate_on_submit():
        if not (form.communes.data or form.organizations.data):
            form.communes.errors = [_("Please choose at least one commune or organisation.")]
        else:
            accounts.request_invitation(form.email.data, "editor", inviter=current_user,
                                        refnis=form.communes.data,
                                        organization_ids=[int(i) for i in form.organizations.data],
                                        name=form.name.data or "", lang=form.language.data)
            flash(_("An invitation is on its way to %(email)s, unless this person already has "
                    "access.", email=form.email.data), "success")
            return redirect(url_for("manage.index"))
    return render_template("manage/invite.html", form=form), 400 if form.errors else 200


@bp.errorhandler(429)
def too_many_invitations(error):
    """Too many invitations: say so on the form, what was typed kept."""
    if request.endpoint != "manage.invite":
        from ..web import error_page, slug

        return error_page(429, slug(error), error, error.get_headers())
    form = invite_form()
    form.validate()
    form.form_errors.append(_("You have sent many invitations in a short time. Please wait "
                              "and try again later, or ask the directory's team."))
    return render_template("manage/invite.html", form=form), 429


from . import check  # noqa: E402,F401  (its route joins this blueprint)
