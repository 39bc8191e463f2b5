"""Account pages: sign in and out, ask for access, choose a password from a mailed link."""

import re
import socket
import time

import pytest
from itsdangerous.timed import TimestampSigner

from support import PASSWORD
from mediation import create_app
from mediation.extensions import db, limiter
from mediation.models import AccessRequest, AuditEvent, OutboxMessage, User

WRONG_ANSWER = "The e-mail address or the password is not right."


def html(response):
    return response.get_data(as_text=True)


def user_by_email(email):
    return db.session.scalar(db.select(User).filter_by(email=email))


@pytest.fixture
def clock(monkeypatch):
    """Move the clock of signed links: clock.advance(seconds) makes links that much older."""

    class Clock:
        offset = 0

        def advance(self, seconds):
            self.offset += seconds

    moved = Clock()
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) + moved.offset)
    return moved


def mailed_link(sink, email, kind):
    """Return the path of the signed link of the last message mailed to `email`."""
    body = sink.to(email)[-1].get_content()
    found = re.search(rf"https?://[^/\s]+(/\w\w/account/{kind}/\S+)", body)
    assert found, body
    return found.group(1)


# --- Sign in ---------------------------------------------------------------------------------

def test_right_password_signs_in_and_opens_the_dashboard(client, make_user, app):
    make_user("editor@schaerbeek.be")
    response = client.post("/fr/account/login", data={"email": " Editor@Schaerbeek.be ",
                                                      "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/manage/"
    assert "Signed in as editor@schaerbeek.be" in html(client.get("/en/manage/"))
    with app.app_context():
        user = user_by_email("editor@schaerbeek.be")
        assert user.last_login_at is not None
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="user.logged_in", entity_id=str(user.id))) is not None


def page_without(page, *typed):
    for text in typed:
        page = page.replace(text, "TYPED")
    return page


def test_wrong_password_and_unknown_address_get_the_very_same_answer(client, make_user):
    make_user("editor@schaerbeek.be")
    wrong = client.post("/en/account/login", data={"email": "editor@schaerbeek.be",
                                                   "password": "not the password"})
    unknown = client.post("/en/account/login", data={"email": "nobody@schaerbeek.be",
                                                     "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG_ANSWER in html(wrong)
    assert page_without(html(wrong), "editor@schaerbeek.be") == \
        page_without(html(unknown), "nobody@schaerbeek.be")
    assert client.get("/en/manage/").status_code == 302


def test_inactive_account_is_refused_with_the_same_answer(client, make_user):
    make_user("gone@schaerbeek.be", active=False)
    response = client.post("/en/account/login", data={"email": "gone@schaerbeek.be",
                                                      "password": PASSWORD})
    assert response.status_code == 200
    assert WRONG_ANSWER in html(response)
    assert client.get("/en/manage/").status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"email": "", "password": "x"}, "Please enter your e-mail address."),
    ({"email": "not-an-address", "password": "x"}, "This e-mail address does not look valid."),
    ({"email": "editor@schaerbeek.be", "password": ""}, "Please enter your password."),
])
def test_sign_in_form_rules(client, data, message):
    response = client.post("/en/account/login", data=data)
    assert response.status_code == 200
    assert message in html(response)


def test_signing_in_starts_a_new_session(client, make_user):
    make_user("editor@schaerbeek.be")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/fr/account/login", data={"email": "editor@schaerbeek.be", "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


