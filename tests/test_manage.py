"""The commune editors' pages: the service form's rules, drafts, submission, verification."""

import re
from datetime import timedelta

import pytest

from support import COMMUNE_A, COMMUNE_B
from mediation.extensions import db
from mediation.models import (
    AuditEvent,
    Commune,
    ErrorReport,
    Location,
    Service,
    ServiceStatus,
    User,
)
from mediation.models.reference import utcnow


def html(response):
    return response.get_data(as_text=True)


def form_data(**changes):
    """What an editor of Schaerbeek types for a complete service."""
    data = {
        "organization": f"commune:{COMMUNE_A}",
        "name_fr": "Médiation de quartier de Schaerbeek", "description_fr": "Conflits de voisinage.",
        "name_nl": "Buurtbemiddeling Schaarbeek", "description_nl": "Burenruzies.",
        "types": ["neighbourhood"], "communes": [COMMUNE_A],
        "languages": ["fr", "nl"], "update_interval_months": "6",
        "phone": "02 555 01 23", "email": "Mediation@Schaerbeek.be",
        "website": "https://www.1030.be/mediation",
        "street": "Place Colignon", "number": "1", "postal_code": "1030",
        "hours_mon": "9:00-12:00, 13:30-17:00", "action": "submit",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def only_service(app):
    with app.app_context():
        service = db.session.scalar(db.select(Service))
        return service


def audit_actions(app, entity_type="service"):
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent.action).filter_by(
            entity_type=entity_type).order_by(AuditEvent.id)))


def error_beside(page, field, message):
    # The coordinates' errors sit in their own small fields, without an id.
    return re.search(rf'<p class="error"( id="{field}-error")?>{re.escape(message)}', page)


# --- The form's rules --------------------------------------------------------------------------

FIELD_RULES = [
    ("phone", "12345", "This phone number is not valid."),
    ("phone", "02 12", "This phone number is not valid."),
    ("contact_phone", "0470 12", "This phone number is not valid."),
    ("email", "mediation@", "This e-mail address does not look valid."),
    ("contact_email", "not an address", "This e-mail address does not look valid."),
    ("website", "www 1030 be", "Please write the full address, starting with https://"),
    ("website", "http://www.1030.be", "Please write the full address, starting with https://"),
    ("website", "ftp://www.1030.be/file", "Please write the full address, starting with https://"),
    ("postal_code", "10a0", "A Belgian postal code has four digits."),
    ("postal_code", "1000", "The postal code 1000 is not one of Schaerbeek (1030)."),
    ("hours_mon", "morning", "Please write the hours as 9:00-12:00, 13:30-17:00"),
    ("hours_tue", "12:00-09:00", "Please write the hours as 9:00-12:00, 13:30-17:00"),
    ("hours_wed", "9:00-12:00, 11:30-14:00", "Please write the hours as 9:00-12:00, 13:30-17:00"),
    ("hours_thu", "25:00-26:00", "Please write the hours as 9:00-12:00, 13:30-17:00"),
    ("name_fr", "Médiation\x0bSchaerbeek", "This text contains invisible control characters."),
    ("organization", "", "Please choose the organisation running the service."),
    ("organization", "commune:62063", "Not a valid choice."),
    ("lat", "48.0", "This position is not in Belgium."),
    ("lon", "7.1", "This position is not in Belgium."),
]


@pytest.mark.parametrize("action", ["save", "submit"])
@pytest.mark.parametrize("field, value, message", FIELD_RULES)
def test_each_field_rule_is_shown_beside_its_field_and_keeps_the_input(client, auth, app, action,
                                                                       field, value, message):
    auth.as_editor()
    data = form_data(action=action, **{field: value})
    response = client.post("/en/manage/services/new", data=data)
    assert response.status_code == 400
    page = html(response)
    assert error_beside(page, field, message), page
    assert f'href="#{field}"' in page  # summarised at the top, linked
    for name in ("name_fr", "name_nl", "street", "email", "website", "hours_mon"):
        if name != field and data.get(name):
            assert data[name] in page or data[name].replace("'", "&#39;") in page
    assert only_service(app) is None


