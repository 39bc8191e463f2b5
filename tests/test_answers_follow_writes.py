"""The answers kept per directory version (a commune's services, the map's GeoJSON) follow every
kind of write: approval, rejection, archiving, restoring, import, confirmation, an admin's edit.

Each step asks the API before the write (so that the answers are kept), writes, then asks again:
the answer must be the one computed afresh from the database, and show the write."""

import csv
import io
from datetime import datetime, timezone

import pytest
from flask import json, jsonify

from mediation.api import routes
from mediation.api.schemas import geojson_body
from mediation.directory.exchange.exporting import map_points
from mediation.directory.exchange.importing import run_import
from mediation.directory.moderation import decisions, revisions
from mediation.directory.reading.search import Filters
from mediation.extensions import db
from mediation.models import Service, User
from support import COMMUNE_A, PASSWORD

LISTED = f"/api/v1/services?commune={COMMUNE_A}&per_page=100"
MAP = "/api/v1/services.geojson"


def asked(client) -> tuple[dict, dict]:
    """What a visitor gets now: the commune's list, and the map's points by id."""
    listed = client.get(LISTED).get_json()
    features = client.get(MAP).get_json()["features"]
    return listed, {f["properties"]["id"]: f for f in features}


def computed(app) -> tuple[dict, dict]:
    """The same answers, computed from the database without anything kept."""
    with app.test_request_context(LISTED):
        listed = json.loads(jsonify(
            routes.services_answer(Filters(commune=COMMUNE_A), 1, 100, "fr")).get_data())
        features = json.loads(geojson_body(map_points(Filters()), "fr"))["features"]
    return listed, {f["properties"]["id"]: f for f in features}


def fresh(app, client) -> tuple[dict, dict]:
    """Ask, and check that the answers are those of the database as it is."""
    answers = asked(client)
    assert answers == computed(app)
    return answers


def ids(listed: dict) -> list[int]:
    return [hit["id"] for hit in listed["results"]]


def write(app, action, *args):
    """Run a write as a request would: ("user", id) and ("service", id) are loaded in it."""
    models = {"user": User, "service": Service}
    with app.test_request_context():
        return action(*(db.session.get(models[a[0]], a[1]) if isinstance(a, tuple) else a
                        for a in args))


def user(user_id):
    return ("user", user_id)


def service(service_id):
    return ("service", service_id)


def named(app, service_id: int, name: str) -> dict:
    with app.app_context():
        fields = revisions.current_fields(db.session.get(Service, service_id))
    fields["texts"]["name"]["fr"] = name
    return fields


@pytest.fixture
def people(make_user):
    return (make_user("admin@example.be", role="admin"),
            make_user(f"editor-{COMMUNE_A}@example.be", communes=[COMMUNE_A]))


def test_a_communes_answer_and_the_map_follow_every_kind_of_write(app, client, make_service,
                                                                   people):
    admin, editor = people
    published = make_service(COMMUNE_A, "published")
    listed, points = fresh(app, client)
    assert ids(listed) == [published] and set(points) == {published}

    # Approval of a new service.
    pending = make_service(COMMUNE_A, "pending")
    fresh(app, client)
    write(app, decisions.approve, user(admin), service(pending))
    listed, points = fresh(app, client)
    assert pending in ids(listed) and pending in points

    # Rejection of a new service: nothing shows it.
    refused = make_service(COMMUNE_A, "pending")
    before = fresh(app, client)
    write(app, decisions.reject, user(admin), service(refused), None, "Incomplet.")
    assert fresh(app, client) == before

    # A proposed change, rejected then approved: the name shown follows the decision.
    def propose(name):
        with app.test_request_context():
            target = db.session.get(Service, published)
            saved = revisions.save(db.session.get(User, editor), target,
                                   named(app, published, name), submit=True,
                                   opened_stamp=revisions.stamp(target))
            return saved.revision.id

    def decide(action, revision_id, *reason):
        from mediation.models import Revision

        with app.test_request_context():
            revision = db.session.get(Revision, revision_id)
            action(db.session.get(User, admin), revision.service, revision, *reason)

    decide(decisions.reject, propose("Nom refusé"), "Non.")
    listed, points = fresh(app, client)
    assert "Nom refusé" not in {hit["name"] for hit in listed["results"]}
    decide(decisions.approve, propose("Nom approuvé"))
    listed, points = fresh(app, client)
    assert "Nom approuvé" in {hit["name"] for hit in listed["results"]}
    assert points[published]["properties"]["name"] == "Nom approuvé"

    # An admin's direct edit of a published service.
    with app.test_request_context():
        target = db.session.get(Service, published)
        revisions.save(db.session.get(User, admin), target, named(app, published, "Nom direct"),
                       submit=True, opened_stamp=revisions.stamp(target))
    listed, points = fresh(app, client)
    assert points[published]["properties"]["name"] == "Nom direct"

    # Confirmation that an entry is still accurate: its day of verification moves.
    with app.app_context():
        db.session.get(Service, pending).last_verified_at = datetime(2024, 1, 2,
                                                                    tzinfo=timezone.utc)
        db.session.commit()
    listed, _ = fresh(app, client)
    assert {hit["id"]: hit["last_verified_at"] for hit in listed["results"]}[pending] \
        == "2024-01-02"
    write(app, revisions.verify, user(editor), service(pending))
    listed, _ = fresh(app, client)
    assert {hit["id"]: hit["last_verified_at"] for hit in listed["results"]}[pending] \
        != "2024-01-02"

    # Archiving takes it off both; restoring brings it back as a draft, still off.
    write(app, decisions.archive, user(admin), service(pending), "Fermé.")
    listed, points = fresh(app, client)
    assert pending not in ids(listed) and pending not in points
    write(app, decisions.unarchive, user(admin), service(pending))
    listed, points = fresh(app, client)
    assert pending not in ids(listed) and pending not in points

    # An import: new services go in with whole-second stamps, in bulk.
    with app.test_request_context():
        report = run_import(import_file(), "list.csv", None, dry_run=False)
    assert report.written, [r.reasons for r in report.results]
    listed, points = fresh(app, client)
    with app.app_context():
        imported = db.session.scalar(db.select(Service.id).filter_by(external_key="fresh-1"))
    assert imported in ids(listed) and imported in points


