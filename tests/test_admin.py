"""The federal admins' area: what needs action, review, services, history, people, reports, texts.

Admins are national or limited to provinces; what lies outside a limited admin's territory
answers 404. Mail goes to a real SMTP server on 127.0.0.1 and is read back.
"""

import re
from datetime import timedelta

import pytest

from support import COMMUNE_A, COMMUNE_B, service_fields
from mediation.directory import moderation
from mediation.extensions import db
from mediation.models import (
    AccessRequest,
    AuditEvent,
    Commune,
    ErrorReport,
    KindText,
    Province,
    Region,
    Revision,
    RevisionState,
    Service,
    User,
)
from mediation.models.reference import utcnow
from test_manage import form_data, html

LIMBURG, LIEGE_PROVINCE, BRUSSELS_REGION = "70000", "60000", "04000"
HASSELT = "71072"  # Limburg (Hasselt and Kortessem since 2025)
ADMIN, LIMITED = "admin@example.be", "limburg@example.be"


@pytest.fixture
def make_admin(app, make_user):
    """Create an admin, national or limited: make_admin(email, provinces=["70000"]) -> id."""

    def make(email=ADMIN, provinces=(), regions=(), lang="fr") -> int:
        user_id = make_user(email, role="admin", lang=lang)
        with app.app_context():
            user = db.session.get(User, user_id)
            user.provinces = [db.session.get(Province, code) for code in provinces]
            user.regions = [db.session.get(Region, code) for code in regions]
            db.session.commit()
        return user_id

    return make


def sign_in(auth, email, lang="fr"):
    """Sign in as someone else (mail speaks the language last signed in with)."""
    auth.logout()
    assert auth.login(email, lang=lang).status_code == 302


def submit_as_editor(client, auth, make_user, email="auteur@schaerbeek.be", lang="fr", **changes):
    """An editor of Schaerbeek submits a new service through the form; return its id."""
    if db_user(client.application, email) is None:
        make_user(email, lang=lang)
    sign_in(auth, email, lang)
    response = client.post("/en/manage/services/new", data=form_data(**changes))
    assert response.status_code == 302, html(response)
    return int(re.search(r"/services/(\d+)/", response.headers["Location"]).group(1))


def propose(app, service_id, author_email, **changes):
    """The author proposes a change to a published service; return the revision's id."""
    with app.app_context():
        service = db.session.get(Service, service_id)
        author = db_user(app, author_email)
        fields = moderation.current_fields(service)
        fields.update(changes)
        saved = moderation.save(author, service, fields, submit=True,
                                opened_stamp=moderation.stamp(service))
        return saved.revision.id