def test_postal_code_is_checked_against_the_commune_of_the_address(client, auth):
    auth.as_editor()
    page = html(client.post("/en/manage/services/new", data=form_data(
        postal_code="4000", location_commune="Schaerbeek")))
    assert error_beside(page, "postal_code", "The postal code 4000 is not one of Schaerbeek (1030).")
    ok = client.post("/en/manage/services/new", data=form_data(
        postal_code="1030", location_commune="1030"))
    assert ok.status_code == 302


@pytest.mark.parametrize("typed, stored", [
    ("02 555 01 23", "+3225550123"), ("02/240.38.00", "+3222403800"),
    ("+32 2 555 01 23", "+3225550123"), ("0470 12 34 56", "+32470123456"),
])
def test_phone_is_stored_as_e164(client, auth, app, typed, stored):
    auth.as_editor()
    assert client.post("/en/manage/services/new", data=form_data(phone=typed)).status_code == 302
    service = only_service(app)
    assert service.phone == stored


def test_a_submitted_service_keeps_what_was_typed(client, auth, app):
    auth.as_editor()
    response = client.post("/en/manage/services/new", data=form_data())
    assert response.status_code == 302
    with app.app_context():
        service = db.session.scalar(db.select(Service))
        assert response.headers["Location"] == f"/en/manage/services/{service.id}/edit"
        assert service.status is ServiceStatus.pending
        assert (service.name_fr, service.name_nl) == ("Médiation de quartier de Schaerbeek",
                                                      "Buurtbemiddeling Schaarbeek")
        assert service.email == "mediation@schaerbeek.be"
        assert service.website == "https://www.1030.be/mediation"
        assert [a.refnis for a in service.areas] == [COMMUNE_A]
        assert service.type_codes == ["neighbourhood"]
        assert service.organization.refnis == COMMUNE_A
        location = service.locations[0]
        assert (location.street, location.number, location.postal_code, location.refnis) == \
            ("Place Colignon", "1", "1030", COMMUNE_A)
        assert location.opening_hours == {"mon": [["09:00", "12:00"], ["13:30", "17:00"]]}
    assert "Thank you. The service will be published after review." in \
        html(client.get(response.headers["Location"]))


def test_a_draft_may_be_incomplete_but_needs_an_organisation(client, auth, app):
    auth.as_editor()
    bare = {"organization": f"commune:{COMMUNE_A}", "action": "save", "name_fr": "Brouillon"}
    response = client.post("/en/manage/services/new", data=bare)
    assert response.status_code == 302
    assert "The draft is saved. It is not public" in html(client.get(response.headers["Location"]))
    with app.app_context():
        service = db.session.scalar(db.select(Service))
        assert service.status is ServiceStatus.draft and service.name_fr == "Brouillon"


SUBMISSION_RULES = [
    ({"phone": "", "email": ""}, "phone", "Please give a phone number or an e-mail address."),
    ({"types": []}, "types", "Please choose at least one kind of mediation."),
    ({"communes": []}, "communes", "Please add at least one commune the service covers."),
]


@pytest.mark.parametrize("changes, field, message", SUBMISSION_RULES)
def test_submission_needs_contact_kind_and_commune(client, auth, app, changes, field, message):
    auth.as_editor()
    data = form_data(**changes)
    response = client.post("/en/manage/services/new", data=data)
    assert response.status_code == 400
    page = html(response)
    assert error_beside(page, field, message), page
    assert "Médiation de quartier de Schaerbeek" in page and "Place Colignon" in page
    assert only_service(app) is None
    # The same form is a valid draft.
    assert client.post("/en/manage/services/new", data={**data, "action": "save"}).status_code == 302


def language_rule_data(refnis, **texts):
    data = form_data(organization=f"commune:{refnis}", communes=[refnis], postal_code="",
                     name_fr="", description_fr="", name_nl="", description_nl="")
    data.update(texts)
    return data


