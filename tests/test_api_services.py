"""/api/v1/services, its detail, GeoJSON, CSV and OpenAPI: the contract of DESIGN §5."""

import csv
import gzip
import io
import json
import re
from datetime import datetime, timezone

import pytest
from flask import request
from werkzeug.datastructures import ImmutableMultiDict

from mediation.directory.demo import DEMO_FILE
from mediation.extensions import db
from mediation.models import (
    Location,
    Organization,
    OrganizationKind,
    Service,
    ServiceArea,
    ServiceStatus,
    ServiceType,
)

DEMO = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
LANGS = ("fr", "nl", "de", "en")
SUMMARY_KEYS = {"id", "name", "names", "types", "organization", "address", "lat", "lon",
                "communes", "covers_commune", "distance_km", "url", "last_verified_at", "is_demo"}
CSV_HEADER = [
    "id", "name_fr", "name_nl", "name_de", "name_en", "types",
    "organization_name_fr", "organization_name_nl", "organization_kind",
    "street", "number", "box", "postal_code", "refnis", "commune_name_fr", "commune_name_nl",
    "lat", "lon", "phone", "email", "website", "languages", "communes",
    "free_of_charge", "handles_sac_minors", "last_verified_at", "is_demo", "url",
    "source_url", "source_date", "confirmed_at",
]
CONTACT = {"contact_name": "Jeanne Confidentielle", "contact_email": "jeanne.private@example.org",
           "contact_phone": "+32470999888"}


def make_service(name="Médiation de test", status=ServiceStatus.published, refnis="21015",
                 postal_code="1030", lat=50.8676, lon=4.3735, types=("neighbourhood",),
                 covers=None, **fields):
    """Create one service with its organisation, main office and coverage; return its id."""
    organization = Organization(kind=OrganizationKind.commune, name_fr="Commune de test",
                                name_nl="Testgemeente")
    service = Service(organization=organization, name_fr=name, status=status,
                      languages=["fr", "nl"],
                      last_verified_at=datetime(2025, 3, 4, tzinfo=timezone.utc), **fields)
    service.types = [db.session.get(ServiceType, code) for code in types]
    service.locations = [Location(street="Rue de l'Essai", number="7", box="2",
                                  postal_code=postal_code, refnis=refnis, lat=lat, lon=lon,
                                  opening_hours={"tue": [["09:00", "12:00"]]})]
    service.areas = [ServiceArea(refnis=code) for code in (covers or [refnis])]
    db.session.add(service)
    db.session.commit()
    return service.id


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()


def all_results(client, query=""):
    body = get_json(client, f"/api/v1/services?per_page=100&{query}")
    assert len(body["results"]) == body["total"] <= 100
    return body["results"]


def demo_record(key):
    return next(record for record in DEMO if record["key"] == key)


# --- GET /api/v1/services ------------------------------------------------------------------

def test_services_answer_the_documented_summary(client, demo):
    body = get_json(client, "/api/v1/services")
    assert (body["total"], body["page"], body["per_page"]) == (len(DEMO), 1, 20)
    assert len(body["results"]) == 20
    ids = [result["id"] for result in body["results"]]
    assert ids == sorted(ids)  # without a commune or a position: by id
    gent = next(r for r in body["results"] if r["id"] == demo["demo-gent-buurtbemiddeling"])
    assert set(gent) == SUMMARY_KEYS
    record = demo_record("demo-gent-buurtbemiddeling")
    assert gent["name"] == record["name"]["fr"]
    assert gent["names"] == record["name"]
    assert gent["types"] == ["neighbourhood", "community"]
    assert gent["organization"] == "Ville de Gand"
    assert gent["address"] == "Stadhuisplein 1, 9000 Gand"
    assert (gent["lat"], gent["lon"]) == pytest.approx((51.05, 3.717), abs=0.01)
    assert gent["communes"] == ["44021"]
    assert gent["covers_commune"] is None and gent["distance_km"] is None
    assert gent["url"] == f"/fr/services/{gent['id']}"
    assert gent["last_verified_at"] == record["last_verified_at"][:10]
    assert gent["is_demo"] is True


