"""Proposals kept apart from drafts, rejected work returned, conflicts that name who saved,
reviews in words, four eyes (DESIGN §6)."""

import re

import pytest

from support import COMMUNE_A, PASSWORD
from mediation.extensions import db
from mediation.models import AuditEvent, Revision, RevisionState, Service, ServiceStatus
from test_manage import form_data, html

STAMP = re.compile(r'name="stamp" type="hidden" value="([^"]*)"')
EDITOR, ADMIN = "eloise@schaerbeek.be", "admin@example.be"


def opened(client, service_id):
    page = html(client.get(f"/en/manage/services/{service_id}/edit"))
    return page, STAMP.search(page).group(1)


def save(client, service_id, action="submit", **changes):
    _page, stamp = opened(client, service_id)
    return client.post(f"/en/manage/services/{service_id}/edit",
                       data=form_data(stamp=stamp, action=action, **changes))


def revisions(app, service_id):
    with app.app_context():
        return [(r.state, r.fields["texts"]["name"]["fr"], r.author.email if r.author else None)
                for r in db.session.scalars(db.select(Revision).filter_by(service_id=service_id)
                                            .order_by(Revision.id))]


@pytest.fixture
def published(make_service, make_user, client):
    """A published service of Schaerbeek; Éloïse Dupont, its editor, is signed in."""
    service_id = make_service(COMMUNE_A, "published")
    make_user(EDITOR, name="Éloïse Dupont")
    make_user(ADMIN, role="admin", name="Anne Admin")
    assert client.post("/en/account/login",
                       data={"email": EDITOR, "password": PASSWORD}).status_code == 302
    return service_id


def sign_in(client, email):
    client.post("/en/account/logout")
    assert client.post("/en/account/login",
                       data={"email": email, "password": PASSWORD}).status_code == 302


# --- A submitted proposal is frozen ---------------------------------------------------------

def test_saving_after_submitting_keeps_the_proposal_under_review_as_it_was(app, client,
                                                                           published):
    assert save(client, published, name_fr="Nom soumis").status_code == 302
    page, _stamp = opened(client, published)
    assert "Submitted on " in page and "awaiting review" in page
    assert "The form below shows what was submitted." in page
    assert save(client, published, action="save", name_fr="Nom en cours").status_code == 302
    assert revisions(app, published) == [(RevisionState.pending, "Nom soumis", EDITOR),
                                         (RevisionState.draft, "Nom en cours", EDITOR)]
    page, _stamp = opened(client, published)
    assert "The form below shows your unsubmitted changes." in page and "Nom en cours" in page
    # The admin reviews exactly what was submitted.
    sign_in(client, ADMIN)
    queue = html(client.get("/en/admin/review"))
    [key] = re.findall(r'name="items" value="(R\d+)"', queue)
    review = html(client.get(f"/en/admin/review/{key}"))
    assert "Nom soumis" in review and "Nom en cours" not in review


def test_submitting_again_replaces_the_proposal_in_one_step(app, client, published):
    save(client, published, name_fr="Première version")
    save(client, published, action="save", name_fr="Deuxième version")
    with app.app_context():
        first = db.session.scalar(db.select(Revision).filter_by(state=RevisionState.pending))
        first_id, first_time = first.id, first.submitted_at
    response = save(client, published, name_fr="Deuxième version")
    assert response.status_code == 302
    assert "Your new submission replaces the one awaiting review." in html(
        client.get(response.headers["Location"]))
    states = revisions(app, published)
    assert states == [(RevisionState.withdrawn, "Première version", EDITOR),
                      (RevisionState.pending, "Deuxième version", EDITOR)]
    with app.app_context():
        second = db.session.scalar(db.select(Revision).filter_by(state=RevisionState.pending))
        assert second.submitted_at >= first_time
    sign_in(client, ADMIN)
    queue = html(client.get("/en/admin/review"))
    assert f'value="R{first_id}"' not in queue and f'value="R{second.id}"' in queue
    # The admin who still had the first proposal open is told it was replaced.
    old = html(client.get(f"/en/admin/review/R{first_id}"))
    assert "This proposal was replaced by a newer submission" in old
    client.post("/en/admin/review/decide", data={"items": [f"R{first_id}"], "decision": "approve"})
    assert "Première version" not in client.get(f"/api/v1/services/{published}").get_data(
        as_text=True)