@pytest.mark.parametrize("refnis, texts, missing", [
    ("21015", {"name_fr": "M", "description_fr": "D"}, ["nl"]),
    ("21015", {"name_nl": "M", "description_nl": "D"}, ["fr"]),
    ("21015", {"name_fr": "M", "name_nl": "M", "description_nl": "D"}, ["fr"]),
    ("44021", {"name_fr": "M", "description_fr": "D"}, ["nl"]),
    ("62063", {"name_nl": "M", "description_nl": "D", "name_en": "M", "description_en": "D"}, ["fr"]),
    ("63023", {"name_fr": "M", "description_fr": "D"}, ["de"]),
    ("21015", {"name_fr": "M", "description_fr": "D", "name_nl": "M", "description_nl": "D"}, []),
    ("44021", {"name_nl": "M", "description_nl": "D"}, []),
    ("62063", {"name_fr": "M", "description_fr": "D"}, []),
    ("63023", {"name_de": "M", "description_de": "D"}, []),
])
def test_submission_needs_the_languages_of_the_communes_covered(client, auth, refnis, texts,
                                                                missing):
    auth.as_admin()
    response = client.post("/en/manage/services/new", data=language_rule_data(refnis, **texts))
    names = {"fr": "French", "nl": "Dutch", "de": "German"}
    if not missing:
        assert response.status_code == 302, html(response)
        return
    assert response.status_code == 400
    for lang in missing:
        assert error_beside(html(response), f"name_{lang}", "The name and the description are "
                            f"needed in {names[lang]} for the communes this service covers.")


# --- Communes covered --------------------------------------------------------------------------

@pytest.mark.parametrize("typed, added", [("Evere", "21006"), ("1140", "21006"),
                                          ("Evere ", "21006"), ("Laeken", "21004")])
def test_add_a_commune_by_name_or_postal_code(client, auth, typed, added):
    auth.as_editor()
    response = client.post("/en/manage/services/new", data=form_data(
        action="add_commune", add_commune=typed))
    assert response.status_code == 200
    page = html(response)
    assert f'name="communes" value="{COMMUNE_A}"' in page
    assert f'name="communes" value="{added}"' in page
    assert "Médiation de quartier de Schaerbeek" in page  # what was typed stays


def test_adding_an_unknown_or_ambiguous_commune_says_so(client, auth):
    auth.as_editor()
    page = html(client.post("/en/manage/services/new", data=form_data(
        action="add_commune", add_commune="Molenbeek")))
    assert error_beside(page, "add_commune", "Which commune do you mean: ")
    page = html(client.post("/en/manage/services/new", data=form_data(
        action="add_commune", add_commune="Xyzzy")))
    assert error_beside(page, "add_commune", "No Belgian commune is known by this name")


@pytest.mark.parametrize("group, some, count", [
    ("province:60000", "62063", 84), ("judicial:eupen", "63023", 9),
    ("arrondissement:23", "23088", None),  # Halle-Vilvoorde: Vilvoorde among its communes
])
def test_add_every_commune_of_a_province_arrondissement_or_judicial_district(
        client, auth, app, group, some, count):
    auth.as_admin()
    response = client.post("/en/manage/services/new", data=form_data(action="add_group",
                                                                     add_group=group))
    page = html(response)
    added = set(re.findall(r'name="communes" value="(\d{5})"', page))
    assert some in added and COMMUNE_A in added
    with app.app_context():
        if group.startswith("province:"):
            expected = db.session.scalar(db.select(db.func.count(Commune.refnis)).filter_by(
                province_code=group.split(":")[1], active=True))
        elif group.startswith("arrondissement:"):
            expected = db.session.scalar(db.select(db.func.count(Commune.refnis)).where(
                Commune.refnis.startswith(group.split(":")[1]), Commune.active))
        else:
            expected = count
    assert len(added) == expected + 1


def test_every_commune_lies_in_a_named_arrondissement(app_ctx):
    from mediation.manage.editing import arrondissements

    prefixes = set(db.session.scalars(db.select(db.func.substr(Commune.refnis, 1, 2))))
    assert prefixes == set(arrondissements())
    assert arrondissements()["23"] == {"fr": "Hal-Vilvorde", "nl": "Halle-Vilvoorde",
                                       "de": "Halle-Vilvoorde"}


# --- Review: pending, published, revisions, withdrawal ------------------------------------------