@pytest.mark.parametrize("refnis", ["21015", "44021"])
def test_services_covering_the_commune_come_first_then_the_nearest(client, demo, refnis):
    results = all_results(client, f"commune={refnis}")
    covering = {demo[r["key"]] for r in DEMO if refnis in r["communes"]}
    assert len(covering) >= 2
    assert len(results) == len(DEMO)
    head, tail = results[:len(covering)], results[len(covering):]
    assert {r["id"] for r in head} == covering
    assert all(r["covers_commune"] is True and refnis in r["communes"] for r in head)
    assert all(r["covers_commune"] is False and refnis not in r["communes"] for r in tail)
    distances = [r["distance_km"] for r in tail]
    assert distances == sorted(distances)
    assert all(d == round(d, 1) for d in distances)


def test_commune_and_near_measure_from_the_position(client, demo):
    results = all_results(client, "commune=21015&near=51.05,3.7167")  # in Gent
    assert [r["covers_commune"] for r in results[:4]] == [True] * 4
    assert all(45 < r["distance_km"] < 55 for r in results[:4])  # Schaerbeek from Gent
    assert results[4]["distance_km"] < 1  # then the services in Gent itself


def test_near_alone_ranks_the_services_of_the_commune_it_lies_in_first(client, demo):
    body = get_json(client, "/api/v1/services?near=50.6326,5.5797&per_page=100")  # Liège
    assert body["commune"] == {"refnis": "62063", "name": "Liège", "approximate": False}
    results = body["results"]
    covering = {demo[r["key"]] for r in DEMO if "62063" in r["communes"]}
    head, tail = results[:len(covering)], results[len(covering):]
    assert {r["id"] for r in head} == covering
    assert all(r["covers_commune"] is True for r in head)
    assert all(r["covers_commune"] is False for r in tail)
    distances = [r["distance_km"] for r in tail]
    assert None not in distances and distances == sorted(distances)
    assert "Liège" in results[0]["address"]


def test_near_names_saint_josse_and_puts_its_service_first(client, demo):
    body = get_json(client, "/api/v1/services?near=50.8535,4.3745")
    assert body["commune"]["refnis"] == "21014"
    assert body["commune"]["name"] == "Saint-Josse-ten-Noode"
    first = body["results"][0]
    assert first["covers_commune"] is True and "21014" in first["communes"]
    assert get_json(client, "/api/v1/services?near=50.8535,4.3745&lang=nl")["commune"][
        "name"] == "Sint-Joost-ten-Node"


def test_a_commune_asked_for_wins_over_the_position(client, demo):
    body = get_json(client, "/api/v1/services?commune=21015&near=51.05,3.7167")
    assert body["commune"] == {"refnis": "21015", "name": "Schaerbeek", "approximate": False}


@pytest.mark.parametrize("code", ServiceType.CODES)
def test_type_filter_returns_only_that_type(client, demo, code):
    results = all_results(client, f"type={code}")
    expected = {demo[r["key"]] for r in DEMO if code in r["types"]}
    assert expected and {r["id"] for r in results} == expected
    assert all(code in r["types"] for r in results)


@pytest.mark.parametrize("language", ["de", "DE", "ar"])
def test_language_filter_keeps_services_speaking_it(client, demo, language):
    results = all_results(client, f"language={language}")
    expected = {demo[r["key"]] for r in DEMO if language.lower() in r["languages"]}
    assert expected and {r["id"] for r in results} == expected


def test_language_without_services_finds_nothing(client, demo):
    assert get_json(client, "/api/v1/services?language=ja") == {
        "results": [], "total": 0, "page": 1, "per_page": 20, "commune": None}