@pytest.mark.parametrize("role, lang, landing", [
    ("admin", "fr", "/fr/admin/"), ("admin", "de", "/de/admin/"), ("editor", "nl", "/nl/manage/"),
])
def test_admins_land_on_their_dashboard_and_editors_on_their_services(
        client, make_user, role, lang, landing):
    make_user("someone@example.be", role=role)
    response = client.post(f"/{lang}/account/login",
                           data={"email": "someone@example.be", "password": PASSWORD})
    assert response.headers["Location"] == landing
    assert client.get(f"/{lang}/account/login").headers["Location"] == landing  # signed in
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize("target, expected", [
    ("/fr/manage/services/new", "/fr/manage/services/new"),
    ("/nl/admin/queue", "/nl/admin/queue"),
    ("https://evil.example/fr/manage/", "/fr/manage/"),
    ("//evil.example/fr/manage/", "/fr/manage/"),
    ("///evil.example/manage/", "/fr/manage/"),
    ("/\\evil.example/manage/", "/fr/manage/"),
    ("/fr/services/1", "/fr/manage/"),
    ("javascript:alert(1)", "/fr/manage/"),
])
def test_next_leads_only_to_local_staff_pages(client, make_user, target, expected):
    make_user("editor@schaerbeek.be")
    response = client.post("/fr/account/login", query_string={"next": target},
                           data={"email": "editor@schaerbeek.be", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_a_staff_page_sends_to_sign_in_and_back(client, make_user):
    response = client.get("/en/manage/services/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/account/login?next=")
    make_user("editor@schaerbeek.be")
    signed_in = client.post(response.headers["Location"],
                            data={"email": "editor@schaerbeek.be", "password": PASSWORD})
    assert signed_in.headers["Location"] == "/en/manage/services/new"


def test_logout_is_a_post_and_ends_the_session(client, auth):
    auth.as_editor()
    assert client.get("/en/account/logout").status_code == 405
    response = auth.logout("en")
    assert response.headers["Location"] == "/en/account/login"
    assert "You are signed out." in html(client.get("/en/account/login"))
    assert client.get("/en/manage/").status_code == 302


# --- Password reset ----------------------------------------------------------------------------

RESET_ANSWER = "If an account uses this address, a link to choose a new password has been sent"


def test_reset_says_the_same_for_known_and_unknown_addresses(client, make_user, smtp):
    make_user("editor@schaerbeek.be")
    known = client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    known_page = html(client.get(known.headers["Location"]))
    unknown = client.post("/en/account/reset", data={"email": "nobody@schaerbeek.be"})
    unknown_page = html(client.get(unknown.headers["Location"]))
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert RESET_ANSWER in known_page and known_page == unknown_page
    assert [m["To"] for m in smtp.messages] == ["editor@schaerbeek.be"]


def test_the_reset_link_works_once(client, make_user, smtp, app):
    make_user("editor@schaerbeek.be", lang="en")  # the mail and its link speak the account's
    client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    link = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    assert "Choose" in html(client.get(link))
    new = "a brand new long password"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.headers["Location"] == "/en/manage/"
    assert client.get("/en/manage/").status_code == 200  # signed in
    auth_client = app.test_client()
    assert auth_client.post("/en/account/login", data={
        "email": "editor@schaerbeek.be", "password": new}).status_code == 302
    again = client.post(link, data={"password": "yet another password", "confirm": "yet another password"})
    assert again.status_code == 400
    assert "This link is not valid, or it has been used already." in html(again)


@pytest.mark.parametrize("age, works", [(3599, True), (3601, False)])
def test_the_reset_link_works_for_one_hour(client, make_user, smtp, clock, age, works):
    make_user("editor@schaerbeek.be", lang="en")
    client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    link = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    clock.advance(age)
    response = client.get(link)
    if works:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "This link has expired." in html(response)


def test_an_older_link_dies_when_the_password_changes(client, make_user, smtp):
    make_user("editor@schaerbeek.be", lang="en")
    client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    first = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    second = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    new = "a brand new long password"
    assert client.post(second, data={"password": new, "confirm": new}).status_code == 302
    assert client.get(first).status_code == 400


@pytest.mark.parametrize("password, confirm, message", [
    ("", "", "Please choose a password."),
    ("short", "short", "The password must be at least 12 characters long."),
    ("a long enough password", "another long password", "The two passwords are not the same."),
    ("aaaaaaaaaaaa", "aaaaaaaaaaaa", "This password is too easy to guess"),
    ("123456789012", "123456789012", "This password is too easy to guess"),
    ("qwertyuiopasdf", "qwertyuiopasdf", "This password is too easy to guess"),
    ("password1234", "password1234", "This password is among the most commonly used passwords"),
    ("Sunshine2024!", "Sunshine2024!", "This password is among the most commonly used passwords"),
    ("iloveyou1234", "iloveyou1234", "This password is among the most commonly used passwords"),
    ("Editor.Schaerbeek.be1", "Editor.Schaerbeek.be1",
     "The password must not contain your e-mail address or your name."),
    ("schaerbeek-2026-x", "schaerbeek-2026-x",
     "The password must not contain your e-mail address or your name."),
    ("Marie Dubois forever", "Marie Dubois forever",
     "The password must not contain your e-mail address or your name."),
])
def test_choosing_a_password_rules(client, make_user, smtp, password, confirm, message):
    make_user("editor@schaerbeek.be", lang="en", name="Marie Dubois")
    client.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    link = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    response = client.post(link, data={"password": password, "confirm": confirm})
    assert response.status_code == 200
    assert message in html(response)
    assert password not in html(response) or not password


@pytest.mark.parametrize("lang, message", [
    ("fr", "Ce mot de passe figure parmi les plus utilisés"),
    ("nl", "Dit wachtwoord is een van de meest gebruikte wachtwoorden"),
    ("de", "Dieses Passwort gehört zu den am häufigsten verwendeten Passwörtern"),
])
def test_a_refused_password_says_why_in_the_persons_language(client, make_user, smtp, lang,
                                                             message):
    make_user("editor@schaerbeek.be", lang=lang)
    client.post(f"/{lang}/account/reset", data={"email": "editor@schaerbeek.be"})
    link = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    response = client.post(link, data={"password": "password1234", "confirm": "password1234"})
    assert message in html(response)


def test_a_password_change_ends_the_sessions_made_before(app, make_user, smtp):
    make_user("editor@schaerbeek.be")
    office, home = app.test_client(), app.test_client()
    office.post("/en/account/login", data={"email": "editor@schaerbeek.be", "password": PASSWORD})
    assert office.get("/en/manage/").status_code == 200
    home.post("/en/account/reset", data={"email": "editor@schaerbeek.be"})
    link = mailed_link(smtp, "editor@schaerbeek.be", "reset")
    new = "a brand new long password"
    home.post(link, data={"password": new, "confirm": new})
    assert home.get("/en/manage/").status_code == 200
    assert office.get("/en/manage/").status_code == 302


# --- Invitations -------------------------------------------------------------------------------

def invite(app, email="new@schaerbeek.be"):
    from mediation import accounts

    with app.test_request_context("/fr/"):
        accounts.invite_user(email, "editor", refnis=["21015"], lang="en")
        from mediation import mail

        mail.deliver_committed()


@pytest.mark.parametrize("days, works", [(6.9, True), (7.1, False)])
def test_the_invitation_link_works_for_seven_days(app, client, smtp, clock, days, works):
    invite(app)
    link = mailed_link(smtp, "new@schaerbeek.be", "welcome")
    clock.advance(int(days * 86400))
    response = client.get(link)
    assert response.status_code == (200 if works else 400)
    if not works:
        assert "This link has expired." in html(response)


def test_the_invitation_link_sets_the_password_and_signs_in(app, client, smtp):
    invite(app)
    link = mailed_link(smtp, "new@schaerbeek.be", "welcome")
    new = "my very own password"
    response = client.post(link, data={"password": new, "confirm": new})
    assert response.headers["Location"] == "/en/manage/"
    assert "Signed in as new@schaerbeek.be" in html(client.get("/en/manage/"))
    assert client.get(link).status_code == 400  # used once
    with app.app_context():
        user = user_by_email("new@schaerbeek.be")
        actions = set(db.session.scalars(db.select(AuditEvent.action).filter_by(
            entity_type="user", entity_id=str(user.id))))
    assert {"user.invited", "user.invitation_accepted", "user.logged_in"} <= actions


@pytest.mark.parametrize("token", ["nonsense", "eyJ1c2VyIjoxfQ.Zz.x"])
def test_a_forged_link_does_not_work(client, token):
    for path in (f"/en/account/reset/{token}", f"/en/account/welcome/{token}"):
        response = client.get(path)
        assert response.status_code == 400
        assert "This link is not valid, or it has been used already." in html(response)


# --- Request access ----------------------------------------------------------------------------

GOOD_REQUEST = {"name": "Anne Dupont", "email": "anne.dupont@schaerbeek.be", "commune": "Schaerbeek",
                "organization": "Service prévention", "function": "Médiatrice",
                "message": "Nous voulons tenir notre fiche à jour."}


@pytest.mark.parametrize("commune, refnis", [("Schaerbeek", "21015"), ("1030", "21015"),
                                             ("Schaarbeek", "21015"), ("4700", "63023"),
                                             ("Laeken", "21004"), ("21015", "21015")])
def test_request_access_understands_the_commune_typed(client, app, commune, refnis):
    response = client.post("/en/account/request-access", data={**GOOD_REQUEST, "commune": commune})
    assert response.status_code == 302
    assert "Your request has been sent" in html(client.get(response.headers["Location"]))
    with app.app_context():
        request = db.session.scalar(db.select(AccessRequest))
        assert (request.refnis, request.name, request.function) == (refnis, "Anne Dupont", "Médiatrice")
        assert request.email == "anne.dupont@schaerbeek.be" and request.language == "en"
        assert db.session.scalar(db.select(AuditEvent).filter_by(
            action="access_request.created")) is not None


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Please enter your name."),
    ({"name": "x" * 201}, "name", "Field cannot be longer than 200 characters."),
    ({"name": "Anne\x07Dupont"}, "name", "This text contains invisible control characters."),
    ({"email": ""}, "email", "Please enter your e-mail address."),
    ({"email": "anne@"}, "email", "This e-mail address does not look valid."),
    ({"commune": ""}, "commune", "Please choose the commune you work for or with."),
    ({"commune": "Xyzzy"}, "commune", "No Belgian commune is known by this name or postal code."),
    ({"commune": "Molenbeek"}, "commune", "Which commune do you mean: "),
    ({"commune": "1040"}, "commune", "Which commune do you mean: "),
    ({"function": ""}, "function", "Please enter your function."),
    ({"organization": "o" * 201}, "organization", "Field cannot be longer than 200 characters."),
    ({"message": "m" * 2001}, "message", "Field cannot be longer than 2000 characters."),
])
def test_request_access_rules_sit_beside_their_field_and_keep_the_text(client, app, changes,
                                                                         field, message):
    data = {**GOOD_REQUEST, **changes}
    response = client.post("/en/account/request-access", data=data)
    assert response.status_code == 400
    page = html(response)
    assert re.search(rf'<p class="error" id="{field}-error">{re.escape(message)}', page), page
    assert f'href="#{field}"' in page  # the summary at the top links to the field
    for name, value in data.items():
        if value and name != field:
            assert value in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AccessRequest.id))) == 0


