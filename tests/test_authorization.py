"""Who may open which account, manage and admin page, generated from the app's URL map.

Every rule of the `auth`, `manage` and `admin` blueprints, for GET and POST, as an anonymous
visitor, an editor of commune A (Schaerbeek, who owns the service), an editor of commune B
(Liège), a national admin and an admin limited to the province of Limburg (which holds nothing
of A's). A rule without a row in EXPECTED fails the suite: a new page must say who may open it.
"""

import pytest
from flask import url_for

from support import COMMUNE_A, COMMUNE_B
from mediation import create_app
from mediation.extensions import db
from mediation.models import (
    AccessRequest,
    AuditEvent,
    ErrorReport,
    Province,
    Revision,
    Service,
    User,
)

ROLES = ("anonymous", "editor_a", "editor_b", "admin", "admin_limburg")
BLUEPRINTS = ("auth.", "manage.", "admin.")
LOGIN = "login"  # a redirect to the sign-in page
LIMBURG = "70000"


def everyone(status):
    return dict.fromkeys(ROLES, status)


def staff(editor_a, editor_b=None, admin=None, limited=None):
    """Anonymous visitors are sent to sign in; staff get these answers."""
    admin = editor_a if admin is None else admin
    return {"anonymous": LOGIN, "editor_a": editor_a,
            "editor_b": editor_a if editor_b is None else editor_b,
            "admin": admin, "admin_limburg": admin if limited is None else limited}


def owner_only(status):
    """A's service: its editor and national admins get `status`; B's editor and the admin of
    Limburg a 404, whatever the method."""
    return staff(status, editor_b=404, limited=404)


def admins(national, limited=None):
    """The admin area: sign in first, editors are refused, admins get these answers."""
    return {"anonymous": LOGIN, "editor_a": 403, "editor_b": 403, "admin": national,
            "admin_limburg": national if limited is None else limited}


def in_a(national):
    """Something of commune A in the admin area: the admin of Limburg gets a 404."""
    return admins(national, limited=404)


SIGNED_IN = {"anonymous": 200, "editor_a": 302, "editor_b": 302, "admin": 302,
             "admin_limburg": 302}

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
    # The admin area. Lists show each admin their own territory; A's things are 404 to Limburg.
    ("admin.index", "GET"): admins(200),
    ("admin.review", "GET"): admins(200),
    ("admin.review_item", "GET"): in_a(200),
    ("admin.preview", "GET"): in_a(200),
    ("admin.decide", "POST"): admins(302),  # nothing chosen: told so, back to the queue
    ("admin.services", "GET"): admins(200),
    ("admin.service_history", "GET"): in_a(200),
    ("admin.restore_version", "POST"): in_a(302),
    ("admin.archive", "POST"): in_a(400),  # no reason, no confirmation: asked for them
    ("admin.unarchive", "POST"): in_a(404),  # A's service is not archived
    ("admin.people", "GET"): admins(200),
    ("admin.person", "GET"): in_a(200),
    ("admin.person", "POST"): in_a(302),
    ("admin.sign_out_everywhere", "POST"): in_a(302),
    ("admin.grant_request", "POST"): in_a(302),
    ("admin.refuse_request", "POST"): in_a(302),
    ("admin.reports", "GET"): admins(200),
    ("admin.handle_report", "POST"): in_a(302),  # no outcome: told so, nothing changes
    ("admin.kinds", "GET"): admins(200),
    ("admin.kinds", "POST"): admins(302),  # the admin of Limburg is told only national admins
    ("admin.coverage_view", "GET"): admins(200),
    ("admin.commune_contact", "GET"): in_a(200),
    ("admin.commune_contact", "POST"): in_a(302),  # nothing typed: the contact is emptied
    ("admin.coverage_download", "GET"): admins(200),
    ("admin.coverage_map", "GET"): admins(200),
    ("admin.import_services", "GET"): admins(200),
    ("admin.import_services", "POST"): admins(200),  # no file: the form with its error
    ("admin.confirm_import", "POST"): admins(302),  # no dry run kept: back to the upload
    ("admin.map_columns", "POST"): admins(302),  # no dry run kept: back to the upload
    ("admin.import_template_file", "GET"): admins(200),
    ("admin.export_services", "GET"): admins(200),
    ("admin.record_check", "POST"): in_a(302),
    ("admin.invite_confirmation", "POST"): in_a(302),  # nothing to confirm: told so
}