def publish(app, service_id, reviewer_email="admin@example.be"):
    from mediation.directory import moderation

    with app.test_request_context("/fr/"):
        reviewer = db.session.scalar(db.select(User).filter_by(email=reviewer_email))
        service = db.session.get(Service, service_id)
        moderation.approve(reviewer, service, moderation.pending_revision(service)
                           if service.status is ServiceStatus.published else None)


def api_ids(client):
    return [s["id"] for s in client.get("/api/v1/services?commune=21015").get_json()["results"]]


def test_a_new_service_is_not_public_until_approved(client, auth, app, make_user):
    make_user("admin@example.be", role="admin")
    auth.as_editor()
    client.post("/en/manage/services/new", data=form_data())
    service_id = only_service(app).id
    assert client.get(f"/fr/services/{service_id}").status_code == 404
    assert service_id not in api_ids(client)
    assert client.get(f"/api/v1/services/{service_id}").status_code == 404
    publish(app, service_id)
    assert client.get(f"/fr/services/{service_id}").status_code in (200, 301)
    assert "Médiation de quartier de Schaerbeek" in html(client.get(f"/fr/services/{service_id}",
                                                                    follow_redirects=True))
    assert service_id in api_ids(client)
    assert audit_actions(app) == ["service.submitted", "service.approved"]


def test_an_edit_of_a_published_service_waits_for_review(client, auth, app, make_service,
                                                         make_user):
    make_user("admin@example.be", role="admin")
    service_id = make_service(COMMUNE_A, "published")
    auth.as_editor()
    url = f"/en/manage/services/{service_id}/edit"
    form = html(client.get(url))
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', form).group(1)
    data = form_data(stamp=stamp, name_fr="Nouveau nom", organization=f"commune:{COMMUNE_A}")
    response = client.post(url, data=data)
    assert response.status_code == 302, html(response)
    page = html(client.get(url))
    assert "Your changes will be published after review" in page
    assert "Changes awaiting review" in page or "changes awaiting review" in page.lower()
    public = html(client.get(f"/fr/services/{service_id}", follow_redirects=True))
    assert "Médiation Schaerbeek (fr)" in public and "Nouveau nom" not in public
    publish(app, service_id)
    public = html(client.get(f"/fr/services/{service_id}", follow_redirects=True))
    assert "Nouveau nom" in public
    assert audit_actions(app, "revision") == ["revision.proposed", "revision.approved"]


def test_changes_awaiting_review_can_be_withdrawn(client, auth, app, make_service):
    service_id = make_service(COMMUNE_A, "published")
    auth.as_editor()
    url = f"/en/manage/services/{service_id}/edit"
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', html(client.get(url))).group(1)
    client.post(url, data=form_data(stamp=stamp, name_fr="Nouveau nom"))
    response = client.post(f"/en/manage/services/{service_id}/withdraw")
    assert response.headers["Location"] == url
    page = html(client.get(url))
    assert "Your changes have been withdrawn." in page
    assert "Nouveau nom" not in page
    assert audit_actions(app, "revision") == ["revision.proposed", "revision.withdrawn"]
    assert "Médiation Schaerbeek (fr)" in html(client.get(f"/fr/services/{service_id}",
                                                          follow_redirects=True))


def test_the_second_of_two_saves_is_refused_and_overwrites_nothing(app, make_user, make_service):
    from support import PASSWORD

    service_id = make_service(COMMUNE_A, "draft")
    make_user("anne@schaerbeek.be", name="Anne")
    make_user("bert@schaerbeek.be", name="Bert")
    anne, bert = app.test_client(), app.test_client()
    for client, email in ((anne, "anne@schaerbeek.be"), (bert, "bert@schaerbeek.be")):
        client.post("/en/account/login", data={"email": email, "password": PASSWORD})
    url = f"/en/manage/services/{service_id}/edit"
    stamps = [re.search(r'name="stamp" type="hidden" value="([^"]*)"', html(c.get(url))).group(1)
              for c in (anne, bert)]
    assert anne.post(url, data=form_data(stamp=stamps[0], action="save",
                                         phone="02 555 11 11")).status_code == 302
    clash = bert.post(url, data=form_data(stamp=stamps[1], action="save",
                                          name_fr="Le nom de Bert", phone="02 555 22 22"))
    assert clash.status_code == 409
    page = html(clash)
    assert re.search(r"Anne saved this service at \d{1,2}:\d\d\.", page)
    assert "Phone</strong>: 02 555 11 11" in page  # the other person's change, in words
    assert "Le nom de Bert" in page and "02 555 22 22" in page  # their input is kept
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert service.phone == "+3225551111" and service.name_fr != "Le nom de Bert"
    # The refused form carries the new stamp: saving again now replaces Anne's version.
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', page).group(1)
    assert bert.post(url, data=form_data(stamp=stamp, action="save",
                                         name_fr="Le nom de Bert")).status_code == 302