def db_user(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is not None:
            db.session.expunge(user)
        return user


def status_of(app, service_id):
    with app.app_context():
        return db.session.get(Service, service_id).status.value


def actions(app, entity_type=None):
    with app.app_context():
        query = db.select(AuditEvent.action).order_by(AuditEvent.id)
        if entity_type:
            query = query.filter_by(entity_type=entity_type)
        return list(db.session.scalars(query))


def public_ids(client, refnis=COMMUNE_A):
    answer = client.get(f"/api/v1/services?commune={refnis}&per_page=100").get_json()
    return {s["id"] for s in answer["results"]}


# --- The role gate -----------------------------------------------------------------------------

ADMIN_PAGES = ["/fr/admin/", "/fr/admin/review", "/fr/admin/services", "/fr/admin/people",
               "/fr/admin/reports", "/fr/admin/kinds"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_sign_in_editors_are_refused_admins_enter(client, auth, make_admin,
                                                                     path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/fr/account/login?next=")
    auth.as_editor()
    assert client.get(path).status_code == 403
    assert client.post(path).status_code in (403, 405)
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(path).status_code == 200


# --- The dashboard -----------------------------------------------------------------------------

COUNT_LABELS = {  # one and several
    "review": "(?:new service or change|new services and changes) to review",
    "requests": "access requests?",
    "reports": "error reports? from citizens?|error report from a citizen",
    "due": "services? due for verification",
    "uncovered": "communes? without a known service",
}


def dashboard_counts(client):
    page = html(client.get("/en/admin/"))
    return {key: int(re.search(rf"<strong>(\d+)</strong> (?:{label})</a>", page).group(1))
            for key, label in COUNT_LABELS.items()}


def listed(client):
    """How many entries each list the dashboard links to shows."""
    review = html(client.get("/en/admin/review")).count('name="items"')
    requests = html(client.get("/en/admin/people")).count('class="request-title"')
    reports = html(client.get("/en/admin/reports")).count('class="report-title"')
    due_page = html(client.get("/en/admin/services?state=due"))
    due = int(re.search(r"<caption>(\d+) services?", due_page).group(1))
    return {"review": review, "requests": requests, "reports": reports, "due": due}


@pytest.fixture
def busy_directory(app, make_service, make_user):
    """Work waiting in Brussels (Schaerbeek) and in Liège: new, changed, due, reported."""
    ids = {}
    for refnis in (COMMUNE_A, COMMUNE_B):
        ids[f"pending-{refnis}"] = make_service(refnis, "pending")
        ids[f"changed-{refnis}"] = make_service(refnis, "published")
        ids[f"due-{refnis}"] = make_service(refnis, "published")
        make_user(f"editor-{refnis}@example.be", communes=[refnis])
        propose(app, ids[f"changed-{refnis}"], f"editor-{refnis}@example.be",
                types=["neighbourhood", "community"])
    with app.app_context():
        for refnis in (COMMUNE_A, COMMUNE_B):
            db.session.get(Service, ids[f"due-{refnis}"]).last_verified_at = \
                utcnow() - timedelta(days=400)
            db.session.add(ErrorReport(service_id=ids[f"changed-{refnis}"], language="fr",
                                       message=f"Mauvais numéro ({refnis})"))
            db.session.add(AccessRequest(name="Jan", email=f"jan-{refnis}@example.be",
                                         refnis=refnis, language="nl"))
        db.session.add(AccessRequest(name="Nobody", email="someone@example.be", refnis=None))
        db.session.commit()
    return ids


def test_dashboard_counts_match_the_lists_they_link_to(client, auth, make_admin, busy_directory):
    make_admin()
    sign_in(auth, ADMIN)
    counts = dashboard_counts(client)
    assert counts["review"] == 4 and counts["requests"] == 3
    assert counts["reports"] == 2 and counts["due"] == 2
    assert {k: counts[k] for k in listed(client)} == listed(client)
    page = html(client.get("/en/admin/"))
    for endpoint in ("/en/admin/review", "/en/admin/people", "/en/admin/reports",
                     "/en/admin/services?state=due"):
        assert f'href="{endpoint}"' in page


def test_a_provincial_admin_counts_and_lists_only_their_province(client, auth, make_admin,
                                                                 busy_directory):
    make_admin(LIMITED, provinces=[LIEGE_PROVINCE])
    sign_in(auth, LIMITED)
    counts = dashboard_counts(client)
    assert counts["review"] == 2 and counts["requests"] == 1
    assert counts["reports"] == 1 and counts["due"] == 1
    assert {k: counts[k] for k in listed(client)} == listed(client)
    assert "Mauvais numéro (62063)" in html(client.get("/en/admin/reports"))
    assert "Mauvais numéro (21015)" not in html(client.get("/en/admin/reports"))
    assert "jan-21015@example.be" not in html(client.get("/en/admin/people"))
    # Its count of communes without a service is over the province's communes only.
    with client.application.app_context():
        liege_communes = db.session.scalar(db.select(db.func.count(Commune.refnis)).where(
            Commune.province_code == LIEGE_PROVINCE, Commune.active))
    assert counts["uncovered"] == liege_communes - 1  # Liège's own published services


def test_the_dashboard_shows_freshness_per_region_and_province(client, auth, make_admin,
                                                               busy_directory):
    make_admin()
    sign_in(auth, ADMIN)
    page = html(client.get("/en/admin/"))
    row = re.search(r"<th scope=\"row\">[^<]*Brussels[^<]*</th><td>(\d+)</td><td>(\d+)</td>", page)
    assert row and row.groups() == ("1", "2")


# --- Review ------------------------------------------------------------------------------------

def test_review_shows_each_language_communes_and_the_pins_move(client, auth, app, make_admin,
                                                               make_service, make_user):
    service_id = make_service(COMMUNE_A, "published")
    make_user("auteur@schaerbeek.be")
    with app.app_context():
        location = dict(service_fields(COMMUNE_A)["location"])
    # 0.001° of latitude is about 111 m.
    location.update(lat=location["lat"] + 0.001)
    with app.app_context():
        texts = moderation.current_fields(db.session.get(Service, service_id))["texts"]
    texts["name"] = dict(texts["name"], fr="Nouveau nom", nl="Nieuwe naam")
    revision_id = propose(app, service_id, "auteur@schaerbeek.be", texts=texts,
                          communes=["21004", "21009"],
                          location=location)
    make_admin()
    sign_in(auth, ADMIN)
    queue = html(client.get("/en/admin/review"))
    assert f'value="R{revision_id}"' in queue and "Changes to a published service" in queue
    page = html(client.get(f"/en/admin/review/R{revision_id}"))
    assert re.search(r'Name of the service \(Français\)</th>\s*<td lang="fr">Médiation Schaerbeek '
                     r'\(fr\)</td>\s*<td lang="fr">Nouveau nom</td>', page), page
    assert re.search(r'Name of the service \(Nederlands\)</th>\s*<td lang="nl">[^<]*</td>\s*'
                     r'<td lang="nl">Nieuwe naam</td>', page)
    assert "Name of the service (Deutsch)" not in page  # unchanged languages are not listed
    assert re.search(r"<del>Schaerbeek[^<]*</del>", page)
    assert re.search(r"<ins>Brussels</ins>", page) and re.search(r"<ins>Ixelles", page)
    metres = int(re.search(r"Moved (\d+) m (north|south|east|west)", page).group(1))
    assert 100 <= metres <= 120
    assert "Submitted by auteur@schaerbeek.be on " in page


def test_a_new_service_is_shown_whole_with_its_author(client, auth, make_user, make_admin):
    service_id = submit_as_editor(client, auth, make_user)
    make_admin()
    sign_in(auth, ADMIN)
    page = html(client.get(f"/en/admin/review/S{service_id}"))
    assert "New service: Médiation de quartier de Schaerbeek" in page
    assert "Submitted by auteur@schaerbeek.be on " in page
    assert re.search(r"<ins>Schaerbeek", page)


def test_approving_several_at_once_publishes_them_everywhere(client, auth, app, make_admin,
                                                             make_service, make_user, smtp):
    first = submit_as_editor(client, auth, make_user, name_fr="Première médiation")
    second = submit_as_editor(client, auth, make_user, name_fr="Deuxième médiation")
    published = make_service(COMMUNE_A, "published")
    revision_id = propose(app, published, "auteur@schaerbeek.be", email="nouveau@example.be")
    make_admin()
    sign_in(auth, ADMIN)
    etag = client.get("/api/v1/services.geojson").headers["ETag"]
    before = public_ids(client)
    assert first not in before and second not in before
    response = client.post("/en/admin/review/decide", data={
        "items": [f"S{first}", f"S{second}", f"R{revision_id}"], "decision": "approve"})
    assert response.headers["Location"] == "/en/admin/review"
    assert "3 items approved and published." in html(client.get("/en/admin/review"))
    assert status_of(app, first) == status_of(app, second) == "published"
    assert {first, second} <= public_ids(client)
    assert "Première médiation" in html(client.get(f"/fr/services/{first}", follow_redirects=True))
    assert client.get(f"/api/v1/services/{published}").get_json()["email"] == "nouveau@example.be"
    geojson = client.get("/api/v1/services.geojson")
    assert geojson.headers["ETag"] != etag
    assert {first, second} <= {f["properties"]["id"] for f in geojson.get_json()["features"]}
    assert client.get("/api/v1/services.geojson",
                      headers={"If-None-Match": geojson.headers["ETag"]}).status_code == 304
    assert actions(app, "service")[-2:] == ["service.approved", "service.approved"]
    assert actions(app, "revision")[-1] == "revision.approved"
    assert len(smtp.to("auteur@schaerbeek.be")) == 3
    assert "Nothing awaits review." in html(client.get("/en/admin/review"))


def test_a_rejection_needs_a_reason_and_tells_the_author_in_their_language(
        client, auth, app, make_admin, make_user, smtp):
    service_id = submit_as_editor(client, auth, make_user, email="auteur@schaerbeek.be", lang="nl")
    make_admin()
    sign_in(auth, ADMIN)
    response = client.post("/en/admin/review/decide",
                           data={"items": [f"S{service_id}"], "decision": "reject", "reason": " "})
    assert response.status_code == 302
    assert "give a reason to reject" in html(client.get("/en/admin/review"))
    assert status_of(app, service_id) == "pending" and smtp.messages == []
    client.post("/en/admin/review/decide", data={
        "items": [f"S{service_id}"], "decision": "reject",
        "reason": "Het telefoonnummer ontbreekt."})
    assert status_of(app, service_id) == "draft"
    [message] = smtp.to("auteur@schaerbeek.be")
    assert message["Content-Language"] == "nl"
    assert message["Subject"] == "Niet gepubliceerd: Buurtbemiddeling Schaarbeek"
    assert "Het telefoonnummer ontbreekt." in message.get_content()
    assert f"/nl/manage/services/{service_id}/edit" in message.get_content()
    assert service_id not in public_ids(client)
    assert client.get(f"/fr/services/{service_id}").status_code == 404
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="service.rejected"))
        assert event.after == {"reason": "Het telefoonnummer ontbreekt."}


def test_a_rejected_revision_keeps_the_published_version(client, auth, app, make_admin,
                                                         make_service, make_user, smtp):
    service_id = make_service(COMMUNE_A, "published")
    make_user("auteur@schaerbeek.be", lang="de")
    revision_id = propose(app, service_id, "auteur@schaerbeek.be", email="faux@example.be")
    make_admin()
    sign_in(auth, ADMIN)
    client.post("/en/admin/review/decide", data={
        "items": [f"R{revision_id}"], "decision": "reject", "reason": "Bitte prüfen."})
    with app.app_context():
        revision = db.session.get(Revision, revision_id)
        assert revision.state is RevisionState.rejected and revision.reason == "Bitte prüfen."
    assert client.get(f"/api/v1/services/{service_id}").get_json()["email"] == \
        "mediation@example.be"
    [message] = smtp.to("auteur@schaerbeek.be")
    assert message["Content-Language"] == "de" and message["Subject"].startswith(
        "Nicht veröffentlicht: ")


def test_deciding_twice_changes_nothing_the_second_time(client, auth, app, make_admin,
                                                        make_user, smtp):
    service_id = submit_as_editor(client, auth, make_user)
    make_admin()
    sign_in(auth, ADMIN)
    data = {"items": [f"S{service_id}"], "decision": "approve"}
    client.post("/en/admin/review/decide", data=data)
    response = client.post("/en/admin/review/decide", data=data)
    assert response.status_code in (302, 404)
    assert actions(app, "service").count("service.approved") == 1
    assert len(smtp.to("auteur@schaerbeek.be")) == 1


BAD_KEYS = ["X1", "S-1", "S", "R", "R99999999999", "S99999999", "S1.5", "S١", "S%00",
            "R0", "S" + "9" * 60]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_unknown_review_items_are_404_never_500(client, auth, make_admin, key):
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(f"/fr/admin/review/{key}").status_code == 404
    response = client.post("/fr/admin/review/decide", data={"items": [key], "decision": "approve"})
    assert response.status_code == 404


@pytest.mark.parametrize("data", [
    {}, {"decision": "approve"}, {"items": ["S1"], "decision": "maybe"},
    {"items": ["S1"], "decision": "reject", "reason": "x" * 2001},
    {"items": ["S1"], "decision": "reject", "reason": "bad\x00byte"},
])
def test_a_decision_form_that_makes_no_sense_is_refused_gently(client, auth, make_admin, data):
    make_admin()
    sign_in(auth, ADMIN)
    response = client.post("/en/admin/review/decide", data=data)
    assert response.status_code == 302
    assert "Choose at least one item" in html(client.get("/en/admin/review"))


def test_a_service_already_decided_is_no_longer_a_review_item(client, auth, make_admin,
                                                              make_service):
    service_id = make_service(COMMUNE_A, "published")
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(f"/en/admin/review/S{service_id}").status_code == 404


# --- Services table ----------------------------------------------------------------------------

def table_names(client, query=""):
    page = html(client.get(f"/en/admin/services{query}"))
    return re.findall(r'<th scope="row">([^<]+?)\s*<', page)


def test_the_services_table_filters_sorts_and_pages(client, auth, app, make_admin, make_service):
    draft = make_service(COMMUNE_A, "draft")
    liege = make_service(COMMUNE_B, "published", types=["sac"])
    make_service(COMMUNE_A, "archived")
    with app.app_context():
        db.session.get(Service, liege).is_demo = True
        db.session.commit()
    make_admin()
    sign_in(auth, ADMIN)
    assert len(table_names(client)) == 3
    assert table_names(client, "?state=draft") == ["Médiation Schaerbeek (fr)"]
    assert table_names(client, "?kind=sac") == ["Médiation Liège (fr)"]
    assert table_names(client, f"?region={BRUSSELS_REGION}") == ["Médiation Schaerbeek (fr)"] * 2
    assert table_names(client, f"?province={LIEGE_PROVINCE}") == ["Médiation Liège (fr)"]
    assert table_names(client, "?demo=yes") == ["Médiation Liège (fr)"]
    assert len(table_names(client, "?demo=no")) == 2
    assert table_names(client, "?q=liege") == ["Médiation Liège (fr)"]
    assert table_names(client, "?sort=name")[0] == "Médiation Liège (fr)"
    assert f"/en/manage/services/{draft}/edit" in html(client.get("/en/admin/services?state=draft"))


def test_the_services_table_pages_by_fifty(client, auth, app, make_admin, make_service):
    for _ in range(51):
        make_service(COMMUNE_A, "draft")
    make_admin()
    sign_in(auth, ADMIN)
    first = html(client.get("/en/admin/services"))
    assert "51 services — page 1 of 2" in first and "Next page" in first
    assert len(table_names(client, "?page=2")) == 1


@pytest.mark.parametrize("query", [
    "?page=abc", "?page=-1", "?page=99999999999999999999", "?sort=zzz", "?state=zzz",
    "?kind=%00", "?region=99999", "?province=x", "?demo=maybe", "?q=" + "x" * 500,
    "?q=%00%01", "?q=%25_%5C",
])
def test_the_services_table_never_fails_on_odd_filters(client, auth, make_admin, make_service,
                                                       query):
    make_service(COMMUNE_A, "published")
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(f"/en/admin/services{query}").status_code == 200


def test_a_provincial_admin_lists_only_their_services_and_gets_404_elsewhere(
        client, auth, make_admin, make_service):
    schaerbeek = make_service(COMMUNE_A, "published")
    hasselt = make_service(HASSELT, "published")
    make_admin(LIMITED, provinces=[LIMBURG])
    sign_in(auth, LIMITED)
    assert table_names(client) == ["Médiation Hasselt (fr)"]
    assert "Your territory:" in html(client.get("/en/admin/services"))
    assert client.get(f"/en/admin/services/{hasselt}").status_code == 200
    assert client.get(f"/en/admin/services/{schaerbeek}").status_code == 404
    for action in ("archive", "unarchive", "restore/1"):
        assert client.post(f"/en/admin/services/{schaerbeek}/{action}").status_code == 404


# --- History, restore, archive -----------------------------------------------------------------

def test_history_lists_each_change_and_an_earlier_version_comes_back_through_review(
        client, auth, app, make_admin, make_user, smtp):
    service_id = submit_as_editor(client, auth, make_user)
    make_admin()
    sign_in(auth, ADMIN)
    client.post("/en/admin/review/decide", data={"items": [f"S{service_id}"],
                                                 "decision": "approve"})
    revision_id = propose(app, service_id, "auteur@schaerbeek.be", phone="+3223333333")
    client.post("/en/admin/review/decide", data={"items": [f"R{revision_id}"],
                                                 "decision": "approve"})
    page = html(client.get(f"/en/admin/services/{service_id}"))
    titles = re.findall(r'<h2 class="history-title"[^>]*>[^<—]*— ([^<—]+?)(?: —[^<]*)?</h2>', page)
    assert titles == ["Changes approved and published", "Changes proposed",
                      "Approved and published", "Submitted for review"]
    assert re.search(r"Phone</th>\s*<td>02 555 01 23</td>\s*<td>02 333 33 33</td>", page), page
    # "Restore this version" on the first approval: the phone as it was then.
    with app.app_context():
        approved = db.session.scalar(db.select(AuditEvent.id).filter_by(action="service.approved"))
    assert f"/restore/{approved}" in page
    response = client.post(f"/en/admin/services/{service_id}/restore/{approved}")
    assert response.headers["Location"] == f"/en/admin/services/{service_id}"
    assert client.get(f"/api/v1/services/{service_id}").get_json()["phone"] == "+3223333333"
    with app.app_context():
        restored = db.session.scalar(db.select(Revision).filter_by(state=RevisionState.pending))
        assert restored.fields["phone"] == "+3225550123"
        restored_id = restored.id
    queue = html(client.get("/en/admin/review"))
    assert f'value="R{restored_id}"' in queue
    assert "Earlier version proposed again" in html(client.get(f"/en/admin/services/{service_id}"))
    # Four eyes: the admin who proposed the earlier version does not approve it.
    client.post("/en/admin/review/decide", data={"items": [f"R{restored_id}"],
                                                 "decision": "approve"})
    assert "1 item is your own change: another admin decides on it." in html(
        client.get("/en/admin/review"))
    assert client.get(f"/api/v1/services/{service_id}").get_json()["phone"] == "+3223333333"
    make_admin("second@example.be")
    sign_in(auth, "second@example.be")
    client.post("/en/admin/review/decide", data={"items": [f"R{restored_id}"],
                                                 "decision": "approve"})
    assert client.get(f"/api/v1/services/{service_id}").get_json()["phone"] == "+3225550123"
    assert actions(app, "revision")[-2:] == ["revision.restore_proposed", "revision.approved"]


@pytest.mark.parametrize("event_id", [0, 1, 2**31, 10**20])
def test_restoring_a_version_that_is_not_this_services_is_404(client, auth, app, make_admin,
                                                              make_service, event_id):
    service_id = make_service(COMMUNE_A, "published")
    make_admin()
    sign_in(auth, ADMIN)
    assert client.post(f"/en/admin/services/{service_id}/restore/{event_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 0


def test_archive_takes_a_service_off_and_restore_brings_it_back_as_a_draft(
        client, auth, app, make_admin, make_service):
    service_id = make_service(COMMUNE_A, "published")
    make_admin()
    sign_in(auth, ADMIN)
    etag = client.get("/api/v1/services.geojson").headers["ETag"]
    refused = client.post(f"/en/admin/services/{service_id}/archive",
                          data={"reason": "  ", "confirm": "y"})
    assert refused.status_code == 400
    assert "Please give the reason for archiving" in html(refused)
    refused = client.post(f"/en/admin/services/{service_id}/archive",
                          data={"reason": "Service arrêté le 1er janvier."})
    assert refused.status_code == 400 and "Please tick the box to confirm." in html(refused)
    assert "Service arrêté le 1er janvier." in html(refused)  # what was typed is kept
    assert status_of(app, service_id) == "published"
    response = client.post(f"/en/admin/services/{service_id}/archive",
                           data={"reason": "Service arrêté le 1er janvier.", "confirm": "y"})
    assert response.headers["Location"] == f"/en/admin/services/{service_id}"
    gone = client.get(f"/fr/services/{service_id}")
    assert gone.status_code == 410
    assert "ne figure plus dans le répertoire" in html(gone)
    assert "Service arrêté" not in html(gone)  # the admins' reason stays in the history
    assert "Service arrêté le 1er janvier." in html(client.get(f"/en/admin/services/{service_id}"))
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    assert service_id not in public_ids(client)
    assert client.get("/api/v1/services.geojson").headers["ETag"] != etag
    assert client.post(f"/en/admin/services/{service_id}/archive").status_code == 404
    page = html(client.get(f"/en/admin/services/{service_id}"))
    assert "Restore from the archive" in page and "Restore this version" not in page
    client.post(f"/en/admin/services/{service_id}/unarchive")
    assert status_of(app, service_id) == "draft"
    assert client.get(f"/fr/services/{service_id}").status_code == 404
    assert client.post(f"/en/admin/services/{service_id}/unarchive").status_code == 404
    assert actions(app, "service") == ["service.archived", "service.unarchived"]


def test_an_archived_services_page_answers_410_with_the_communes_other_services(
        client, auth, app, make_admin, make_service):
    archived = make_service(COMMUNE_A, "published")
    other = make_service(COMMUNE_A, "published")
    with app.app_context():
        for service_id, name in ((archived, "Ancienne médiation"), (other, "Nouvelle médiation")):
            service = db.session.get(Service, service_id)
            service.name_fr = service.name_nl = service.name_en = name
        db.session.commit()
    make_admin()
    sign_in(auth, ADMIN)
    client.post(f"/en/admin/services/{archived}/archive",
                data={"reason": "Fusionné avec la nouvelle médiation.", "confirm": "y"})
    response = client.get(f"/en/services/{archived}")
    assert response.status_code == 410
    page = html(response)
    assert "Ancienne médiation is no longer listed" in page
    assert "Mediation services for Schaerbeek" in page
    assert f"/services/{other}" in page and "Nouvelle médiation" in page
    assert '<meta name="robots" content="noindex">' in page


@pytest.mark.parametrize("service_id", [0, 999999, 2**31, 10**20])
def test_unknown_services_are_404(client, auth, make_admin, service_id):
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(f"/en/admin/services/{service_id}").status_code == 404
    for action in ("archive", "unarchive", "restore/1"):
        assert client.post(f"/en/admin/services/{service_id}/{action}").status_code == 404


# --- People ------------------------------------------------------------------------------------

def access_request(app, email="jan@schaerbeek.be", refnis=COMMUNE_A, language="nl"):
    with app.app_context():
        found = AccessRequest(name="Jan Peeters", email=email, refnis=refnis, language=language,
                              function="Bemiddelaar", message="Graag toegang.")
        db.session.add(found)
        db.session.commit()
        return found.id


def test_granting_a_request_invites_the_requester_in_their_language(client, auth, app,
                                                                    make_admin, smtp):
    request_id = access_request(app)
    admin_id = make_admin()
    sign_in(auth, ADMIN)
    page = html(client.get("/en/admin/people"))
    assert "Jan Peeters — jan@schaerbeek.be" in page and "Graag toegang." in page
    response = client.post(f"/en/admin/people/requests/{request_id}/grant")
    assert response.headers["Location"] == "/en/admin/people"
    assert "jan@schaerbeek.be is invited" in html(client.get("/en/admin/people"))
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="jan@schaerbeek.be"))
        assert user.role.value == "editor" and [c.refnis for c in user.communes] == [COMMUNE_A]
        assert user.preferred_language == "nl"
        assert db.session.get(AccessRequest, request_id).state.value == "granted"
        assert db.session.get(AccessRequest, request_id).decided_by_id == admin_id
    [message] = smtp.to("jan@schaerbeek.be")
    assert message["Content-Language"] == "nl"
    assert message["Subject"] == "Uw account in de gids van de lokale bemiddelingsdiensten"
    assert "/nl/account/welcome/" in message.get_content()
    assert {"user.invited", "access_request.granted"} <= set(actions(app))
    # Decided: granting again answers 404.
    assert client.post(f"/en/admin/people/requests/{request_id}/grant").status_code == 404


