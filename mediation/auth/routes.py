"""Account pages under /<lang>/account: sign in and out, ask for access, set a password."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import accounts
from ..directory.moderation import incoming as operations
from ..extensions import limiter
from ..i18n import current_language
from . import throttling
from .forms import AccessRequestForm, ChoosePasswordForm, ForgotPasswordForm, LoginForm
from .sessions import sign_in, sign_out

bp = Blueprint("auth", __name__, url_prefix="/<lang>/account")


def safe_next(target: str | None) -> str | None:
    """Return a local staff address to go back to after signing in, else None."""
    if not target:
        return None
    parts = urlsplit(target)
    # Browsers read "///host" and "/\\host" as another site: only "/<lang>/manage|admin/…".
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in target:
        return None
    segments = parts.path.split("/")
    if (len(segments) < 3 or segments[1] not in current_app.config["LANGUAGES"]
            or segments[2] not in ("manage", "admin")):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttling.per_worker("SIGN_IN_PER_ADDRESS"), methods=["POST"])
def login():
    """Sign a staff member in; the same answer whether or not an address is known.

    Wrong passwords slow down the account and address pair that types them (throttling.py),
    never the account's owner elsewhere.
    """
    if current_user.is_authenticated:
        return redirect(landing(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        if throttling.sign_in_delayed(form.email.data):
            return too_many_attempts(None)
        user = accounts.find_user(form.email.data)
        if accounts.check_password(user, form.password.data) and user.active:
            throttling.forget_failures(form.email.data)
            sign_in(user, current_language())
            return redirect(safe_next(request.args.get("next")) or landing(user))
        throttling.note_failure(form.email.data)
        form.form_errors.append(_("The e-mail address or the password is not right."))
    return render_template("auth/login.html", form=form)


def landing(user) -> str:
    """Where a staff member starts: the dashboard for an admin, their services for an editor."""
    return url_for("admin.index") if user.is_admin else url_for("manage.index")


@bp.post("/logout")
def logout():
    """Sign out: this session and every other one of the account end."""
    sign_out(current_user)
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/request-access", methods=["GET", "POST"])
@limiter.limit(throttling.per_worker("5 per hour; 20 per day"), methods=["POST"],
               deduct_when=lambda response: response.status_code == 302)
def request_access():
    """File a request for an editor's account, for the federal admins to decide."""
    form = AccessRequestForm()
    if form.validate_on_submit():
        operations.request_access(form, current_language())
        flash(_("Thank you. Your request has been sent to the directory's team; you will "
                "receive an e-mail when your account is ready."), "success")
        return redirect(url_for("auth.request_access"))
    return render_template("auth/request_access.html", form=form), 400 if form.errors else 200


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(throttling.per_worker("5 per minute; 20 per hour"), methods=["POST"])
@limiter.limit(throttling.per_worker("MAILS_PER_RECIPIENT"), methods=["POST"],
               key_func=throttling.recipient)
def forgot_password():
    """Mail a reset link; say the same whether or not the address has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_reset(form.email.data)
        flash(_("If an account uses this address, a link to choose a new password has been "
                "sent to it. The link works for one hour."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return choose_password(token, "reset")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    return choose_password(token, "invitation")


def choose_password(token: str, purpose: str):
    """Let the holder of a valid signed link choose a password, then sign them in."""
    user, problem = accounts.read_token(token, purpose)
    if user is None:
        return render_template("auth/link_invalid.html", problem=problem, purpose=purpose), 400
    form = ChoosePasswordForm()
    if form.validate_on_submit() and password_allowed(form, user):
        action = "user.password_reset" if purpose == "reset" else "user.invitation_accepted"
        accounts.choose_password(user, form.password.data, action)
        sign_in(user, current_language())
        flash(_("Your password has been saved. Welcome!"), "success")
        return redirect(url_for("manage.index"))
    return render_template("auth/choose_password.html", form=form, user=user, purpose=purpose)


def password_allowed(form: ChoosePasswordForm, user) -> bool:
    """Refuse a common or guessable password, or one made of the e-mail address or name."""
    problem = accounts.password_problem(form.password.data, user.email, user.name)
    if problem:
        form.password.errors.append(problem)
    return problem is None


@bp.errorhandler(429)
def too_many_attempts(error):
    """Too many attempts: say so on the same form, what was typed kept (never the password)."""
    forms = {"auth.login": (LoginForm, "auth/login.html"),
             "auth.request_access": (AccessRequestForm, "auth/request_access.html"),
             "auth.forgot_password": (ForgotPasswordForm, "auth/forgot_password.html")}
    form_class, template = forms.get(request.endpoint, (LoginForm, "auth/login.html"))
    form = form_class()
    form.form_errors.append(_("Too many attempts in a short time. Please wait a few minutes "
                              "and try again."))
    return render_template(template, form=form), 429
