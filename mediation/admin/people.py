"""People: access requests, accounts, their communes, organisations, territory and role."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from .. import accounts, grants, mail
from ..directory import audit
from ..directory.reading.staff_lists import communes_in_scope
from ..extensions import db
from ..values import resolve_commune
from ..models import (
    AccessRequest,
    AccessRequestState,
    Commune,
    Organization,
    Province,
    Region,
    User,
)
from ..models.reference import utcnow
from .routes import bp


def requests_in_scope():
    scope = AccessRequest.refnis.in_(communes_in_scope(current_user))
    if current_user.is_national_admin:
        scope = or_(scope, AccessRequest.refnis.is_(None))
    return scope


def users_in_scope():
    """A national admin sees every account; a limited one, the editors of their communes."""
    if current_user.is_national_admin:
        return User.id.is_not(None)
    return User.communes.any(Commune.refnis.in_(communes_in_scope(current_user)))


@bp.get("/people")
def people():
    open_requests = db.session.scalars(select(AccessRequest).where(
        AccessRequest.state == AccessRequestState.open, requests_in_scope())
        .order_by(AccessRequest.created_at)).all()
    users = db.session.scalars(select(User).where(users_in_scope())
                               .order_by(User.role, User.email)).all()
    return render_template("admin/people.html", requests=open_requests, users=users)


def request_or_404(request_id: int) -> AccessRequest:
    found = db.session.scalar(select(AccessRequest).where(
        AccessRequest.id == request_id, AccessRequest.state == AccessRequestState.open,
        requests_in_scope())) if 0 < request_id < 2**31 else None
    if found is None:
        abort(404)
    return found


@bp.post("/people/requests/<int:request_id>/grant")
def grant_request(request_id: int):
    """Invite the requester as an editor of the commune they named."""
    access = request_or_404(request_id)
    if accounts.find_user(access.email) is not None:
        flash(_("An account with this address exists already: give it the commune from its page."),
              "error")
        return redirect(url_for("admin.people"))
    accounts.invite_user(access.email, "editor", inviter=current_user,
                         refnis=[access.refnis] if access.refnis else [],
                         name=access.name, lang=access.language, commit=False)
    decide(access, AccessRequestState.granted, "")
    flash(_("%(email)s is invited: they will receive an e-mail to choose their password.",
            email=access.email), "success")
    return redirect(url_for("admin.people"))


@bp.post("/people/requests/<int:request_id>/refuse")
def refuse_request(request_id: int):
    """Refuse a request; the requester is told, with the note."""
    access = request_or_404(request_id)
    note = request.form.get("note", "").strip()[:2000]
    mail.queue(access.email, "access_refused", access.language, request=access, note=note)
    decide(access, AccessRequestState.refused, note)
    flash(_("The request is refused; %(email)s is told.", email=access.email), "success")
    return redirect(url_for("admin.people"))


def decide(access: AccessRequest, state: AccessRequestState, note: str) -> None:
    access.state, access.decided_at = state, utcnow()
    access.decided_by_id, access.decision_note = current_user.id, note
    audit.record(current_user, f"access_request.{state.value}", access,
                 after={"state": state.value, "note": note})
    db.session.commit()


def user_or_404(user_id: int) -> User:
    found = db.session.scalar(select(User).where(User.id == user_id, users_in_scope())) \
        if 0 < user_id < 2**31 else None
    if found is None:
        abort(404)
    return found


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    """One account: role, communes, organisations, territory, active; every change audited."""
    user = user_or_404(user_id)
    problems = []
    if request.method == "POST":
        problems = update_person(user, request.form)
        if not problems:
            flash(_("The account is updated."), "success")
            return redirect(url_for("admin.person", user_id=user.id))
    regions = db.session.scalars(select(Region).order_by(Region.code)).all()
    provinces = db.session.scalars(select(Province).order_by(Province.code)).all()
    organizations = db.session.scalars(select(Organization).order_by(Organization.name_fr)).all()
    return render_template("admin/person.html", user=user, problems=problems, regions=regions,
                           provinces=provinces, organizations=organizations,
                           territory=grants.territory_of(current_user),
                           typed=request.form.get("add_commune", "")), 400 if problems else 200


def update_person(user: User, form) -> list[str]:
    """Apply the account form; return the problems (nothing is changed when there are any)."""
    problems = []
    keep = set(form.getlist("communes"))
    territory = grants.territory_of(current_user)
    # The form shows a limited admin only the communes of their territory; the others stay.
    communes = [c for c in user.communes
                if c.refnis in keep or (territory is not None and c.refnis not in territory)]
    typed = form.get("add_commune", "").strip()
    if typed:
        found, candidates = resolve_commune(typed)
        if found is None:
            problems.append(_("No single commune is known by “%(text)s”.", text=typed))
        else:
            communes.append(found)
    changes = grants.AccountChanges(
        role=form.get("role", user.role.value), active=form.get("active") == "1",
        communes=communes)
    if current_user.is_national_admin:
        chosen = {int(i) for i in form.getlist("organizations")
                  if i.isascii() and i.isdigit() and len(i) < 10}
        changes.organizations = list(db.session.scalars(
            select(Organization).where(Organization.id.in_(chosen))))
        if user.is_admin:
            changes.regions = [r for r in (db.session.get(Region, code)
                                           for code in form.getlist("regions")) if r]
            changes.provinces = [p for p in (db.session.get(Province, code)
                                             for code in form.getlist("provinces")) if p]
    if problems:
        return problems
    return grants.change_account(current_user, user, changes)


@bp.post("/people/<int:user_id>/sign-out")
def sign_out_everywhere(user_id: int):
    """End every session of the account (a lost phone, a shared computer)."""
    user = user_or_404(user_id)
    accounts.end_sessions(user, current_user, "user.signed_out_everywhere")
    flash(_("Every session of %(email)s has ended: they must sign in again.", email=user.email),
          "success")
    return redirect(url_for("admin.person", user_id=user.id))