def test_a_new_service_submitted_stays_as_submitted_while_its_author_keeps_working(
        app, client, make_user):
    make_user(EDITOR, name="Éloïse Dupont")
    response = client.post("/en/account/login", data={"email": EDITOR, "password": PASSWORD})
    response = client.post("/en/manage/services/new", data=form_data(name_fr="Nom soumis"))
    service_id = int(re.search(r"/services/(\d+)/", response.headers["Location"]).group(1))
    assert save(client, service_id, action="save", name_fr="Nom en cours").status_code == 302
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert (service.status, service.name_fr) == (ServiceStatus.pending, "Nom soumis")
    assert "Nom en cours" in opened(client, service_id)[0]
    assert save(client, service_id, name_fr="Nom en cours").status_code == 302
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert (service.status, service.name_fr) == (ServiceStatus.pending, "Nom en cours")
        assert db.session.scalar(db.select(db.func.count(Revision.id))) == 0
    assert "service.resubmitted" in [a for (a,) in db_actions(app)]


def db_actions(app):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()


# --- The conflict names the right person -----------------------------------------------------

def test_a_conflict_with_ones_own_other_window_says_so(client, published):
    _page, stamp = opened(client, published)
    url = f"/en/manage/services/{published}/edit"
    assert client.post(url, data=form_data(stamp=stamp, action="save",
                                           name_fr="Onglet 1")).status_code == 302
    clash = client.post(url, data=form_data(stamp=stamp, action="save", name_fr="Onglet 2"))
    assert clash.status_code == 409
    page = html(clash)
    assert re.search(r"You saved this service in another window at \d{1,2}:\d\d\.", page)
    assert "Anne Admin" not in page and "Onglet 2" in page


def test_a_conflict_with_a_colleague_names_them(app, published, make_user):
    other = app.test_client()
    make_user("bert@schaerbeek.be", name="Bert Peeters")
    other.post("/en/account/login", data={"email": "bert@schaerbeek.be", "password": PASSWORD})
    mine = app.test_client()
    mine.post("/en/account/login", data={"email": EDITOR, "password": PASSWORD})
    _page, stamp = opened(mine, published)
    assert save(other, published, action="save", name_fr="Version de Bert").status_code == 302
    clash = mine.post(f"/en/manage/services/{published}/edit",
                      data=form_data(stamp=stamp, action="save", name_fr="Ma version"))
    assert clash.status_code == 409
    page = html(clash)
    assert re.search(r"Bert Peeters saved this service at \d{1,2}:\d\d\.", page)
    assert "Version de Bert" in page and "Ma version" in page


# --- Rejected work comes back ----------------------------------------------------------------

def test_a_rejected_proposal_returns_to_its_authors_form_with_the_reason(app, client, smtp,
                                                                          published):
    save(client, published, name_fr="Nom à corriger")
    key = f"R{revisions_ids(app, published)[-1]}"
    sign_in(client, ADMIN)
    refused = client.post("/en/admin/review/decide",
                          data={"items": [key], "decision": "reject", "reason": " ",
                                "from": "item"})
    assert refused.status_code == 400  # the admin stays on the item
    page = html(refused)
    assert re.search(r'<p class="error" id="reason-error">Please give the reason for the '
                     r'rejection.</p>', page)
    client.post("/en/admin/review/decide", data={"items": [key], "decision": "reject",
                                                 "reason": "Le nom officiel est autre.",
                                                 "from": "item"})
    sign_in(client, EDITOR)
    index = html(client.get("/en/manage/"))
    assert "Returned with a comment" in index
    page, _stamp = opened(client, published)
    assert "Le nom officiel est autre." in page and "Nom à corriger" in page
    assert "The form below shows the proposal that was returned" in page
    [message] = smtp.to(EDITOR)
    link = re.search(r"http://\S+/manage/services/\d+/edit", message.get_content()).group(0)
    assert "Nom à corriger" in html(client.get(link.split("5000", 1)[1]))
    # Corrected and submitted again: the reason is gone, the proposal awaits review.
    save(client, published, name_fr="Nom officiel")
    page, _stamp = opened(client, published)
    assert "Le nom officiel est autre." not in page
    assert "Returned with a comment" not in html(client.get("/en/manage/"))


def revisions_ids(app, service_id):
    with app.app_context():
        return list(db.session.scalars(db.select(Revision.id).filter_by(service_id=service_id)
                                       .order_by(Revision.id)))


def test_a_rejected_new_service_returns_as_a_draft_with_the_reason(app, client, make_user):
    make_user(EDITOR)
    make_user(ADMIN, role="admin")
    sign_in(client, EDITOR)
    response = client.post("/en/manage/services/new", data=form_data(name_fr="Nouveau service"))
    service_id = int(re.search(r"/services/(\d+)/", response.headers["Location"]).group(1))
    sign_in(client, ADMIN)
    client.post("/en/admin/review/decide", data={"items": [f"S{service_id}"],
                                                 "decision": "reject",
                                                 "reason": "Le téléphone ne répond pas."})
    sign_in(client, EDITOR)
    assert "Returned with a comment" in html(client.get("/en/manage/"))
    page, _stamp = opened(client, service_id)
    assert "Le téléphone ne répond pas." in page and "Nouveau service" in page
    save(client, service_id)
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert (service.status, service.returned_reason) == (ServiceStatus.pending, "")


