"""Staff sessions end when they should (issue 16, point 1): logout, a password change,
deactivation and "sign out everywhere" end every session of the account; a session also ends
after an idle time and an absolute lifetime, with a page that keeps what the request carried."""

import pytest

from support import COMMUNE_A, PASSWORD
from mediation.auth import sessions
from mediation.extensions import db
from mediation.models import AuditEvent, User

EDITOR = "editor@schaerbeek.be"



@pytest.fixture(autouse=True)
def _rate_limits_off(monkeypatch):
    """The limiter is shared by every app of the process: an earlier test may have left it on."""
    from mediation.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)

def html(response):
    return response.get_data(as_text=True)


def signed_in_client(app, email=EDITOR, password=PASSWORD):
    client = app.test_client()
    response = client.post("/en/account/login", data={"email": email, "password": password})
    assert response.status_code == 302
    return client


def saved_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """Open the dashboard with a cookie saved earlier, from another browser."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/en/manage/")


def test_a_cookie_saved_before_logout_no_longer_opens_the_dashboard(app, make_user):
    make_user(EDITOR)
    client = signed_in_client(app)
    cookie = saved_cookie(client)
    assert replay(app, cookie).status_code == 200
    client.post("/en/account/logout")
    response = replay(app, cookie)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/account/login?next=")
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent.action).where(
            AuditEvent.action == "user.logged_out")) == "user.logged_out"


def test_logout_ends_the_sessions_of_the_account_on_other_devices_too(app, make_user):
    make_user(EDITOR)
    office, home = signed_in_client(app), signed_in_client(app)
    office.post("/en/account/logout")
    assert home.get("/en/manage/").status_code == 302


def test_a_replayed_cookie_stays_dead_when_a_deactivated_account_is_reactivated(app, make_user):
    editor = make_user(EDITOR)
    admin = make_user("admin@example.be", role="admin")
    cookie = saved_cookie(signed_in_client(app))
    boss = signed_in_client(app, "admin@example.be")
    form = {"role": "editor", "communes": [COMMUNE_A]}
    assert boss.post(f"/en/admin/people/{editor}", data=form).status_code == 302  # deactivated
    assert replay(app, cookie).status_code == 302
    boss.post(f"/en/admin/people/{editor}", data={**form, "active": "1"})  # reactivated
    with app.app_context():
        assert db.session.get(User, editor).active and admin
    assert replay(app, cookie).status_code == 302
    # The owner signs in again and works as before.
    assert signed_in_client(app).get("/en/manage/").status_code == 200


def test_an_admin_signs_an_account_out_everywhere(app, make_user):
    editor = make_user(EDITOR)
    make_user("admin@example.be", role="admin")
    phone = signed_in_client(app)
    boss = signed_in_client(app, "admin@example.be")
    page = html(boss.get(f"/en/admin/people/{editor}"))
    assert "Sign out everywhere" in page
    response = boss.post(f"/en/admin/people/{editor}/sign-out", follow_redirects=True)
    assert f"Every session of {EDITOR} has ended" in html(response)
    assert phone.get("/en/manage/").status_code == 302
    assert boss.get("/en/admin/").status_code == 200  # the admin's own session goes on
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(
            action="user.signed_out_everywhere"))
        assert event.entity_id == str(editor)


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock: clock.advance(minutes=…)."""
    import time

    class Clock:
        moment = time.time()

        def advance(self, minutes=0, hours=0):
            self.moment += minutes * 60 + hours * 3600

    moved = Clock()
    monkeypatch.setattr(sessions, "now", lambda: moved.moment)
    return moved


def test_a_session_ends_after_two_hours_without_a_request(app, make_user, clock):
    make_user(EDITOR)
    client = signed_in_client(app)
    clock.advance(minutes=119)
    assert client.get("/en/manage/").status_code == 200  # a request: the idle time restarts
    clock.advance(minutes=119)
    assert client.get("/en/manage/").status_code == 200
    clock.advance(minutes=121)
    response = client.get("/en/manage/")
    assert response.status_code == 401
    page = html(response)
    assert "You have been signed out" in page
    assert "a session ends after 120 minutes without activity, and 12 hours after signing in" \
        in page
    assert 'href="/en/account/login?next=/en/manage/' in page
    # And it stays ended: the page signed the cookie out.
    clock.advance(minutes=-121)
    assert client.get("/en/manage/").status_code == 302


def test_a_session_ends_twelve_hours_after_signing_in_however_busy(app, make_user, clock):
    make_user(EDITOR)
    client = signed_in_client(app)
    for _hour in range(11):
        clock.advance(minutes=60)
        assert client.get("/en/manage/").status_code == 200
    clock.advance(minutes=61)
    assert client.get("/en/manage/").status_code == 401


def test_the_signed_out_page_keeps_what_the_form_carried(app, make_user, clock):
    make_user(EDITOR)
    client = signed_in_client(app)
    clock.advance(hours=3)
    response = client.post("/en/manage/services/new", data={
        "name_fr": "Médiation de quartier de Schaerbeek", "description_fr": "Deux lignes\nde texte",
        "csrf_token": "not shown"})
    assert response.status_code == 401
    page = html(response)
    assert "You have been signed out" in page and "What you typed" in page
    assert "Médiation de quartier de Schaerbeek</textarea>" in page
    assert "Deux lignes\nde texte</textarea>" in page
    assert "not shown" not in page


@pytest.mark.parametrize("settings, minutes, status", [
    ({"STAFF_IDLE_MINUTES": 15}, 16, 401), ({"STAFF_IDLE_MINUTES": 15}, 14, 200),
    ({"STAFF_SESSION_HOURS": 1, "STAFF_IDLE_MINUTES": 600}, 61, 401),
])
def test_idle_time_and_lifetime_are_settings(app, make_user, clock, monkeypatch, settings,
                                             minutes, status):
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    make_user(EDITOR)
    client = signed_in_client(app)
    clock.advance(minutes=minutes)
    assert client.get("/en/manage/").status_code == status


def test_a_cookie_without_its_session_times_is_refused(app, make_user):
    """A cookie of the old kind (or one re-signed with the key, dated as anyone likes) that
    lacks the sign-in time opens nothing."""
    make_user(EDITOR)
    client = signed_in_client(app)
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert client.get("/en/manage/").status_code == 401
    client = signed_in_client(app)
    with client.session_transaction() as session:
        session["signed_in_at"] = session["seen_at"] = int(sessions.now()) - 30 * 24 * 3600
    assert client.get("/en/manage/").status_code == 401