def test_an_ambiguous_commune_asks_which_one(client):
    page = html(client.post("/en/account/request-access", data={**GOOD_REQUEST,
                                                                "commune": "Molenbeek"}))
    # Molenbeek-Wersbeek is a village of Bekkevoort.
    assert "Which commune do you mean: Molenbeek-Saint-Jean, Bekkevoort?" in page


def test_request_access_mails_the_admins(client, make_user, smtp):
    make_user("admin@example.be", role="admin")
    make_user("other-admin@example.be", role="admin", lang="nl")
    make_user("editor@schaerbeek.be")
    client.post("/fr/account/request-access", data=GOOD_REQUEST)
    assert sorted(m["To"] for m in smtp.messages) == ["admin@example.be", "other-admin@example.be"]
    body = smtp.to("admin@example.be")[0].get_content()
    assert "anne.dupont@schaerbeek.be" in body and "21015" in body and "Médiatrice" in body


def test_request_access_answers_the_same_for_an_address_with_an_account(client, make_user):
    make_user("editor@schaerbeek.be")
    pages = []
    for email in ("editor@schaerbeek.be", "anne.dupont@schaerbeek.be"):
        response = client.post("/en/account/request-access", data={**GOOD_REQUEST, "email": email},
                               follow_redirects=True)
        pages.append((response.status_code, html(response).replace(email, "ADDRESS")
                      .split('name="csrf_token"')[0]))
    assert pages[0] == pages[1]