# --- Dashboard, verification -------------------------------------------------------------------

def test_still_accurate_shows_the_entry_then_records_the_check(client, auth, app, make_service):
    service_id = make_service(COMMUNE_A, "published")
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.last_verified_at = utcnow() - timedelta(days=400)
        db.session.commit()
    auth.as_editor()
    page = html(client.get(f"/en/manage/services/{service_id}/verify"))
    assert "Médiation Schaerbeek (fr)" in page and "+3222222222" in page.replace(" ", "")
    response = client.post(f"/en/manage/services/{service_id}/verify")
    assert response.headers["Location"] == "/en/manage/"
    assert "Thank you. The entry is marked as checked today." in html(client.get("/en/manage/"))
    with app.app_context():
        service = db.session.get(Service, service_id)
        checked = service.last_verified_at
        if checked.tzinfo is None:
            from datetime import timezone

            checked = checked.replace(tzinfo=timezone.utc)
        assert utcnow() - checked < timedelta(hours=1)
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="service.verified"))
        assert event.entity_id == str(service_id) and event.user_id is not None


def test_only_published_services_can_be_marked_accurate(client, auth, make_service):
    service_id = make_service(COMMUNE_A, "pending")
    auth.as_editor()
    assert client.get(f"/en/manage/services/{service_id}/verify").status_code == 404
    assert client.post(f"/en/manage/services/{service_id}/verify").status_code == 404


@pytest.mark.parametrize("interval, age_days, due", [(6, 170, False), (6, 190, True),
                                                     (3, 100, True), (12, 300, False)])
def test_a_service_is_due_for_verification_after_its_interval(client, auth, app, make_service,
                                                              interval, age_days, due):
    service_id = make_service(COMMUNE_A, "published", update_interval_months=interval)
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.last_verified_at = utcnow() - timedelta(days=age_days)
        db.session.commit()
    auth.as_editor()
    page = html(client.get("/en/manage/"))
    assert ('class="state state-due"' in page) is due
    assert ("Published, due for verification" in page) is due


def test_dashboard_lists_reports_about_own_services_only(client, auth, app, make_service):
    own = make_service(COMMUNE_A, "published")
    other = make_service(COMMUNE_B, "published")
    with app.app_context():
        db.session.add_all([
            ErrorReport(service_id=own, message="Le numéro a changé.", language="fr"),
            ErrorReport(service_id=other, message="Adresse fausse à Liège.", language="fr")])
        db.session.commit()
    auth.as_editor()
    page = html(client.get("/en/manage/"))
    assert "Le numéro a changé." in page
    assert "Adresse fausse à Liège." not in page
    assert "Médiation Schaerbeek (fr)" in page and "Médiation Liège" not in page


# --- Inviting a colleague ----------------------------------------------------------------------

def test_an_editor_invites_a_colleague_to_their_own_communes(client, auth, app, smtp):
    inviter = auth.as_editor(COMMUNE_A)
    response = client.post("/en/manage/invite", data={
        "email": "Collegue@Schaerbeek.be", "name": "Claire", "language": "nl",
        "communes": [COMMUNE_A]})
    assert response.headers["Location"] == "/en/manage/"
    with app.app_context():
        colleague = db.session.scalar(db.select(User).filter_by(email="collegue@schaerbeek.be"))
        assert [c.refnis for c in colleague.communes] == [COMMUNE_A]
        assert colleague.role.value == "editor" and colleague.preferred_language == "nl"
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="user.invited"))
        assert event.user_id == inviter and event.entity_id == str(colleague.id)
    [message] = smtp.to("collegue@schaerbeek.be")
    assert message["Content-Language"] == "nl"
    assert "/nl/account/welcome/" in message.get_content()