def test_refusing_a_request_tells_the_requester_with_the_note(client, auth, app, make_admin,
                                                              smtp):
    request_id = access_request(app, language="de")
    make_admin()
    sign_in(auth, ADMIN)
    client.post(f"/en/admin/people/requests/{request_id}/refuse",
                data={"note": "Bitte über die Gemeinde anfragen."})
    [message] = smtp.to("jan@schaerbeek.be")
    assert message["Content-Language"] == "de"
    assert message["Subject"] == \
        "Ihr Antrag auf Zugang zum Verzeichnis der lokalen Vermittlungsdienste"
    assert "Bitte über die Gemeinde anfragen." in message.get_content()
    with app.app_context():
        decided = db.session.get(AccessRequest, request_id)
        assert decided.state.value == "refused"
        assert decided.decision_note == "Bitte über die Gemeinde anfragen."
        assert db.session.scalar(db.select(User).filter_by(email="jan@schaerbeek.be")) is None
    assert "access_request.refused" in actions(app)
    assert "No open request." in html(client.get("/en/admin/people"))


def test_a_request_from_someone_with_an_account_is_not_granted_twice(client, auth, app,
                                                                     make_admin, make_user):
    make_user("jan@schaerbeek.be")
    request_id = access_request(app)
    make_admin()
    sign_in(auth, ADMIN)
    client.post(f"/en/admin/people/requests/{request_id}/grant")
    assert "An account with this address exists already" in html(client.get("/en/admin/people"))
    with app.app_context():
        assert db.session.get(AccessRequest, request_id).state.value == "open"