# --- A review in words -----------------------------------------------------------------------

def test_the_review_shows_values_in_words_never_python(app, client, published):
    save(client, published, name_fr="Nouveau nom", hours_mon="9:00-12:00, 13:30-17:00",
         hours_thu="8:30-12:00", update_interval_months="3", free_of_charge=None,
         phone="02 555 44 44", lat="50.8700", lon="4.3800", position_manual="1",
         wheelchair_access="yes", by_appointment="y")
    sign_in(client, ADMIN)
    key = f"R{revisions_ids(app, published)[-1]}"
    page = html(client.get(f"/en/admin/review/{key}"))
    for raw in ("True", "False", "None", "{'", "[["):
        assert raw not in page.split("<main", 1)[1], raw
    assert "every 3 months" in page and "every 6 months" in page
    assert "02 555 44 44" in page
    assert re.search(r"Mon(day)? 09:00–12:00, 13:30–17:00|Mon 9:00–12:00, 13:30–17:00", page)
    assert "Commune de Schaerbeek" not in page or "Organisation" in page
    assert re.search(r"Moved [\d.,]+ (k?m) (north|south|east|west)", page)
    assert 'class="map pin-move-map"' in page
    assert "Preview the public page" in page
    preview = client.get(f"/en/admin/review/{key}/preview")
    assert preview.status_code == 200 and "Nouveau nom" in html(preview)
    assert preview.headers["X-Robots-Tag"] == "noindex"
    # The preview wrote nothing.
    assert "Nouveau nom" not in client.get(f"/api/v1/services/{published}").get_data(as_text=True)


def test_the_organisation_and_the_address_commune_are_named(app, client, published):
    save(client, published, organization=f"cpas:{COMMUNE_A}", location_commune="Evere",
         postal_code="1140")
    sign_in(client, ADMIN)
    page = html(client.get(f"/en/admin/review/R{revisions_ids(app, published)[-1]}"))
    assert "CPAS" in page and "1140 Evere" in page
    assert not re.search(r"<td>\d+</td>", page)  # no id, no REFNIS code


# --- Four eyes ---------------------------------------------------------------------------------

def test_nobody_approves_their_own_change_unless_the_setting_allows_it(app, client, published,
                                                                        monkeypatch):
    sign_in(client, ADMIN)
    response = save(client, published, action="save", name_fr="Brouillon de l'admin")
    assert response.status_code == 302
    save(client, published, name_fr="Proposé par l'admin")
    # An admin's submission of a published service is applied at once: propose through a
    # restore instead, which goes through review.
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent.id).filter_by(action="service.edited"))
    client.post(f"/en/admin/services/{published}/restore/{event}")
    key = f"R{revisions_ids(app, published)[-1]}"
    client.post("/en/admin/review/decide", data={"items": [key], "decision": "approve"})
    assert "your own change" in html(client.get("/en/admin/review"))
    with app.app_context():
        assert db.session.scalar(db.select(Revision.state).where(
            Revision.id == int(key[1:]))) is RevisionState.pending
    monkeypatch.setitem(app.config, "ALLOW_SELF_APPROVAL", True)
    client.post("/en/admin/review/decide", data={"items": [key], "decision": "approve"})
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="revision.approved"))
        assert event.after["self_approved"] is True


# --- Buttons that add communes --------------------------------------------------------------

def test_adding_communes_shows_no_error_about_other_fields_and_a_group_can_be_taken_back(
        client, published):
    url = f"/en/manage/services/{published}/edit"
    _page, stamp = opened(client, published)
    data = form_data(stamp=stamp, action="add_group", add_group="arrondissement:21",
                     phone="not a phone", email="nope")
    page = html(client.post(url, data=data))
    assert "This phone number is not valid" not in page
    added = re.search(r'name="group_added" value="([^"]*)"', page).group(1).split()
    assert len(added) == 18 and "21004" in added and COMMUNE_A not in added
    assert "18 communes added." in page
    assert "are not among your communes: the directory's team will check" in page
    data.update(action="undo_group", group_added=" ".join(added),
                communes=[COMMUNE_A, *added])
    page = html(client.post(url, data=data))
    assert re.findall(r'name="communes" value="(\d+)"', page) == [COMMUNE_A]