@pytest.mark.parametrize("data, field, message", [
    ({"communes": [COMMUNE_B]}, "communes", "&#39;62063&#39; is not a valid choice for this field."),
    ({"communes": []}, "communes", "Please choose at least one commune or organisation."),
    ({"email": "nope"}, "email", "This e-mail address does not look valid."),
])
def test_an_invitation_stays_within_the_inviters_communes(client, auth, app, data, field, message):
    auth.as_editor(COMMUNE_A)
    response = client.post("/en/manage/invite", data={
        "email": "collegue@schaerbeek.be", "language": "fr", "communes": [COMMUNE_A], **data})
    assert response.status_code == 400
    page = html(response)
    assert re.search(rf'<p class="error"( id="{field}-error")?>{re.escape(message)}', page), page
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email="collegue@schaerbeek.be")) is None


def test_inviting_an_address_with_an_account_answers_as_for_any_other(client, auth, app, smtp,
                                                                      make_user):
    """Whether an address has an account never shows: same page, same message; the existing
    account is left as it is and gets no mail."""
    existing = make_user("colleague@liege.be", communes=[COMMUNE_B])
    auth.as_editor(COMMUNE_A)
    answers = []
    for email in ("colleague@liege.be", "new@schaerbeek.be"):
        response = client.post("/en/manage/invite", data={
            "email": email, "language": "fr", "communes": [COMMUNE_A]}, follow_redirects=True)
        page = html(response).replace(email, "ADDRESS")
        answers.append((response.status_code, re.search(r"<p class=\"flash[^>]*>.*?</p>",
                                                         page, re.S).group(0)))
    assert answers[0] == answers[1]
    assert "An invitation is on its way to ADDRESS, unless this person already has access." \
        in answers[0][1]
    assert smtp.to("colleague@liege.be") == [] and len(smtp.to("new@schaerbeek.be")) == 1
    with app.app_context():
        colleague = db.session.get(User, existing)
        assert [c.refnis for c in colleague.communes] == [COMMUNE_B]


# --- Geocoding on save -------------------------------------------------------------------------

def location_of(app):
    with app.app_context():
        location = db.session.scalar(db.select(Location))
        commune = db.session.get(Commune, location.refnis)
        return location, (commune.lat, commune.lon)


def test_the_offline_chain_gives_the_communes_point(client, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "GEOCODERS", "offline")
    auth.as_editor()
    client.post("/en/manage/services/new", data=form_data())
    location, point = location_of(app)
    assert (location.lat, location.lon) == point
    assert (location.geocode_source, location.geocode_precision) == ("commune-centroid", "commune")
    assert location.geocode_pending is False


def test_a_pin_placed_by_hand_wins(client, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "GEOCODERS", "offline")
    auth.as_editor()
    client.post("/en/manage/services/new", data=form_data(position_manual="1", lat="50.8672",
                                                          lon="4.3789"))
    location, _point = location_of(app)
    assert (location.lat, location.lon) == (50.8672, 4.3789)
    assert (location.geocode_source, location.geocode_pending) == ("manual", False)
    service_id = location.service_id
    page = html(client.get(f"/en/manage/services/{service_id}/edit"))
    assert "Position placed by hand." in page
    assert 'name="position_manual" id="position_manual" value="1" checked' in page


def test_a_wrong_website_is_told_once(client, auth):
    auth.as_editor()
    page = html(client.post("/en/manage/services/new", data=form_data(website="www 1030 be")))
    assert page.count('<p class="error" id="website-error">') == 1


@pytest.mark.parametrize("typed, stored", [
    ("www.1030.be/mediation", {"website": "https://www.1030.be/mediation"}),
    ("9h-12h, 13h30 – 17h", {"hours": [["09:00", "12:00"], ["13:30", "17:00"]]}),
    ("9:00 - 12:00", {"hours": [["09:00", "12:00"]]}),
    ("8h30-12h", {"hours": [["08:30", "12:00"]]}),
])
def test_values_as_people_type_them_are_stored_normalised(client, auth, app, typed, stored):
    auth.as_editor()
    field = "website" if "website" in stored else "hours_mon"
    answer = client.post("/en/manage/services/new", data=form_data(action="save", **{field: typed}))
    assert answer.status_code == 302, html(answer)
    with app.app_context():
        service = db.session.scalar(db.select(Service).order_by(Service.id.desc()))
        if "website" in stored:
            assert service.website == stored["website"]
        else:
            assert service.locations[0].opening_hours["mon"] == stored["hours"]