def staff_rules():
    """(endpoint, method) of every auth, manage and admin rule of a freshly made app."""
    app = create_app({"TESTING": True, "ENV_NAME": "testing", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x" * 40})
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(BLUEPRINTS):
            found |= {(rule.endpoint, method) for method in rule.methods & {"GET", "POST"}}
    return sorted(found)


RULES = staff_rules()


def test_every_account_manage_and_admin_rule_has_its_expectations():
    assert sorted(set(RULES) - set(EXPECTED)) == [], "add these rules to EXPECTED"
    assert sorted(set(EXPECTED) - set(RULES)) == [], "these rules no longer exist"


def test_the_url_map_still_holds_the_expected_methods(app):
    methods = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
    for endpoint, method in EXPECTED:
        assert method in methods[endpoint]
    # Writes are POST only: no GET signs anyone out or withdraws anything.
    for endpoint in ("auth.logout", "manage.withdraw", "admin.decide", "admin.restore_version",
                     "admin.archive", "admin.unarchive", "admin.grant_request",
                     "admin.refuse_request", "admin.handle_report", "admin.confirm_import"):
        assert "GET" not in methods[endpoint]


def url_of(app, endpoint, things):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {"lang": "fr", "token": "not-a-signed-token", "fmt": "csv", "refnis": COMMUNE_A,
              **things}
    with app.test_request_context("/fr/"):
        return url_for(endpoint, **{name: values[name] for name in rule.arguments})


def audit_trail(app, service_id):
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.entity_type.in_(("service", "revision")))).all(), \
            db.session.get(Service, service_id).version


def things_of_a(app, make_service, make_user):
    """A's published service, and what the admin area shows of commune A: a new service
    awaiting review, an earlier version, an access request, a citizen's report, a colleague."""
    from mediation.directory import audit
    from mediation.directory.fields import fields_of

    service_id = make_service(COMMUNE_A, "published")
    pending_id = make_service(COMMUNE_A, "pending")
    colleague_id = make_user("colleague@schaerbeek.be", communes=[COMMUNE_A])
    with app.app_context():
        service = db.session.get(Service, service_id)
        version = audit.record(None, "service.approved", service, after=fields_of(service))
        access = AccessRequest(name="Jan", email="jan@schaerbeek.be", refnis=COMMUNE_A)
        report = ErrorReport(service_id=service_id, message="Mauvais numéro.", language="fr")
        db.session.add_all([access, report])
        db.session.commit()
        return {"service_id": service_id, "key": f"S{pending_id}", "event_id": version.id,
                "request_id": access.id, "report_id": report.id, "user_id": colleague_id}


def sign_in_as(role, app, auth, make_user):
    if role == "editor_a":
        auth.as_editor(COMMUNE_A)
    elif role == "editor_b":
        auth.as_editor(COMMUNE_B)
    elif role == "admin":
        auth.as_admin()
    elif role == "admin_limburg":
        user_id = make_user("limburg@example.be", role="admin")
        with app.app_context():
            db.session.get(User, user_id).provinces = [db.session.get(Province, LIMBURG)]
            db.session.commit()
        assert auth.login("limburg@example.be").status_code == 302


def revisions(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Revision.id)))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint, method", RULES)
def test_who_may_open_what(app, client, auth, make_service, make_user, endpoint, method, role):
    things = things_of_a(app, make_service, make_user)
    service_id = things["service_id"]
    sign_in_as(role, app, auth, make_user)
    url = url_of(app, endpoint, things)
    before = audit_trail(app, service_id)
    response = client.open(url, method=method, data={} if method == "POST" else None)
    expected = EXPECTED[(endpoint, method)][role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/fr/account/login?next=")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:2000]
    if expected in (403, 404, LOGIN, 400) and endpoint.startswith(("manage.", "admin.")):
        # Refused: the service and its trail are as they were.
        assert audit_trail(app, service_id) == before
        assert revisions(app) == 0
    if role == "admin_limburg" and endpoint == "admin.export_services":
        assert "Schaerbeek" not in response.get_data(as_text=True)


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


def test_the_admin_of_limburg_sees_nothing_of_a_in_the_lists(app, client, auth, make_service,
                                                             make_user):
    things_of_a(app, make_service, make_user)
    sign_in_as("admin_limburg", app, auth, make_user)
    for path in ("/en/admin/review", "/en/admin/services", "/en/admin/reports",
                 "/en/admin/people", "/en/admin/services?state=pending"):
        page = client.get(path).get_data(as_text=True)
        for trace in ("Médiation Schaerbeek", "Mauvais numéro.", "jan@schaerbeek.be",
                      "colleague@schaerbeek.be"):
            assert trace not in page, (path, trace)


# --- Field-level: a limited admin changes only the part of an account inside their territory --

HASSELT, GENK = "71072", "71016"  # Limburg
BOTH = "both@example.be"  # an editor of Hasselt (Limburg) and of Schaerbeek (Brussels)


def account_of(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        return sorted(c.refnis for c in user.communes), user.active, user.role.value


def account_events(app, user_id):
    with app.app_context():
        return db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.entity_type == "user", AuditEvent.entity_id == str(user_id),
            AuditEvent.action != "user.logged_in")).all()


