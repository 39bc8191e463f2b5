"""Staff sessions that end: by version (logout, password change, deactivation, "sign out
everywhere" bump the account's version), after an idle time and after an absolute lifetime.

The session cookie carries, beside the account id and version that Flask-Login keeps, the
moment of signing in and of the last request; a cookie past either limit is refused and the
page says the person was signed out after inactivity, with what their request carried.
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, render_template, request, session
from flask_login import login_url, login_user, logout_user

from .. import accounts
from ..extensions import DATABASE_UNAVAILABLE, login_manager
from ..models import load_user as load_account

SIGNED_IN_AT, SEEN_AT, STAFF = "signed_in_at", "seen_at", "staff"
SEEN_EVERY = 60  # seconds: the last-seen time is rewritten at most this often
NOT_SHOWN_AGAIN = frozenset({"csrf_token", "password", "confirm"})


def now() -> float:
    return time.time()


def sign_in(user, lang: str) -> None:
    """Start a new session for the account (nothing of the anonymous one is carried over)."""
    session.clear()
    login_user(user)
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(now())
    # Enough to show the staff menu on an error page without asking the database.
    session[STAFF] = {"admin": user.is_admin}
    accounts.record_login(user, lang)


def sign_out(user) -> None:
    """End this session and every other one of the account."""
    if user.is_authenticated:
        accounts.end_sessions(user, user, "user.logged_out")
    logout_user()
    session.clear()


def expired(moment: float) -> bool:
    """Return whether the session is past its idle time or its lifetime (or has no times)."""
    config = current_app.config
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in, int) or not isinstance(seen, int):
        return True  # a cookie made before these limits: sign in again
    return (moment - signed_in > float(config["STAFF_SESSION_HOURS"]) * 3600
            or moment - seen > float(config["STAFF_IDLE_MINUTES"]) * 60
            or signed_in > moment + 60)


def load_user(session_id: str):
    """Return the account of a session cookie that is neither expired nor of an old version.

    When the database does not answer, say so and let the error page show a signed-in page
    without asking the database again (web.py).
    """
    moment = now()
    if expired(moment):
        g.session_expired = True
        return None
    try:
        user = load_account(session_id)
    except DATABASE_UNAVAILABLE:
        g.staff_offline = True
        raise
    if user is not None and moment - session[SEEN_AT] >= SEEN_EVERY:
        session[SEEN_AT] = int(moment)
    return user


class OfflineStaff:
    """Who the session says is signed in, while the database cannot say more."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_national_admin = False

    def __init__(self, user_id: str, admin: bool):
        self.id, self.is_admin = user_id, admin

    def get_id(self) -> str:
        return self.id


def user_without_database():
    """The signed-in person as the session cookie alone tells (no database), or anonymous."""
    user_id = session.get("_user_id")
    if not user_id or expired(now()):
        return login_manager.anonymous_user()
    return OfflineStaff(user_id, bool((session.get(STAFF) or {}).get("admin")))


def typed_fields() -> list[tuple[str, str]]:
    """What the request's form carried, to show again (never a password or the CSRF token)."""
    if request.method != "POST":
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in NOT_SHOWN_AGAIN and value.strip()][:100]


def unauthorized():
    """A staff page without a valid session: the expired page, or the sign-in page."""
    if g.get("session_expired"):
        logout_user()
        session.clear()
        return render_template("auth/session_expired.html", typed=typed_fields(),
                               next_url=request.full_path if request.method == "GET"
                               else request.path), 401
    if login_manager.login_message:
        flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def init_app(app) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
