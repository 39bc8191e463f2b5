"""Production faults and hostile input: each answers a clear 4xx or a translated 503, never a
500 or a hang. Redis and the database are made unreachable on 127.0.0.1 only."""

import json
import logging
import socket

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import text

from mediation import create_app
from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import ErrorReport, Service

UNAVAILABLE = "The service is temporarily unavailable. Please try again in a few minutes."


def translated(app, lang, msgid):
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid)


def _app_with(app, **config):
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    return create_app({"TESTING": True, "ENV_NAME": "testing", "RATELIMIT_ENABLED": False,
                       **base, **config})


@pytest.fixture
def service_id(app):
    with app.app_context():
        seed_demo()
        return db.session.scalars(db.select(Service.id).order_by(Service.id)).first()


@pytest.fixture
def unused_port():
    """A port on 127.0.0.1 nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_server():
    """A port that accepts connections and never answers: a database behind a partition."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def report_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(ErrorReport.id)))


# --- 3. Redis unreachable --------------------------------------------------------------------

def test_pages_serve_without_the_rate_limits_store_and_say_so_once(app, service_id,
                                                                   unused_port, caplog):
    degraded = _app_with(app, RATELIMIT_ENABLED=True,
                         RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{unused_port}/0")
    client = degraded.test_client()
    with caplog.at_level(logging.WARNING):
        for path in ("/fr/", "/nl/search?q=Gent", f"/en/services/{service_id}",
                     "/api/v1/services", "/api/v1/communes?q=Luik"):
            assert client.get(path).status_code == 200, path
            assert client.get(path).status_code == 200, path
    warnings = [r for r in caplog.records if "storage unreachable" in r.getMessage()]
    assert len(warnings) == 1
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "degraded", "unavailable": ["rate_limits"]}

    message = "The phone number has changed since spring."
    response = client.post(f"/en/services/{service_id}/report", data={"message": message})
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Reports cannot be received at the moment." in page
    assert f"{message}</textarea>" in page
    assert report_count(app) == 0


# --- 4. Body size ------------------------------------------------------------------------------

def test_a_huge_body_is_refused_in_the_visitors_language(app, service_id):
    client = _app_with(app).test_client()
    response = client.post(f"/nl/services/{service_id}/report",
                           data={"message": "a" * 20_000_000})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert translated(app, "nl", "What you sent is too long. Please shorten it and try again.") \
        in page
    assert len(page) < 50_000
    assert report_count(app) == 0


def test_an_overlong_message_is_shown_again_no_longer_than_allowed(client, service_id):
    response = client.post(f"/en/services/{service_id}/report",
                           data={"message": "b" * 20_000})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "b" * 2000 + "</textarea>" in page and "b" * 2001 not in page


# --- 5. and 6. The database does not answer ---------------------------------------------------