# --- Rate limits -------------------------------------------------------------------------------

@pytest.fixture
def limited(app, monkeypatch):
    """The same app with its rate limits on (in memory), the shared limiter restored after."""
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                       "ARGON2_TIME_COST", "ARGON2_MEMORY_COST")}
    return create_app({"TESTING": True, "ENV_NAME": "testing", **base, "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                       "BACKGROUND_WORK": "inline"})


def attempt(client, email, password="wrong password!", address="127.0.0.1"):
    return client.post("/en/account/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_a_stranger_cannot_lock_an_account_out(limited, make_user):
    """Wrong passwords from rotating addresses slow those addresses only: the owner, from
    their own address, signs in."""
    make_user("editor@schaerbeek.be")
    client = limited.test_client()
    codes = [attempt(client, "editor@schaerbeek.be", address=f"10.0.0.{i}").status_code
             for i in range(1, 9) for _ in range(5)]
    assert codes == [200] * 40
    response = attempt(client, "Editor@Schaerbeek.be", password=PASSWORD, address="10.0.0.99")
    assert response.status_code == 302


@pytest.fixture
def signin_clock(monkeypatch):
    """The clock of the limits' in-memory store: signin_clock.advance(seconds)."""
    import limits.storage.memory as memory

    class Clock:
        moment = time.time()

        def advance(self, seconds):
            self.moment += seconds

        def time(self):
            return self.moment

    moved = Clock()
    monkeypatch.setattr(memory, "time", moved)
    return moved


def test_wrong_passwords_slow_the_pair_with_growing_delays(limited, make_user, signin_clock,
                                                          monkeypatch):
    monkeypatch.setitem(limited.config, "SIGN_IN_PER_ADDRESS", "100 per minute")
    make_user("editor@schaerbeek.be")
    client = limited.test_client()
    assert [attempt(client, "editor@schaerbeek.be").status_code for _ in range(5)] == [200] * 5
    # The fifth failure asks 15 s; each further one twice as long as the one before.
    for delay in (15, 30, 60, 120):
        response = attempt(client, "editor@schaerbeek.be", password=PASSWORD)
        assert response.status_code == 429
        page = html(response)
        assert "Too many attempts in a short time." in page
        assert 'value="editor@schaerbeek.be"' in page and PASSWORD not in page
        signin_clock.advance(delay - 1)
        assert attempt(client, "editor@schaerbeek.be").status_code == 429
        signin_clock.advance(2)
        assert attempt(client, "editor@schaerbeek.be").status_code == 200  # wrong again
    # The same account from another address, another account from this one: not slowed.
    assert attempt(client, "other@schaerbeek.be").status_code == 200
    assert attempt(limited.test_client(), "editor@schaerbeek.be", password=PASSWORD,
                   address="10.9.9.9").status_code == 302
    assert attempt(client, "editor@schaerbeek.be", password=PASSWORD).status_code == 429
    signin_clock.advance(240)
    assert attempt(client, "editor@schaerbeek.be", password=PASSWORD).status_code == 302


def test_the_right_password_starts_the_pair_afresh(limited, make_user):
    make_user("editor@schaerbeek.be")
    client = limited.test_client()
    for _ in range(4):
        attempt(client, "editor@schaerbeek.be")
    assert attempt(client, "editor@schaerbeek.be", password=PASSWORD).status_code == 302
    client.post("/en/account/logout")
    assert [attempt(client, "editor@schaerbeek.be").status_code for _ in range(5)] == [200] * 5


def test_reset_links_are_limited_per_account_whoever_asks(limited, make_user):
    make_user("editor@schaerbeek.be")
    client = limited.test_client()
    codes = [client.post("/en/account/reset", data={"email": "Editor@Schaerbeek.be"},
                         environ_base={"REMOTE_ADDR": f"10.0.1.{i}"}).status_code
             for i in range(4)]
    assert codes == [302, 302, 302, 429]
    # An unknown address is counted the same way: the limit says nothing about accounts.
    codes = [client.post("/en/account/reset", data={"email": "nobody@schaerbeek.be"},
                         environ_base={"REMOTE_ADDR": f"10.0.2.{i}"}).status_code
             for i in range(4)]
    assert codes == [302, 302, 302, 429]
    with limited.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 3


def test_invitations_are_limited_per_inviter(limited, make_user, monkeypatch):
    monkeypatch.setitem(limited.config, "INVITATIONS_PER_INVITER", "3 per day")
    make_user("editor@schaerbeek.be")
    client = limited.test_client()
    assert attempt(client, "editor@schaerbeek.be", password=PASSWORD).status_code == 302
    codes = []
    for i in range(5):
        response = client.post("/en/manage/invite", data={
            "email": f"colleague{i}@schaerbeek.be", "language": "fr", "communes": ["21015"]},
            environ_base={"REMOTE_ADDR": f"10.0.3.{i}"})
        codes.append(response.status_code)
    assert codes == [302, 302, 302, 429, 429]
    page = html(response)
    assert "You have sent many invitations in a short time." in page
    assert 'value="colleague4@schaerbeek.be"' in page
    with limited.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User).where(
            User.email.like("colleague%"))) == 3


def test_with_redis_down_each_worker_allows_its_share(app, make_user, monkeypatch):
    """Four workers each counting alone would allow four times the attempts: each allows a
    quarter of them."""
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    monkeypatch.setattr(limiter, "_storage_dead", False)  # restored for the next tests
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                       "ARGON2_TIME_COST", "ARGON2_MEMORY_COST")}
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    down = create_app({"TESTING": True, "ENV_NAME": "testing", **base, "WTF_CSRF_ENABLED": False,
                       "BACKGROUND_WORK": "inline", "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0",
                       "RATELIMIT_WORKERS": 4})
    client = down.test_client()
    codes = [client.post("/en/account/login", data={"email": f"p{i}@example.be",
                                                    "password": "wrong password!"}).status_code
             for i in range(4)]
    # 10 per minute for everyone: 2 for this worker (the first request finds Redis away).
    assert codes.count(429) >= 1 and codes[:2] == [200, 200]
    assert codes[3] == 429