def import_file() -> bytes:
    row = {"external_id": "fresh-1", "organization_key": "org-fresh",
           "organization_kind": "commune", "organization_name_fr": "Commune de Schaerbeek",
           "name_fr": "Médiation importée", "name_nl": "Ingevoerde bemiddeling",
           "description_fr": "Aide les élèves.", "description_nl": "Helpt leerlingen.",
           "types": "school", "languages": "fr",
           "phone": "+32 2 240 12 34", "communes": COMMUNE_A, "street": "Place Colignon",
           "number": "1", "postal_code": "1030", "commune": COMMUNE_A,
           "lat": "50.8676", "lon": "4.3735"}
    out = io.StringIO()
    writer = csv.DictWriter(out, list(row))
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue().encode("utf-8")


def test_the_map_is_rebuilt_off_the_request_and_the_previous_one_served_meanwhile(
        app, client, make_service, people, monkeypatch):
    monkeypatch.setitem(app.config, "BACKGROUND_WORK", "thread")
    admin, _ = people
    make_service(COMMUNE_A, "published")
    client.get(MAP)  # a map of another test may be kept: this version's is built meanwhile
    routes._maps.wait()
    first = client.get(MAP)
    assert len(first.get_json()["features"]) == 1
    pending = make_service(COMMUNE_A, "pending")
    write(app, decisions.approve, user(admin), service(pending))

    after = client.get(MAP)
    shown = {f["properties"]["id"] for f in after.get_json()["features"]}
    if pending in shown:  # the thread was done before the request came
        assert after.headers["ETag"] != first.headers["ETag"]
    else:  # the previous body, under its own validators: a client that has it keeps it
        assert after.headers["ETag"] == first.headers["ETag"]
        assert after.headers["Last-Modified"] == first.headers["Last-Modified"]
    routes._maps.wait()
    rebuilt = client.get(MAP)
    assert pending in {f["properties"]["id"] for f in rebuilt.get_json()["features"]}
    assert rebuilt.headers["ETag"] != first.headers["ETag"]
    assert client.get(MAP, headers={"If-None-Match": rebuilt.headers["ETag"]}).status_code == 304
    assert client.get(MAP, headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_a_communes_page_follows_the_services_and_the_communes_contacts(app, client,
                                                                       make_service, people):
    from mediation.models import Commune

    admin, _ = people
    page = f"/fr/communes/{COMMUNE_A}"
    make_service(COMMUNE_A, "published")
    pending = make_service(COMMUNE_A, "pending")
    assert f"/fr/services/{pending}" not in client.get(page).get_data(as_text=True)
    write(app, decisions.approve, user(admin), service(pending))
    assert f"/fr/services/{pending}" in client.get(page).get_data(as_text=True)
    write(app, decisions.archive, user(admin), service(pending), "Fermé.")
    assert f"/fr/services/{pending}" not in client.get(page).get_data(as_text=True)
    with app.app_context():  # an admin gives the commune's contact: no service is written
        db.session.get(Commune, COMMUNE_A).email = "accueil@schaerbeek.example"
        db.session.commit()
    assert "accueil@schaerbeek.example" in client.get(page).get_data(as_text=True)
    # A signed-in visitor gets the page rendered for them, with their own header.
    client.post("/fr/account/login", data={"email": "admin@example.be", "password": PASSWORD})
    mine = client.get(page).get_data(as_text=True)
    assert "/fr/admin/" in mine and "accueil@schaerbeek.example" in mine
    assert "/fr/admin/" not in app.test_client().get(page).get_data(as_text=True)