@pytest.mark.parametrize("lang", ["fr", "de"])
def test_a_silent_database_gives_a_translated_503_not_a_hang(app, silent_server, lang):
    cut_off = _app_with(app, SQLALCHEMY_DATABASE_URI=(
        f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/none"),
        DATABASE_CONNECT_TIMEOUT=1)
    client = cut_off.test_client()
    response = client.get(f"/{lang}/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert translated(app, lang, UNAVAILABLE) in response.get_data(as_text=True)
    api = client.get("/api/v1/services?commune=21004")
    assert api.status_code == 503
    assert api.get_json()["error"]["code"] == "service_unavailable"
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"


def test_postgresql_connections_carry_timeouts(monkeypatch):
    from mediation.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # the shared limiter, restored after
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@127.0.0.1/db"})
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["hide_parameters"] and options["pool_timeout"] == 5
    assert options["connect_args"]["connect_timeout"] == 3
    assert options["connect_args"]["options"] == "-c statement_timeout=5000"


def test_a_statement_past_its_timeout_is_a_503(app):
    """PostgreSQL cancels a statement that runs too long; the page then says 503."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("statement timeouts are PostgreSQL's")
    impatient = _app_with(app, DATABASE_STATEMENT_TIMEOUT=0.2)

    @impatient.get("/slow")
    def slow():
        db.session.execute(text("SELECT pg_sleep(5)"))
        return "finished"

    response = impatient.test_client().get("/slow")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"


def test_a_report_during_a_database_outage_is_kept_to_send_again(app, unused_port, caplog):
    cut_off = _app_with(app, SQLALCHEMY_DATABASE_URI=(
        f"postgresql+psycopg://postgres@127.0.0.1:{unused_port}/none"))
    message = "Secret-ish: my neighbour at number 12 is the problem."
    with caplog.at_level(logging.DEBUG):
        response = cut_off.test_client().post("/fr/services/3/report", data={
            "message": message, "email": "citizen@example.org"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    assert translated(app, "fr", "Your report could not be sent yet") in page
    assert f"{message}</textarea>" in page and 'value="citizen@example.org"' in page
    assert 'action="/fr/services/3/report#report"' in page
    assert "neighbour" not in caplog.text and "citizen@" not in caplog.text


def test_database_errors_never_carry_what_was_typed(app_ctx):
    with pytest.raises(Exception) as raised:
        db.session.execute(text("SELECT :typed FROM no_such_table"), {"typed": "my-secret"})
    db.session.rollback()
    assert "my-secret" not in str(raised.value)


# --- 7. Control characters in a report --------------------------------------------------------

def test_control_characters_in_a_report_are_refused_line_breaks_kept(app, client, service_id):
    response = client.post(f"/en/services/{service_id}/report",
                           data={"message": "ten chars\x00x and\nmore \x1b text"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This text contains invisible control characters" in page
    assert "ten charsx and\nmore  text</textarea>" in page
    with_email = client.post(f"/en/services/{service_id}/report", data={
        "message": "A long enough message.", "email": "citizen\x00@example.org"})
    assert with_email.status_code == 400
    assert "This e-mail address does not look valid." in with_email.get_data(as_text=True)
    assert report_count(app) == 0
    sent = client.post(f"/en/services/{service_id}/report",
                       data={"message": "Two lines:\n\tthe second indented."})
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(ErrorReport.message)) == (
            "Two lines:\n\tthe second indented.")


# --- 8. and 10. The report form needs no session cookie -------------------------------------

@pytest.fixture
def guarded(app):
    """The app as in production: CSRF protection on, for the forms that have it."""
    return _app_with(app, WTF_CSRF_ENABLED=True)


def test_a_report_to_a_service_that_does_not_exist_is_a_404(guarded, service_id):
    client = guarded.test_client()
    assert client.post("/fr/services/999999/report").status_code == 404
    assert client.post("/fr/services/999999/report", data={"message": "x" * 20}).status_code \
        == 404


def test_service_pages_and_reports_set_no_cookie(app, guarded, service_id):
    client = guarded.test_client()
    page = client.get(f"/en/services/{service_id}")
    assert "Set-Cookie" not in page.headers and "Cookie" not in page.vary
    response = client.post(f"/en/services/{service_id}/report",
                           data={"message": "The phone number is wrong."},
                           headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 302 and "Set-Cookie" not in response.headers
    thanks = client.get(response.headers["Location"])
    assert "Set-Cookie" not in thanks.headers
    assert "Thank you. Your message has been sent" in thanks.get_data(as_text=True)
    assert report_count(app) == 1


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"},
                                     {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"}])
def test_a_report_sent_from_another_site_is_refused_with_the_text_kept(app, guarded, service_id,
                                                                         headers):
    message = "The phone number is wrong."
    response = guarded.test_client().post(f"/en/services/{service_id}/report",
                                          data={"message": message}, headers=headers)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form was sent from another website." in page
    assert f"{message}</textarea>" in page
    assert report_count(app) == 0


# --- 2. and 13. Rate limits count the citizen behind the proxy, by a hash --------------------

def test_rate_limits_count_each_citizen_behind_the_proxy_by_a_hash(app, service_id):
    from mediation.extensions import limiter

    proxied = _app_with(app, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                        PROXY_FIX_X_FOR=1)
    client = proxied.test_client()
    url = f"/en/services/{service_id}/report"

    def send(address, n):
        return client.post(url, data={"message": f"The phone number is wrong ({n})."},
                           headers={"X-Forwarded-For": address}).status_code

    assert [send("203.0.113.7", n) for n in range(6)] == [302] * 5 + [429]
    assert send("198.51.100.23", 6) == 302  # another citizen, same proxy
    keys = " ".join(limiter.storage.storage.keys())
    assert keys and "203.0.113.7" not in keys and "198.51.100.23" not in keys


# --- 9. and 10. Hosts, HTTPS --------------------------------------------------------------------

@pytest.fixture
def production(app):
    return _app_with(app, ENV_NAME="production", PUBLIC_BASE_URL="https://mediation.example.be",
                     PROXY_FIX_X_PROTO=1)


def test_a_malformed_host_is_a_400_not_a_500(client, caplog):
    for host in ("a..b", "..", "a.b.."):
        response = client.get("/fr/", headers={"Host": host})
        assert response.status_code == 400, host
    assert "Traceback" not in caplog.text


def test_production_answers_its_own_host_only(production, service_id):
    client = production.test_client()
    assert client.get("/fr/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/services.csv", headers={"Host": "evil.example"}).status_code \
        == 400
    own = {"Host": "mediation.example.be", "X-Forwarded-Proto": "https"}
    page = client.get(f"/fr/services/{service_id}", headers=own)
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "https://mediation.example.be/fr/services/" in page.get_data(as_text=True)
    csv = client.get("/api/v1/services.csv", headers=own).get_data(as_text=True)
    assert "https://mediation.example.be/fr/services/" in csv and "evil.example" not in csv


def test_production_cookies_are_secure(production):
    client = production.test_client()
    response = client.get("/nl/", headers={"Host": "mediation.example.be",
                                           "Referer": "https://mediation.example.be/fr/"})
    cookie = response.headers["Set-Cookie"]
    assert "lang=nl" in cookie and "Secure" in cookie and "HttpOnly" in cookie
    assert production.config["SESSION_COOKIE_SECURE"] is True


# --- 11. Methods, preflight, digits -----------------------------------------------------------

@pytest.mark.parametrize("method, path", [("PUT", "/fr/about"), ("DELETE", "/fr/"),
                                          ("POST", "/api/v1/services"),
                                          ("PATCH", "/api/v1/openapi.json")])
def test_a_method_not_allowed_says_which_are(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert {"GET", "HEAD", "OPTIONS"} <= set(response.headers["Allow"].split(", "))


def test_the_api_answers_a_cors_preflight(client):
    response = client.options("/api/v1/services?commune=21004", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "accept-language"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "*"


@pytest.mark.parametrize("path", ["/fr/services/%D9%A1", "/fr/services/%D9%A1/slug",
                                  "/api/v1/services/%D9%A1", "/fr/services/%EF%BC%91"])
def test_ids_are_ascii_digits_only(client, service_id, path):
    assert client.get(path).status_code == 404


# --- 13. Positions ---------------------------------------------------------------------------

def test_positions_are_rounded_to_about_100_m_by_the_server(client, service_id):
    response = client.get("/en/search?near=50.850312345,4.351698765&type=sac")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/search?near=50.850,4.352&type=sac"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="50.850,4.352"' in page
    body = client.get("/api/v1/services?near=50.850312345,4.351698765").get_json()
    assert body["results"]


# --- Request logs ---------------------------------------------------------------------------

def test_each_request_logs_one_json_line_without_personal_data(client, caplog):
    from mediation.requestlog import JsonFormatter

    with caplog.at_level(logging.INFO, logger="mediation.requests"):
        response = client.get("/fr/search?q=Rue+de+la+Loi+16&near=50.846,4.367",
                              headers={"X-Request-Id": "proxy-abc-123456"})
    (record,) = [r for r in caplog.records if r.name == "mediation.requests"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response.headers["X-Request-Id"] == "proxy-abc-123456"
    assert line["path"] == "/fr/search" and line["status"] == 200 and line["method"] == "GET"
    assert line["duration_ms"] >= 0
    assert "Loi" not in json.dumps(line) and "50.846" not in json.dumps(line)


def test_error_pages_show_the_request_id(client):
    response = client.get("/nl/no-such-page", headers={"X-Request-Id": "<script>"})
    request_id = response.headers["X-Request-Id"]
    assert "<script>" not in request_id and len(request_id) == 32
    assert request_id in response.get_data(as_text=True)