def test_q_filter_matches_service_and_organisation_names(client, demo):
    results = all_results(client, "q=schaerbeek")
    expected = {
        demo[r["key"]] for r in DEMO
        if any("schaerbeek" in text.lower()
               for text in [*r["name"].values(), *r["organization"]["name"].values()])
    }
    assert len(expected) >= 3 and {r["id"] for r in results} == expected
    assert get_json(client, "/api/v1/services?q=zzzqqq")["total"] == 0


def test_q_wildcards_are_characters_not_patterns(client, demo):
    for wildcard in ("%", "%%", "a%b", "50%"):
        body = get_json(client, f"/api/v1/services?q={wildcard.replace('%', '%25')}")
        assert (body["total"], body["results"]) == (0, []), wildcard


def test_filters_combine(client, demo):
    results = all_results(client, "type=sac&language=de&commune=63023")
    expected = {demo[r["key"]] for r in DEMO if "sac" in r["types"] and "de" in r["languages"]}
    assert {r["id"] for r in results} == expected


@pytest.mark.parametrize("lang, organization, address_end", [
    ("fr", "Ville de Gand", "9000 Gand"), ("nl", "Stad Gent", "9000 Gent"),
    ("de", "Stadt Gent", "9000 Gent"), ("en", "City of Ghent", "9000 Ghent"),
])
def test_lang_chooses_names_and_addresses(client, demo, lang, organization, address_end):
    results = all_results(client, f"lang={lang}&commune=44021")
    gent = next(r for r in results if r["id"] == demo["demo-gent-buurtbemiddeling"])
    assert gent["name"] == demo_record("demo-gent-buurtbemiddeling")["name"][lang]
    assert gent["organization"] == organization
    assert gent["address"].endswith(address_end)
    assert gent["url"] == f"/{lang}/services/{gent['id']}"


@pytest.mark.parametrize("lang, key, expected", [
    ("fr", "demo-ieper-buurtbemiddeling", "Buurtbemiddeling Ieper"),  # fr → nl
    ("nl", "demo-sambreville-pcs-mediation-conflits",
     "Médiation de conflits du Plan de cohésion sociale de Sambreville"),  # nl → fr
    ("en", "demo-raeren-schulmediation", "Schulmediation Raeren"),  # en → fr → nl → de
])
def test_missing_names_fall_back_to_another_language(client, demo, lang, key, expected):
    results = all_results(client, f"lang={lang}")  # the 67 fit on one page of 100
    found = next(r for r in results if r["id"] == demo[key])
    assert found["name"] == expected
    assert found["names"][lang] == ""


def test_pages_split_the_results_and_keep_the_total(client, demo):
    first = get_json(client, "/api/v1/services?per_page=10")
    second = get_json(client, "/api/v1/services?per_page=10&page=2")
    last = get_json(client, "/api/v1/services?per_page=10&page=7")
    beyond = get_json(client, "/api/v1/services?per_page=10&page=8")
    assert first["total"] == second["total"] == last["total"] == beyond["total"] == len(DEMO)
    assert (second["page"], second["per_page"]) == (2, 10)
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    assert len(last["results"]) == len(DEMO) - 60 and beyond["results"] == []


def test_pages_follow_the_commune_order(client, demo):
    whole = [r["id"] for r in all_results(client, "commune=21015")]
    paged = [r["id"] for page in (1, 2, 3, 4)
             for r in get_json(client, f"/api/v1/services?commune=21015&per_page=20&page={page}")[
                 "results"]]
    assert paged == whole


def test_empty_parameters_are_ignored(client, demo):
    body = get_json(client, "/api/v1/services?commune=&near=&type=&language=&q=")
    assert body["total"] == len(DEMO)


def test_unpublished_services_are_never_listed(app, client):
    with app.app_context():
        published = make_service("Publiée")
        hidden = {make_service(f"Cachée {s.value}", status=s) for s in
                  (ServiceStatus.draft, ServiceStatus.pending, ServiceStatus.archived)}
    results = all_results(client, "commune=21015")
    assert [r["id"] for r in results] == [published]
    features = get_json(client, "/api/v1/services.geojson")["features"]
    assert [f["properties"]["id"] for f in features] == [published]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/services.csv").get_data(True))))
    assert [int(row["id"]) for row in rows] == [published]
    for service_id in hidden:
        assert client.get(f"/api/v1/services/{service_id}").status_code == 404