def person_form(user, **changes):
    data = {"role": user.role.value, "active": "1",
            "communes": [c.refnis for c in user.communes]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def person(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        for relation in ("communes", "regions", "provinces", "organizations"):
            getattr(user, relation)
        db.session.expunge(user)
        return user


def test_a_national_admin_changes_role_communes_territory_and_every_change_is_audited(
        client, auth, app, make_admin, make_user):
    editor_id = make_user("editor@schaerbeek.be")
    admin_id = make_admin()
    sign_in(auth, ADMIN)
    url = f"/en/admin/people/{editor_id}"
    response = client.post(url, data=person_form(person(app, editor_id), add_commune="4000"))
    assert response.headers["Location"] == url
    assert {c.refnis for c in person(app, editor_id).communes} == {COMMUNE_A, COMMUNE_B}
    # Made an admin, then limited to Limburg.
    client.post(url, data=person_form(person(app, editor_id), role="admin"))
    assert person(app, editor_id).is_admin
    client.post(url, data=person_form(person(app, editor_id), provinces=[LIMBURG]))
    assert [p.code for p in person(app, editor_id).provinces] == [LIMBURG]
    assert "Limburg" in html(client.get("/en/admin/people"))
    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).filter_by(
            action="user.changed", entity_id=str(editor_id)).order_by(AuditEvent.id)).all()
        assert [e.user_id for e in events] == [admin_id] * 3
        assert events[0].before["communes"] == [COMMUNE_A]
        assert events[0].after["communes"] == sorted([COMMUNE_A, COMMUNE_B])
        assert (events[1].before["role"], events[1].after["role"]) == ("editor", "admin")
        assert (events[2].before.get("provinces"), events[2].after["provinces"]) == ([], [LIMBURG])