# (what the form asks, status, communes after, active after) per role.
FIELD_CASES = {
    "keep everything": ({"communes": [HASSELT, COMMUNE_A], "active": "1"},
                        {"admin": (302, [COMMUNE_A, HASSELT], True),
                         "admin_limburg": (302, [COMMUNE_A, HASSELT], True)}),
    "take Hasselt away": ({"communes": [COMMUNE_A], "active": "1"},
                          {"admin": (302, [COMMUNE_A], True),
                           "admin_limburg": (302, [COMMUNE_A], True)}),
    "take Schaerbeek away": ({"communes": [HASSELT], "active": "1"},
                             {"admin": (302, [HASSELT], True),
                              # Schaerbeek is not theirs to take: it stays.
                              "admin_limburg": (302, [COMMUNE_A, HASSELT], True)}),
    "give Genk": ({"communes": [HASSELT, COMMUNE_A], "add_commune": "Genk", "active": "1"},
                  {"admin": (302, [COMMUNE_A, GENK, HASSELT], True),
                   "admin_limburg": (302, [COMMUNE_A, GENK, HASSELT], True)}),
    "give Liège": ({"communes": [HASSELT, COMMUNE_A], "add_commune": "4000", "active": "1"},
                   {"admin": (302, [COMMUNE_A, COMMUNE_B, HASSELT], True),
                    "admin_limburg": (400, [COMMUNE_A, HASSELT], True)}),
    "deactivate": ({"communes": [HASSELT, COMMUNE_A]},
                   {"admin": (302, [COMMUNE_A, HASSELT], False),
                    "admin_limburg": (400, [COMMUNE_A, HASSELT], True)}),
    "make admin": ({"communes": [HASSELT, COMMUNE_A], "role": "admin", "active": "1"},
                   {"admin": (302, [COMMUNE_A, HASSELT], True),
                    "admin_limburg": (400, [COMMUNE_A, HASSELT], True)}),
}


@pytest.mark.parametrize("role", ["admin", "admin_limburg"])
@pytest.mark.parametrize("case", sorted(FIELD_CASES))
def test_a_limited_admin_changes_only_the_part_of_an_account_in_their_territory(
        app, client, auth, make_user, role, case):
    user_id = make_user(BOTH, communes=[HASSELT, COMMUNE_A])
    sign_in_as(role, app, auth, make_user)
    data, expected = FIELD_CASES[case]
    status, communes, active = expected[role]
    before = account_events(app, user_id)
    response = client.post(f"/en/admin/people/{user_id}", data={"role": "editor", **data})
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    assert account_of(app, BOTH)[:2] == (communes, active)
    if status == 400:  # refused: nothing changed, nothing recorded
        assert account_events(app, user_id) == before
        if case == "deactivate":
            assert "outside your territory: only a national admin can deactivate it." in \
                response.get_data(as_text=True)
    else:
        assert account_events(app, user_id) == before + ["user.changed"]


def test_a_limited_admin_sees_what_lies_outside_as_kept_not_as_a_choice(app, client, auth,
                                                                         make_user):
    user_id = make_user(BOTH, communes=[HASSELT, COMMUNE_A])
    sign_in_as("admin_limburg", app, auth, make_user)
    page = client.get(f"/en/admin/people/{user_id}").get_data(as_text=True)
    assert f'name="communes" value="{HASSELT}"' in page
    assert f'name="communes" value="{COMMUNE_A}"' not in page
    assert "Outside your territory, kept as they are: Schaerbeek" in page


@pytest.mark.parametrize("args, refused", [
    (["--remove-commune", COMMUNE_A], "You can only take away communes of your territory."),
    (["--add-commune", COMMUNE_B], "You can only give communes of your territory."),
    (["--deactivate"], "only a national admin can deactivate it."),
    (["--remove-commune", HASSELT], None),
])
def test_the_command_line_keeps_the_same_rule(app, make_user, args, refused):
    make_user(BOTH, communes=[HASSELT, COMMUNE_A])
    sign_in_as_limburg = make_user("limburg@example.be", role="admin")
    with app.app_context():
        db.session.get(User, sign_in_as_limburg).provinces = [db.session.get(Province, LIMBURG)]
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["change-user", BOTH, *args,
                                                "--by", "limburg@example.be"])
    if refused:
        assert result.exit_code != 0 and refused in result.output
        assert account_of(app, BOTH)[:2] == ([COMMUNE_A, HASSELT], True)
    else:
        assert result.exit_code == 0, result.output
        assert account_of(app, BOTH)[:2] == ([COMMUNE_A], True)
    # Without --by, the server's operator acts as a national admin.
    national = app.test_cli_runner().invoke(args=["change-user", BOTH, "--deactivate"])
    assert national.exit_code == 0 and "deactivated" in national.output