def test_verification_day_is_the_day_in_belgium_everywhere(app, client):
    """Stored in UTC; 23:30 UTC on 10 March is already 11 March in Brussels."""
    with app.app_context():
        service_id = make_service()
        db.session.get(Service, service_id).last_verified_at = datetime(
            2026, 3, 10, 23, 30, tzinfo=timezone.utc)
        db.session.commit()
    assert all_results(client, "commune=21015")[0]["last_verified_at"] == "2026-03-11"
    assert get_json(client, f"/api/v1/services/{service_id}")["last_verified_at"] == "2026-03-11"
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/services.csv").get_data(True))))
    assert rows[0]["last_verified_at"] == "2026-03-11"
    page = client.get(f"/en/services/{service_id}").get_data(as_text=True)
    assert "11 March 2026" in page and "10 March 2026" not in page


def test_address_shows_the_box_the_belgian_way(app, client):
    with app.app_context():
        make_service()
    assert all_results(client, "lang=fr")[0]["address"] == "Rue de l'Essai 7 bte 2, 1030 Schaerbeek"
    assert all_results(client, "lang=nl")[0]["address"] == "Rue de l'Essai 7 bus 2, 1030 Schaarbeek"


# --- Parameters the API refuses --------------------------------------------------------------

FILTER_ERRORS = [
    ("commune=2101", "invalid_commune"),
    ("commune=210150", "invalid_commune"),
    ("commune=99999", "invalid_commune"),
    ("commune=abcde", "invalid_commune"),
    ("commune=%EF%BC%92%EF%BC%91%EF%BC%90%EF%BC%91%EF%BC%95", "invalid_commune"),  # full-width
    ("near=50.85", "invalid_near"),
    ("near=50.85,4.35,3", "invalid_near"),
    ("near=abc,def", "invalid_near"),
    ("near=nan,nan", "invalid_near"),
    ("near=inf,4.35", "invalid_near"),
    ("near=5e1,4.35", "invalid_near"),
    ("near=91,4.35", "invalid_near"),
    ("near=48.85,2.35", "invalid_near"),  # Paris
    ("near=50.85,-4.35", "invalid_near"),
    ("near=4.35,50.85", "invalid_near"),  # longitude first
    ("type=mediation", "invalid_type"),
    ("type=SAC", "invalid_type"),
    ("language=nld", "invalid_language"),
    ("language=x", "invalid_language"),
    ("language=xx", "invalid_language"),
    ("language=1a", "invalid_language"),
    ("q=" + "a" * 101, "invalid_q"),
    ("q=%00%01abc", "invalid_q"),
    ("q=%ff%fe%fd", "invalid_q"),
    ("lang=es", "invalid_lang"),
    ("lang=FR", "invalid_lang"),
]
PAGE_ERRORS = [
    ("page=0", "invalid_page"),
    ("page=-1", "invalid_page"),
    ("page=two", "invalid_page"),
    ("page=1.5", "invalid_page"),
    ("page=99999999999999999999999", "invalid_page"),
    ("per_page=0", "invalid_per_page"),
    ("per_page=101", "invalid_per_page"),
    ("per_page=ten", "invalid_per_page"),
]


def assert_400(response, code):
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"].strip()


@pytest.mark.parametrize("query, code", FILTER_ERRORS + PAGE_ERRORS)
def test_services_refuse_bad_parameters(client, query, code):
    assert_400(client.get(f"/api/v1/services?{query}"), code)


@pytest.mark.parametrize("path", ["services.geojson", "services.csv"])
@pytest.mark.parametrize("query, code", FILTER_ERRORS)
def test_map_and_export_refuse_the_same_bad_filters(client, path, query, code):
    assert_400(client.get(f"/api/v1/{path}?{query}"), code)


