"""Staff pages through a database outage (issue 16, point 7): a translated 503 with
Retry-After, what was typed shown again from the request, never a 500 — neither the user
loader nor the error page needs the database to answer."""

import socket

import pytest

from flask_babel import force_locale, gettext
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from support import COMMUNE_A, PASSWORD
from mediation import create_app

UNAVAILABLE = "The service is temporarily unavailable. Please try again in a few minutes."



@pytest.fixture(autouse=True)
def _rate_limits_off(monkeypatch):
    """The limiter is shared by every app of the process: an earlier test may have left it on."""
    from mediation.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)

def _app_with(app, **config):
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                       "ARGON2_TIME_COST", "ARGON2_MEMORY_COST")}
    return create_app({"TESTING": True, "ENV_NAME": "testing", "RATELIMIT_ENABLED": False,
                       "WTF_CSRF_ENABLED": False, **base, **config})


@pytest.fixture
def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signed_in_cookie(app, make_user, role="editor") -> str:
    make_user("editor@schaerbeek.be", role=role, communes=[COMMUNE_A])
    client = app.test_client()
    assert client.post("/en/account/login", data={"email": "editor@schaerbeek.be",
                                                  "password": PASSWORD}).status_code == 302
    return client.get_cookie("session").value


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_signed_in_post_while_the_database_is_away_is_a_503_that_keeps_the_text(
        app, make_user, unused_port, lang):
    cookie = signed_in_cookie(app, make_user)
    cut_off = _app_with(app, SQLALCHEMY_DATABASE_URI=(
        f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/none"),
        DATABASE_CONNECT_TIMEOUT=1)
    client = cut_off.test_client()
    client.set_cookie("session", cookie)
    response = client.post(f"/{lang}/manage/services/new", data={
        "name_fr": "Médiation de quartier", "description_fr": "Une description\nsur deux lignes",
        "phone": "02 245 12 12", "csrf_token": "never shown"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    with cut_off.test_request_context(), force_locale(lang):
        assert gettext(UNAVAILABLE) in page
        assert gettext("What you typed") in page
    for typed in ("Médiation de quartier", "Une description\nsur deux lignes", "02 245 12 12"):
        assert f"{typed}</textarea>" in page
    assert "never shown" not in page
    # Still signed in, as far as the page can tell without the database.
    assert 'action="/%s/account/logout"' % lang in page


def test_the_database_failing_after_the_user_was_loaded_is_a_503_not_a_500(app, make_user):
    cookie = signed_in_cookie(app, make_user, role="admin")
    flaky = _app_with(app)

    @flaky.post("/en/manage-flaky")
    def fails_midway():
        assert current_user.is_authenticated and current_user.email  # loaded from the database
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    client = flaky.test_client()
    client.set_cookie("session", cookie)
    response = client.post("/en/manage-flaky", data={"message": "Kept text"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Kept text</textarea>" in page
    assert "Administration" in page  # the staff menu, from the session alone


def test_the_error_page_never_asks_the_database_who_is_signed_in(app, make_user, unused_port):
    cookie = signed_in_cookie(app, make_user)
    cut_off = _app_with(app, SQLALCHEMY_DATABASE_URI=(
        f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/none"),
        DATABASE_CONNECT_TIMEOUT=1)
    for path in ("/en/manage/", "/en/admin/", "/en/manage/invite"):
        client = cut_off.test_client()
        client.set_cookie("session", cookie)
        assert client.get(path).status_code == 503, path