def test_sign_in_attempts_are_limited_per_address(limited):
    client = limited.test_client()
    codes = [attempt(client, f"person{i}@example.be").status_code for i in range(10)]
    assert codes == [200] * 10
    response = attempt(client, "person10@example.be", password="my secret password")
    assert response.status_code == 429
    assert 'value="person10@example.be"' in html(response)
    assert "my secret password" not in html(response)
    assert attempt(client, "person11@example.be", address="10.1.1.1").status_code == 200


def test_a_password_changed_within_the_same_second_still_ends_older_sessions(app, make_user,
                                                                              monkeypatch):
    from datetime import datetime, timedelta, timezone

    from mediation import accounts

    moment = datetime(2026, 3, 2, 9, 30, 0, 100, tzinfo=timezone.utc)
    monkeypatch.setattr(accounts, "utcnow", lambda: moment)
    make_user("editor@schaerbeek.be")
    office = app.test_client()
    office.post("/en/account/login", data={"email": "editor@schaerbeek.be", "password": PASSWORD})
    assert office.get("/en/manage/").status_code == 200
    moment += timedelta(milliseconds=300)
    with app.app_context():
        accounts.choose_password(user_by_email("editor@schaerbeek.be"), "another long password",
                                 "user.password_reset")
    assert office.get("/en/manage/").status_code == 302


def test_production_hashes_passwords_with_argon2id_at_its_default_costs():
    from mediation import accounts

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        hashed = accounts.hash_password("a sentence to remember")
        assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=")
        user = type("Account", (), {"password_hash": hashed})()
        assert accounts.check_password(user, "a sentence to remember")
        assert not accounts.check_password(user, "another sentence")