def test_a_deactivated_account_cannot_sign_in(client, auth, app, make_admin, make_user):
    editor_id = make_user("editor@schaerbeek.be")
    make_admin()
    sign_in(auth, ADMIN)
    client.post(f"/en/admin/people/{editor_id}",
                data=person_form(person(app, editor_id), active=None))
    assert not person(app, editor_id).active
    people = html(client.get("/en/admin/people"))
    assert re.search(r"editor@schaerbeek.be</a>.*?<td>No</td>", people, re.S)
    auth.logout()
    response = auth.login("editor@schaerbeek.be", lang="en")
    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in html(response)


def test_an_admin_cannot_remove_their_own_role(client, auth, app, make_admin):
    admin_id = make_admin()
    sign_in(auth, ADMIN)
    response = client.post(f"/en/admin/people/{admin_id}",
                           data=person_form(person(app, admin_id), role="editor"))
    assert response.status_code == 400
    assert "You cannot remove your own admin role" in html(response)
    assert person(app, admin_id).is_admin


def test_the_last_sign_in_is_shown(client, auth, app, make_admin, make_user):
    editor_id = make_user("editor@schaerbeek.be")
    make_admin()
    sign_in(auth, ADMIN)
    assert "Never signed in." in html(client.get(f"/en/admin/people/{editor_id}"))
    sign_in(auth, "editor@schaerbeek.be")
    sign_in(auth, ADMIN)
    page = html(client.get(f"/en/admin/people/{editor_id}"))
    assert "Last sign-in: " in page and "Never signed in." not in page
    assert re.search(r"editor@schaerbeek.be</a>.*?<td>[^<]*\d{4}[^<]*</td>",
                     html(client.get("/en/admin/people")), re.S)