class FakeNominatim:
    """A local HTTP server answering Nominatim's /search with one place, as JSON."""

    def __init__(self, lat="50.867200", lon="4.378900"):
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.queries = []
        answer = json.dumps([{"lat": lat, "lon": lon, "display_name": "Place Colignon 1, Schaerbeek",
                              "place_id": 1, "boundingbox": [lat, lat, lon, lon]}]).encode()
        queries = self.queries

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                queries.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def silent_geocoder(app, monkeypatch):
    """Nominatim on a local port that accepts connections and never answers."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    monkeypatch.setitem(app.config, "GEOCODERS", "nominatim,offline")
    monkeypatch.setitem(app.config, "NOMINATIM_DOMAIN", f"127.0.0.1:{listener.getsockname()[1]}")
    monkeypatch.setitem(app.config, "NOMINATIM_SCHEME", "http")
    monkeypatch.setitem(app.config, "NOMINATIM_TIMEOUT", 0.3)
    yield
    listener.close()


def test_a_geocoder_that_times_out_never_loses_the_save(client, auth, app, runner,
                                                        silent_geocoder, monkeypatch):
    auth.as_editor()
    response = client.post("/en/manage/services/new", data=form_data())
    assert response.status_code == 302
    location, point = location_of(app)
    assert (location.lat, location.lon) == point
    assert (location.geocode_source, location.geocode_pending) == ("commune-centroid", True)
    assert "The address will be looked up again automatically." in html(
        client.get(response.headers["Location"]))

    # Still down: the address keeps waiting.
    assert "0 address(es) placed, 1 still waiting." in runner.invoke(args=["geocode-pending"]).output

    fake = FakeNominatim()
    try:
        monkeypatch.setitem(app.config, "NOMINATIM_DOMAIN", f"127.0.0.1:{fake.port}")
        result = runner.invoke(args=["geocode-pending"])
    finally:
        fake.stop()
    assert "1 address(es) placed, 0 still waiting." in result.output, result.output
    assert fake.queries and "Place+Colignon" in fake.queries[0].replace("%20", "+")
    location, _point = location_of(app)
    assert (location.lat, location.lon) == (50.8672, 4.3789)
    assert (location.geocode_source, location.geocode_precision, location.geocode_pending) == \
        ("nominatim", "address", False)
    assert "location.geocoded" in audit_actions(app)


def test_a_found_address_is_placed_on_save_and_cached(client, auth, app, monkeypatch):
    fake = FakeNominatim(lat="50.860000", lon="4.380000")
    monkeypatch.setitem(app.config, "GEOCODERS", "nominatim,offline")
    monkeypatch.setitem(app.config, "NOMINATIM_DOMAIN", f"127.0.0.1:{fake.port}")
    monkeypatch.setitem(app.config, "NOMINATIM_SCHEME", "http")
    try:
        auth.as_editor()
        client.post("/en/manage/services/new", data=form_data())
    finally:
        fake.stop()
    location, _point = location_of(app)
    assert (location.lat, location.lon, location.geocode_source) == (50.86, 4.38, "nominatim")
    assert location.geocode_pending is False
    with app.app_context():
        from mediation.models import GeocodeCache

        assert db.session.scalar(db.select(db.func.count(GeocodeCache.id))) == 1


def test_a_manual_pin_wins_over_a_geocoder(client, auth, app, silent_geocoder):
    auth.as_editor()
    client.post("/en/manage/services/new", data=form_data(position_manual="1", lat="50.8601",
                                                          lon="4.3702"))
    location, _point = location_of(app)
    assert (location.lat, location.lon, location.geocode_source) == (50.8601, 4.3702, "manual")
    assert location.geocode_pending is False
