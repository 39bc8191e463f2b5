"""Who may open which account and manage page, generated from the app's URL map.

Every rule of the `auth` and `manage` blueprints, for GET and POST, as an anonymous visitor, an
editor of commune A (Schaerbeek, who owns the service), an editor of commune B (Liège) and an
admin. A rule without a row in EXPECTED fails the suite: a new page must say who may open it.
"""

import pytest
from flask import url_for

from conftest import COMMUNE_A, COMMUNE_B
from mediation import create_app
from mediation.extensions import db
from mediation.models import AuditEvent, Revision, Service

ROLES = ("anonymous", "editor_a", "editor_b", "admin")
BLUEPRINTS = ("auth.", "manage.")
LOGIN = "login"  # a redirect to the sign-in page


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff(editor_a, editor_b=None, admin=None):
    """Anonymous visitors are sent to sign in; staff get these answers."""
    return {"anonymous": LOGIN, "editor_a": editor_a,
            "editor_b": editor_a if editor_b is None else editor_b,
            "admin": editor_a if admin is None else admin}


def owner_only(status):
    """A's service: its editor and admins get `status`; B's editor a 404, whatever the method."""
    return staff(status, editor_b=404)


SIGNED_IN = {"anonymous": 200, "editor_a": 302, "editor_b": 302, "admin": 302}

# (endpoint, method) -> role -> status. Empty forms are posted (CSRF is off in the test app).
EXPECTED = {
    ("auth.login", "GET"): SIGNED_IN,
    ("auth.login", "POST"): SIGNED_IN,
    ("auth.logout", "POST"): everyone(302),
    ("auth.request_access", "GET"): everyone(200),
    ("auth.request_access", "POST"): everyone(400),
    ("auth.forgot_password", "GET"): everyone(200),
    ("auth.forgot_password", "POST"): everyone(200),
    # A forged token opens nothing, whoever holds it.
    ("auth.reset_password", "GET"): everyone(400),
    ("auth.reset_password", "POST"): everyone(400),
    ("auth.welcome", "GET"): everyone(400),
    ("auth.welcome", "POST"): everyone(400),
    ("manage.check_entry", "GET"): everyone(400),
    ("manage.check_entry", "POST"): everyone(400),
    ("manage.index", "GET"): staff(200),
    ("manage.new_service", "GET"): staff(200),
    ("manage.new_service", "POST"): staff(400),
    ("manage.invite", "GET"): staff(200),
    ("manage.invite", "POST"): staff(400),
    ("manage.edit_service", "GET"): owner_only(200),
    ("manage.edit_service", "POST"): owner_only(400),
    ("manage.withdraw", "POST"): owner_only(302),
    ("manage.verify", "GET"): owner_only(200),
    ("manage.verify", "POST"): owner_only(302),
}


def staff_rules():
    """(endpoint, method) of every auth and manage rule of a freshly made app."""
    app = create_app({"TESTING": True, "ENV_NAME": "testing", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(BLUEPRINTS):
            found |= {(rule.endpoint, method) for method in rule.methods & {"GET", "POST"}}
    return sorted(found)


RULES = staff_rules()


def test_every_account_and_manage_rule_has_its_expectations():
    assert sorted(set(RULES) - set(EXPECTED)) == [], "add these rules to EXPECTED"
    assert sorted(set(EXPECTED) - set(RULES)) == [], "these rules no longer exist"


def test_the_url_map_still_holds_the_expected_methods(app):
    methods = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
    for endpoint, method in EXPECTED:
        assert method in methods[endpoint]
    # Writes are POST only: no GET signs anyone out or withdraws anything.
    for endpoint in ("auth.logout", "manage.withdraw"):
        assert "GET" not in methods[endpoint]


def url_of(app, endpoint, service_id):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {"lang": "fr", "service_id": service_id, "token": "not-a-signed-token"}
    with app.test_request_context("/fr/"):
        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def audit_trail(app, service_id):
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.entity_type.in_(("service", "revision")))).all(), \
            db.session.get(Service, service_id).version


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint, method", RULES)
def test_who_may_open_what(app, client, auth, make_service, endpoint, method, role):
    service_id = make_service(COMMUNE_A, "published")
    if role == "editor_a":
        auth.as_editor(COMMUNE_A)
    elif role == "editor_b":
        auth.as_editor(COMMUNE_B)
    elif role == "admin":
        auth.as_admin()
    url = url_of(app, endpoint, service_id)
    before = audit_trail(app, service_id)
    response = client.open(url, method=method, data={} if method == "POST" else None)
    expected = EXPECTED[(endpoint, method)][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/fr/account/login?next=")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected in (404, LOGIN, 400) and endpoint.startswith("manage."):
        # Refused: the service and its trail are as they were.
        assert audit_trail(app, service_id) == before
        with app.app_context():
            assert db.session.scalar(db.select(db.func.count(Revision.id))) == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("service_id", [999999, 2**31, 0])
def test_an_unknown_service_is_a_404_like_another_communes(client, auth, method, service_id):
    auth.as_editor(COMMUNE_A)
    for action in ("edit", "verify"):
        assert client.open(f"/fr/manage/services/{service_id}/{action}",
                           method=method).status_code == 404


def test_an_editor_of_b_sees_nothing_of_as_service_on_the_dashboard(client, auth, make_service):
    make_service(COMMUNE_A, "published")
    auth.as_editor(COMMUNE_B)
    page = client.get("/en/manage/").get_data(as_text=True)
    assert "Médiation Schaerbeek" not in page
    assert "You have no service in the directory yet." in page