def test_a_limited_admin_changes_neither_roles_nor_communes_outside_their_territory(
        client, auth, app, make_admin, make_user):
    editor_id = make_user("editor@hasselt.be", communes=[HASSELT])
    outsider = make_user("editor@schaerbeek.be")
    make_admin(LIMITED, provinces=[LIMBURG])
    sign_in(auth, LIMITED)
    url = f"/en/admin/people/{editor_id}"
    page = html(client.get(url))
    assert 'id="role-admin" disabled' in page or "disabled" in page
    response = client.post(url, data=person_form(person(app, editor_id), role="admin"))
    assert response.status_code == 400 and "Only a national admin can change a role." in html(
        response)
    response = client.post(url, data=person_form(person(app, editor_id), add_commune="Liège"))
    assert response.status_code == 400
    assert "You can only give communes of your territory." in html(response)
    assert [c.refnis for c in person(app, editor_id).communes] == [HASSELT]
    assert not person(app, editor_id).is_admin
    # A territory is not theirs to give either; a commune of Limburg is.
    client.post(url, data=person_form(person(app, editor_id), provinces=[LIEGE_PROVINCE],
                                      add_commune="Genk"))
    assert person(app, editor_id).provinces == []
    assert {c.name_fr for c in person(app, editor_id).communes} == {"Hasselt", "Genk"}
    # Accounts outside the territory are not there at all.
    assert "editor@schaerbeek.be" not in html(client.get("/en/admin/people"))
    assert client.get(f"/en/admin/people/{outsider}").status_code == 404
    assert client.post(f"/en/admin/people/{outsider}", data={"active": ""}).status_code == 404
    assert person(app, outsider).active