def test_limits_themselves_are_accepted(client):
    for query in ("per_page=1", "per_page=100", "page=10000", "q=" + "a" * 100,
                  "near=49,2", "near=52,7", "language=lb", "commune=21015"):
        assert client.get(f"/api/v1/services?{query}").status_code == 200, query


def test_error_message_names_the_parameter(client):
    message = client.get("/api/v1/services?type=nope").get_json()["error"]["message"]
    assert "type" in message and "neighbourhood" in message


# --- GET /api/v1/services/<id> ---------------------------------------------------------------

DETAIL_KEYS = {"id", "lang", "name", "description", "texts", "types", "handles_sac_minors",
               "free_of_charge", "languages", "email", "phone", "website", "organization",
               "locations", "communes", "last_verified_at", "is_demo", "url"}
TEXT_FIELDS = ("name", "description", "cost_note", "target_public", "how_to_request",
               "conditions")


def test_detail_gives_the_whole_record_in_every_language(client, demo):
    service_id = demo["demo-gent-gas-bemiddeling"]
    record = demo_record("demo-gent-gas-bemiddeling")
    detail = get_json(client, f"/api/v1/services/{service_id}?lang=nl")
    assert set(detail) == DETAIL_KEYS
    assert (detail["id"], detail["lang"]) == (service_id, "nl")
    assert detail["name"] == {"text": record["name"]["nl"], "lang": "nl"}
    assert detail["description"] == {"text": record["description"]["nl"], "lang": "nl"}
    assert set(detail["texts"]) == set(TEXT_FIELDS)
    for field in TEXT_FIELDS:
        assert detail["texts"][field] == {lang: record[field].get(lang, "") for lang in LANGS}
    assert detail["types"] == ["sac"]
    assert detail["handles_sac_minors"] is True and detail["free_of_charge"] is True
    assert detail["languages"] == record["languages"]
    assert (detail["email"], detail["phone"], detail["website"]) == (
        record["email"], record["phone"], record["website"])
    assert detail["organization"] == {"kind": "commune", "name": "Stad Gent",
                                      "names": record["organization"]["name"]}
    assert [c["refnis"] for c in detail["communes"]] == sorted(record["communes"])
    merelbeke = next(c for c in detail["communes"] if c["refnis"] == "44088")
    assert merelbeke["name"] == "Merelbeke-Melle" and set(merelbeke["note"]) == set(LANGS)
    (location,) = detail["locations"]
    place = record["location"]
    assert location["street"] == place["street"] and location["postal_code"] == place["postal_code"]
    assert (location["refnis"], location["commune"]) == ("44021", "Gent")
    assert location["address"] == f"{place['street']} {place['number']}, 9000 Gent"
    assert location["geocode_precision"] == "commune"
    assert location["wheelchair_access"] == place["wheelchair_access"]
    assert location["by_appointment"] == place["by_appointment"]
    assert list(location["opening_hours"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for day, spans in place["opening_hours"].items():
        assert location["opening_hours"][day] == spans
    assert location["note"] == {lang: place["note"].get(lang, "") for lang in LANGS}
    assert detail["last_verified_at"] == record["last_verified_at"][:10]
    assert detail["is_demo"] is True
    assert detail["url"] == f"/nl/services/{service_id}"


@pytest.mark.parametrize("lang, shown", [("fr", "de"), ("nl", "de"), ("de", "de"), ("en", "de")])
def test_detail_says_which_language_a_text_is_in(client, demo, lang, shown):
    detail = get_json(client, f"/api/v1/services/{demo['demo-raeren-schulmediation']}?lang={lang}")
    assert detail["name"] == {"text": "Schulmediation Raeren", "lang": shown}


def test_detail_refuses_a_bad_lang(client, demo):
    assert_400(client.get(f"/api/v1/services/{demo['demo-gent-buurtbemiddeling']}?lang=it"),
               "invalid_lang")


@pytest.mark.parametrize("status", [ServiceStatus.pending, ServiceStatus.draft,
                                    ServiceStatus.archived])
def test_detail_of_an_unpublished_service_is_a_json_404(app, client, status):
    with app.app_context():
        service_id = make_service(status=status)
    response = client.get(f"/api/v1/services/{service_id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "service_not_found"
    assert response.get_json()["error"]["message"]


@pytest.mark.parametrize("path, code", [
    ("/api/v1/services/999999", "service_not_found"),
    ("/api/v1/services/99999999999999999999", "service_not_found"),  # beyond any integer column
    ("/api/v1/services/0", "service_not_found"),
    ("/api/v1/services/abc", "not_found"),
    ("/api/v1/services/-3", "not_found"),
])
def test_detail_of_an_unknown_service_is_a_json_404(client, path, code):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == code


# --- Personal data ---------------------------------------------------------------------------

def test_contact_person_never_leaves_through_the_api(app, client):
    with app.app_context():
        service_id = make_service(email="mediation@example.org", **CONTACT)
    bodies = [client.get(url).get_data(as_text=True) for url in (
        "/api/v1/services", f"/api/v1/services/{service_id}", "/api/v1/services.geojson",
        "/api/v1/services.csv", "/api/v1/services?commune=21015")]
    assert "mediation@example.org" in bodies[1]  # the service's own address is public
    for body in bodies:
        for value in CONTACT.values():
            assert value not in body
        assert "contact" not in body.lower()


# --- GET /api/v1/services.geojson -----------------------------------------------------------

@pytest.mark.parametrize("query", ["", "type=sac", "language=de", "q=gent", "commune=21015",
                                   "near=50.85,4.35&type=school", "type=other&language=fr"])
def test_map_has_one_feature_per_listed_service(client, demo, query):
    total = get_json(client, f"/api/v1/services?{query}")["total"]
    features = get_json(client, f"/api/v1/services.geojson?{query}")["features"]
    assert len(features) == total
    listed = {r["id"] for r in all_results(client, query)}
    assert {f["properties"]["id"] for f in features} == listed


def test_map_is_a_compact_feature_collection(client, demo):
    response = client.get("/api/v1/services.geojson?lang=nl")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    collection = json.loads(response.data)
    assert set(collection) == {"type", "features"} and collection["type"] == "FeatureCollection"
    ids = [f["properties"]["id"] for f in collection["features"]]
    assert ids == sorted(ids)
    feature = next(f for f in collection["features"]
                   if f["properties"]["id"] == demo["demo-gent-buurtbemiddeling"])
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    assert feature["properties"] == {
        "id": demo["demo-gent-buurtbemiddeling"], "name": "Buurtbemiddeling Gent",
        "types": ["neighbourhood", "community"], "is_demo": True,
        "url": f"http://localhost/nl/services/{demo['demo-gent-buurtbemiddeling']}",
    }
    lon, lat = feature["geometry"]["coordinates"]
    assert 51 < lat < 51.1 and 3.6 < lon < 3.8
    for f in collection["features"]:
        assert all(value == round(value, 5) for value in f["geometry"]["coordinates"])


def test_map_rounds_coordinates_and_leaves_out_services_without_them(app, client):
    with app.app_context():
        placed = make_service("Placée", lat=50.8676543219, lon=4.3735678901)
        make_service("Sans position", lat=None, lon=None)
    features = get_json(client, "/api/v1/services.geojson")["features"]
    assert [f["properties"]["id"] for f in features] == [placed]
    assert features[0]["geometry"]["coordinates"] == [4.37357, 50.86765]
    assert get_json(client, "/api/v1/services")["total"] == 2  # the list still shows both


def test_map_answers_304_while_unchanged(app, client, demo):
    first = client.get("/api/v1/services.geojson")
    etag = first.headers["ETag"]
    assert etag
    again = client.get("/api/v1/services.geojson", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other = client.get("/api/v1/services.geojson?type=sac", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    with app.app_context():
        make_service("Nouveau service")
    changed = client.get("/api/v1/services.geojson", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_map_is_gzipped_for_clients_that_accept_it(client, demo):
    plain = client.get("/api/v1/services.geojson")
    zipped = client.get("/api/v1/services.geojson", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/api/v1/services.geojson",
                       headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304
    refused = client.get("/api/v1/services.geojson", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.data == plain.data


# --- GET /api/v1/services.csv ---------------------------------------------------------------

def read_csv(response):
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_csv_export_is_a_downloadable_file_of_every_published_service(client, demo):
    response = client.get("/api/v1/services.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mediation-services.csv"')
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    header, *rows = read_csv(response)
    assert header == CSV_HEADER
    assert all(len(row) == len(header) for row in rows)
    assert sorted(int(row[0]) for row in rows) == sorted(demo.values())
    by_id = {int(row[0]): dict(zip(header, row)) for row in rows}
    gas = by_id[demo["demo-gent-gas-bemiddeling"]]
    record = demo_record("demo-gent-gas-bemiddeling")
    assert [gas[f"name_{lang}"] for lang in LANGS] == [record["name"][lang] for lang in LANGS]
    assert gas["types"] == "sac"
    assert (gas["organization_name_fr"], gas["organization_name_nl"], gas["organization_kind"]) \
        == ("Ville de Gand", "Stad Gent", "commune")
    assert (gas["street"], gas["number"], gas["box"], gas["postal_code"], gas["refnis"]) == (
        record["location"]["street"], record["location"]["number"], "", "9000", "44021")
    assert (gas["commune_name_fr"], gas["commune_name_nl"]) == ("Gand", "Gent")
    assert float(gas["lat"]) == pytest.approx(51.05, abs=0.01)
    assert 3.6 < float(gas["lon"]) < 3.8
    assert gas["phone"] == record["phone"]  # "+32…": a plain number keeps its plus sign
    assert (gas["email"], gas["website"]) == (record["email"], record["website"])
    assert gas["languages"] == "|".join(record["languages"])
    assert gas["communes"].split("|") == sorted(record["communes"])
    assert (gas["free_of_charge"], gas["handles_sac_minors"], gas["is_demo"]) == (
        "true", "true", "true")
    assert gas["last_verified_at"] == record["last_verified_at"][:10]
    assert re.fullmatch(rf"https?://[^/]+/fr/services/{gas['id']}", gas["url"])


@pytest.mark.parametrize("query", ["type=sac", "language=de&lang=nl", "q=bemiddeling"])
def test_csv_applies_the_same_filters(client, demo, query):
    total = get_json(client, f"/api/v1/services?{query}")["total"]
    header, *rows = read_csv(client.get(f"/api/v1/services.csv?{query}"))
    assert len(rows) == total


def test_csv_never_holds_the_contact_person(app, client):
    with app.app_context():
        make_service(**CONTACT)
    header, row = read_csv(client.get("/api/v1/services.csv"))
    assert not [column for column in header if "contact" in column]
    assert not set(CONTACT.values()) & set(row)


def test_csv_cells_cannot_run_as_spreadsheet_formulas(app, client):
    with app.app_context():
        make_service('=HYPERLINK("http://evil.example","click")', name_nl="+SUM(A1:A9)",
                     name_de="@cmd", name_en="-2+3", website="=1+1", phone="+3225551234")
    header, row = read_csv(client.get("/api/v1/services.csv"))
    cells = dict(zip(header, row))
    assert cells["name_fr"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (cells["name_nl"], cells["name_de"], cells["name_en"]) == (
        "'+SUM(A1:A9)", "'@cmd", "'-2+3")
    assert cells["website"] == "'=1+1"
    assert cells["phone"] == "+3225551234"


# --- GET /api/v1/openapi.json ---------------------------------------------------------------

def openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that remember which names the code read."""

    read: set

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


# One valid value for each parameter the API documents, to see that the code reads them all.
VALID = {"commune": "21015", "near": "50.85,4.35", "type": "sac", "language": "fr",
         "q": "Gent", "lang": "nl", "page": "1", "per_page": "5", "limit": "3",
         "modified_after": "2000-01-01"}
# One refused value for each, and the error code it must give.
INVALID = {"commune": "00000", "near": "0,0", "type": "x", "language": "123",
           "q": "a" * 101, "lang": "xx", "page": "0", "per_page": "1000", "limit": "0",
           "modified_after": "2026-02-30"}


def documented_query_parameters(document, path) -> set[str]:
    parameters = document["paths"][path]["get"]["parameters"]
    resolved = [resolve(document, p) if "$ref" in p else p for p in parameters]
    return {p["name"] for p in resolved if p["in"] == "query"}


def resolve(document, node):
    for part in node["$ref"].removeprefix("#/").split("/"):
        document = document[part]
    return document


def test_openapi_is_valid_json_of_version_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = json.loads(response.data)
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert {"Error", "ServiceSummary", "ServiceDetail", "Commune", "FeatureCollection"} <= set(
        document["components"]["schemas"])

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document):
        assert resolve(document, {"$ref": ref}) is not None, ref


def test_openapi_passes_a_validator(client):
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(client.get("/api/v1/openapi.json").get_json())


def test_openapi_describes_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    rules = api_rules(app)
    assert {openapi_path(rule) for rule in rules} == set(document["paths"])
    for rule in rules:
        operations = document["paths"][openapi_path(rule)]
        assert set(operations) == {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
        documented = {p["name"] for p in operations["get"]["parameters"] if p.get("in") == "path"}
        assert documented == set(rule.arguments)
        assert "400" in operations["get"]["responses"] or not documented_query_parameters(
            document, openapi_path(rule))


def test_openapi_parameters_are_exactly_those_the_code_reads(app, client, demo):
    document = client.get("/api/v1/openapi.json").get_json()
    for rule in api_rules(app):
        path = openapi_path(rule)
        documented = documented_query_parameters(document, path)
        url = rule.rule.replace("<int:service_id>", str(demo["demo-gent-buurtbemiddeling"]))
        with app.test_request_context(url, query_string={k: VALID[k] for k in documented}):
            args = RecordingArgs(request.args)
            args.read = set()
            request.args = args
            response = app.full_dispatch_request()
            assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert args.read == documented, path
        for name in documented:  # and each is checked as documented
            query = {k: VALID[k] for k in documented} | {name: INVALID[name]}
            response = client.get(url, query_string=query)
            assert response.status_code == 400, (path, name)
            assert response.get_json()["error"]["code"] == f"invalid_{name}", (path, name)


@pytest.mark.parametrize("url, schema", [
    ("/api/v1/communes?q=Luik&lang=de", "CommuneList"),
    ("/api/v1/services?commune=21015&lang=nl&per_page=100", "ServiceList"),
    ("/api/v1/services?near=50.85,4.35&type=sac", "ServiceList"),
    ("/api/v1/services/{id}?lang=en", "ServiceDetail"),
    ("/api/v1/services.geojson", "FeatureCollection"),
    ("/api/v1/services?commune=00000", "Error"),
])
def test_answers_match_their_documented_schemas(client, demo, url, schema):
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    document = client.get("/api/v1/openapi.json").get_json()
    registry = referencing.Registry().with_resource(
        "urn:api", referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT202012))
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:api#/components/schemas/{schema}"}, registry=registry)
    body = client.get(url.format(id=demo["demo-gent-gas-bemiddeling"])).get_json()
    validator.validate(body)


def test_map_etag_changes_when_a_location_moves(app, client, demo):
    from mediation.models import Location

    first = client.get("/api/v1/services.geojson")
    assert client.get("/api/v1/services.geojson",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        location = db.session.scalars(db.select(Location)).first()
        location.lat += 0.01
        db.session.commit()
    second = client.get("/api/v1/services.geojson",
                        headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