def test_a_limited_admin_decides_only_requests_of_their_territory(client, auth, app, make_admin,
                                                                  smtp):
    inside = access_request(app, email="jan@hasselt.be", refnis=HASSELT)
    outside = access_request(app)
    nowhere = access_request(app, email="x@example.be", refnis=None)
    make_admin(LIMITED, provinces=[LIMBURG])
    sign_in(auth, LIMITED)
    page = html(client.get("/en/admin/people"))
    assert "jan@hasselt.be" in page and "jan@schaerbeek.be" not in page
    for request_id in (outside, nowhere):
        assert client.post(f"/en/admin/people/requests/{request_id}/grant").status_code == 404
        assert client.post(f"/en/admin/people/requests/{request_id}/refuse").status_code == 404
    assert client.post(f"/en/admin/people/requests/{inside}/grant").status_code == 302
    assert smtp.to("jan@hasselt.be") and not smtp.to("jan@schaerbeek.be")


@pytest.mark.parametrize("path", ["/en/admin/people/0", "/en/admin/people/999999",
                                  f"/en/admin/people/{2**31}", f"/en/admin/people/{10**20}"])
def test_unknown_people_are_404(client, auth, make_admin, path):
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get(path).status_code == 404
    assert client.post(path, data={"role": "admin"}).status_code == 404


@pytest.mark.parametrize("action", ["grant", "refuse"])
@pytest.mark.parametrize("request_id", [0, 999999, 2**31, 10**20])
def test_unknown_access_requests_are_404(client, auth, make_admin, action, request_id):
    make_admin()
    sign_in(auth, ADMIN)
    assert client.post(f"/en/admin/people/requests/{request_id}/{action}").status_code == 404


@pytest.mark.parametrize("changes", [
    {"role": "superuser"}, {"add_commune": "Atlantis"}, {"add_commune": "x" * 10000},
    {"organizations": ["abc", "99999999999999999999"]}, {"regions": ["zzz"]},
    {"provinces": ["%00"]}, {"communes": ["99999"]},
])
def test_odd_account_forms_are_refused_or_ignored_never_a_500(client, auth, app, make_admin,
                                                              make_user, changes):
    editor_id = make_user("editor@schaerbeek.be")
    make_admin()
    sign_in(auth, ADMIN)
    response = client.post(f"/en/admin/people/{editor_id}",
                           data=person_form(person(app, editor_id), **changes))
    assert response.status_code in (302, 400)


# --- Citizens' error reports -------------------------------------------------------------------

def error_report(app, service_id, email="citoyen@example.be"):
    with app.app_context():
        report = ErrorReport(service_id=service_id, message="Le numéro a changé.", language="fr",
                             reporter_email=email)
        db.session.add(report)
        db.session.commit()
        return report.id


@pytest.mark.parametrize("outcome, tab", [("resolved", "resolved"), ("dismissed", "dismissed")])
def test_a_report_is_handled_with_a_note_and_the_reporters_address_dropped(
        client, auth, app, make_admin, make_service, make_user, outcome, tab):
    service_id = make_service(COMMUNE_A, "published")
    report_id = error_report(app, service_id)
    make_user("editor@schaerbeek.be")
    sign_in(auth, "editor@schaerbeek.be")
    assert "Le numéro a changé." in html(client.get("/en/manage/"))
    admin_id = make_admin()
    sign_in(auth, ADMIN)
    inbox = html(client.get("/en/admin/reports"))
    assert "Le numéro a changé." in inbox and "citoyen@example.be" in inbox
    assert f"/en/admin/services/{service_id}" in inbox
    response = client.post(f"/en/admin/reports/{report_id}",
                           data={"outcome": outcome, "note": "Numéro corrigé le 3 mars."})
    assert response.headers["Location"] == "/en/admin/reports"
    with app.app_context():
        report = db.session.get(ErrorReport, report_id)
        assert report.status.value == outcome and report.handled_note == "Numéro corrigé le 3 mars."
        assert report.reporter_email is None and report.handled_by_id == admin_id
        assert report.resolved_at is not None
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="error_report.handled"))
        assert event.before["status"] == "open" and event.after["status"] == outcome
    assert "No report here." in html(client.get("/en/admin/reports"))
    handled = html(client.get(f"/en/admin/reports?status={tab}"))
    assert "Numéro corrigé le 3 mars." in handled and "citoyen@example.be" not in handled
    # Open again: back in the inbox, still without the address.
    client.post(f"/en/admin/reports/{report_id}", data={"outcome": "open", "note": ""})
    assert "Le numéro a changé." in html(client.get("/en/admin/reports"))


@pytest.mark.parametrize("data", [{}, {"outcome": "deleted"}, {"outcome": "resolved",
                                                               "note": "x" * 2001},
                                  {"outcome": "resolved", "note": "a\x07b"}])
def test_a_report_decision_that_makes_no_sense_changes_nothing(client, auth, app, make_admin,
                                                               make_service, data):
    report_id = error_report(app, make_service(COMMUNE_A, "published"))
    make_admin()
    sign_in(auth, ADMIN)
    client.post(f"/en/admin/reports/{report_id}", data=data)
    assert "Please choose what happened" in html(client.get("/en/admin/reports"))
    with app.app_context():
        assert db.session.get(ErrorReport, report_id).reporter_email == "citoyen@example.be"


def test_reports_outside_a_limited_admins_territory_are_404(client, auth, app, make_admin,
                                                           make_service):
    report_id = error_report(app, make_service(COMMUNE_A, "published"))
    make_admin(LIMITED, provinces=[LIMBURG])
    sign_in(auth, LIMITED)
    assert "Le numéro a changé." not in html(client.get("/en/admin/reports"))
    assert client.post(f"/en/admin/reports/{report_id}",
                       data={"outcome": "resolved"}).status_code == 404
    for report_id in (0, 2**31, 10**20):
        assert client.post(f"/en/admin/reports/{report_id}",
                           data={"outcome": "resolved"}).status_code == 404


def test_unknown_report_tabs_show_the_open_ones(client, auth, make_admin):
    make_admin()
    sign_in(auth, ADMIN)
    assert client.get("/en/admin/reports?status=%00").status_code == 200


# --- Texts per kind ----------------------------------------------------------------------------

def kinds_form(**texts):
    from mediation.labels import SERVICE_TYPES

    data = {f"{code}_{lang}": "" for code in SERVICE_TYPES for lang in ("fr", "nl", "de", "en")}
    data.update(texts)
    return data


def no_description(app):
    with app.app_context():
        texts = service_fields(COMMUNE_A)["texts"]
    texts["description"] = {"fr": "", "nl": "", "de": "", "en": ""}
    return texts


def test_a_kind_text_shows_on_services_without_their_own_and_follows_corrections(
        client, auth, app, make_admin, make_service):
    bare = make_service(COMMUNE_A, "published", texts=no_description(app))
    own = make_service(COMMUNE_A, "published")
    other_kind = make_service(COMMUNE_A, "published", types=["sac"], texts=no_description(app))
    make_admin()
    sign_in(auth, ADMIN)
    response = client.post("/en/admin/kinds", data=kinds_form(
        neighbourhood_fr="La médiation de quartier aide les voisins.",
        neighbourhood_nl="Buurtbemiddeling helpt buren."))
    assert response.headers["Location"] == "/en/admin/kinds"

    def page(service_id, lang="fr"):
        return html(client.get(f"/{lang}/services/{service_id}", follow_redirects=True))

    assert "La médiation de quartier aide les voisins." in page(bare)
    assert "Buurtbemiddeling helpt buren." in page(bare, "nl")
    assert "La médiation de quartier aide les voisins." not in page(own)
    assert "Description fr" in page(own)
    assert "La médiation de quartier aide les voisins." not in page(other_kind)
    client.post("/en/admin/kinds", data=kinds_form(
        neighbourhood_fr="La médiation de quartier aide les voisins à se parler.",
        neighbourhood_nl="Buurtbemiddeling helpt buren."))
    assert "La médiation de quartier aide les voisins à se parler." in page(bare)
    with app.app_context():
        assert db.session.get(KindText, "neighbourhood").text_fr.endswith("à se parler.")
    assert actions(app, "servicetype") == ["kind_text.changed", "kind_text.changed"]


def test_only_a_national_admin_saves_the_kind_texts(client, auth, app, make_admin):
    make_admin(LIMITED, provinces=[LIMBURG])
    sign_in(auth, LIMITED)
    assert client.get("/en/admin/kinds").status_code == 200
    client.post("/en/admin/kinds", data=kinds_form(neighbourhood_fr="Texte d'un coordinateur."))
    assert "Only a national admin can change these texts." in html(client.get("/en/admin/kinds"))
    with app.app_context():
        assert db.session.get(KindText, "neighbourhood") is None
    auth.logout()
    auth.as_editor()
    assert client.post("/en/admin/kinds", data=kinds_form(neighbourhood_fr="x")).status_code == 403


@pytest.mark.parametrize("text, message", [
    ("x" * 4001, "Please write at most 4000 characters."),
    ("a\x00b", "This text contains invisible control characters."),
])
def test_a_kind_text_too_long_or_with_control_characters_is_refused(client, auth, app,
                                                                   make_admin, text, message):
    make_admin()
    sign_in(auth, ADMIN)
    response = client.post("/en/admin/kinds", data=kinds_form(sac_de=text,
                                                              neighbourhood_fr="Bon texte."))
    assert response.status_code == 400 and message in html(response)
    with app.app_context():
        assert db.session.get(KindText, "neighbourhood") is None


# --- Editors and the admin area ----------------------------------------------------------------

def test_an_admin_edits_a_published_service_directly(client, auth, app, make_admin,
                                                     make_service):
    service_id = make_service(COMMUNE_A, "published")
    make_admin()
    sign_in(auth, ADMIN)
    url = f"/en/manage/services/{service_id}/edit"
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', html(client.get(url))).group(1)
    response = client.post(url, data=form_data(stamp=stamp, name_fr="Nom corrigé"))
    assert response.status_code == 302, html(response)
    assert "Nom corrigé" in html(client.get(f"/fr/services/{service_id}", follow_redirects=True))
    assert "Changed by an admin" in html(client.get(f"/en/admin/services/{service_id}"))


# --- The general contact of a commune ---------------------------------------------------------

def test_a_communes_contact_is_kept_by_its_admins_and_shown_on_its_page(client, auth, app):
    auth.as_admin()
    page = client.get(f"/en/communes/{COMMUNE_A}").get_data(as_text=True)
    assert "Its contact is not in this directory yet" in page
    response = client.post(f"/en/admin/communes/{COMMUNE_A}", data={
        "phone": "02 244 75 11", "email": "Info@Schaerbeek.be",
        "website": "https://www.1030.be"})
    assert response.status_code == 302
    page = client.get(f"/en/communes/{COMMUNE_A}").get_data(as_text=True)
    assert 'href="tel:+3222447511"' in page and "info@schaerbeek.be" in page
    assert 'href="https://www.1030.be"' in page
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).filter_by(
            action="commune.contact_changed")).one()
        assert event.after["phone"] == "+3222447511" and event.before["phone"] is None
    # The next step of a kind no service offers leads to it.
    search = client.get(f"/en/search?commune={COMMUNE_A}&type=other").get_data(as_text=True)
    assert f"/en/communes/{COMMUNE_A}#contact-title" in search


@pytest.mark.parametrize("field, value, message", [
    ("phone", "12345", "This phone number is not valid."),
    ("email", "not-an-address", "This e-mail address does not look valid."),
    ("website", "http://www.1030.be", "starting with https://"),
])
def test_a_communes_contact_is_checked_and_kept_as_typed(client, auth, field, value, message):
    auth.as_admin()
    response = client.post(f"/en/admin/communes/{COMMUNE_A}", data={field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and value in page


@pytest.mark.parametrize("refnis", ["99999", "abc", "2101٥"])
def test_an_unknown_commune_has_no_contact_page(client, auth, refnis):
    auth.as_admin()
    assert client.get(f"/en/admin/communes/{refnis}").status_code == 404
