"""Open Referral HSDS 3.0 under /api/hsds: every page and record validates against the HSDS 3.0
JSON schemas kept in ../shared/data/hsds-3.0 (Open Referral, CC BY-SA 4.0; read by the tests
only), identifiers are stable, and harvesters get what changed after a moment, removals too."""

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Organization, Service, ServiceStatus
from mediation.opendata.hsds import organization_uuid, service_uuid

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")

HSDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "hsds-3.0"
BASE = "https://hsds.test/schema/"


@pytest.fixture(scope="module")
def hsds_schemas():
    if not HSDS_DIR.is_dir():
        pytest.skip(f"the HSDS 3.0 schemas are not at {HSDS_DIR}")
    registry = referencing.Registry()
    for path in HSDS_DIR.glob("*.json"):
        if path.name == "openapi.json":
            continue
        registry = registry.with_resource(BASE + path.name, referencing.Resource.from_contents(
            json.loads(path.read_text(encoding="utf-8")),
            default_specification=referencing.jsonschema.DRAFT202012))

    def validator(name: str):
        return jsonschema.Draft202012Validator(
            {"$ref": BASE + name}, registry=registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    page = jsonschema.Draft202012Validator(
        json.loads((HSDS_DIR / "openapi.json").read_text(encoding="utf-8"))
        ["components"]["schemas"]["Page"])
    return {"service": validator("service.json"),
            "service_list": validator("compiled-service_list.json"),
            "organization": validator("organization.json"),
            "organization_list": validator("compiled-organization_list.json"),
            "page": page}


def all_pages(client, path, **query):
    page, contents = 1, []
    while True:
        body = client.get(path, query_string={**query, "page": page, "per_page": 25}).get_json()
        contents += body["contents"]
        if body["last_page"]:
            return body, contents
        page += 1


def test_every_service_page_and_record_validates_against_hsds(client, demo, hsds_schemas):
    pages = 0
    for page in range(1, 10):
        body = client.get("/api/hsds/services", query_string={"page": page, "per_page": 25})
        assert body.status_code == 200
        answer = body.get_json()
        hsds_schemas["page"].validate(answer)
        for record in answer["contents"]:
            hsds_schemas["service"].validate(record)
            hsds_schemas["service_list"].validate(record)
        pages += 1
        if answer["last_page"]:
            break
    assert answer["total_items"] == len(demo) == 67
    assert pages == answer["total_pages"] == 3
    for lang in ("fr", "nl", "de", "en"):
        one = client.get(f"/api/hsds/services/{service_uuid(demo['demo-gent-buurtbemiddeling'])}",
                         query_string={"lang": lang})
        assert one.status_code == 200
        hsds_schemas["service"].validate(one.get_json())


def test_a_service_carries_areas_phones_languages_schedules_and_interval(client, demo):
    sid = demo["demo-gent-buurtbemiddeling"]
    record = client.get(f"/api/hsds/services/{service_uuid(sid)}?lang=nl").get_json()
    assert record["id"] == service_uuid(sid) and record["name"] == "Buurtbemiddeling Gent"
    assert "Ghent Neighbourhood Mediation" in record["alternate_name"]
    assert record["status"] == "active"
    assert record["url"] == f"http://127.0.0.1:5000/nl/services/{sid}"
    areas = {a["attributes"][0]["value"]: a["name"] for a in record["service_areas"]}
    assert areas["44021"] == "Gent"
    assert record["phones"][0]["number"].startswith("+32")
    assert {language["code"] for language in record["languages"]} >= {"nl"}
    schedules = record["service_at_locations"][0]["schedules"]
    assert all(s["freq"] == "WEEKLY" and s["byday"] in ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
               for s in schedules if "byday" in s)
    address = record["service_at_locations"][0]["location"]["addresses"][0]
    assert address["country"] == "BE" and address["city"] == "Gent"
    interval = [a for a in record["attributes"] if a["link_type"] == "update_interval"]
    assert interval[0]["value"] == "P6M"
    kinds = [a["value"] for a in record["attributes"] if a["link_type"] == "service_type"]
    assert kinds[0] == "neighbourhood"
    assert set(kinds) <= {"neighbourhood", "community", "sac", "school", "other"}
    assert record["assured_date"] == date.fromisoformat(record["assured_date"]).isoformat()
    assert record["organization"]["name"] == "Stad Gent"


def test_identifiers_are_stable_uuids(client, demo):
    first = client.get("/api/hsds/services?per_page=100").get_json()["contents"]
    second = client.get("/api/hsds/services?per_page=100&lang=de").get_json()["contents"]
    assert [s["id"] for s in first] == [s["id"] for s in second]
    assert len({s["id"] for s in first}) == 67
    every_id = [value for record in first for value in _ids(record)]
    assert len(every_id) == len(set(every_id)), "two objects share a UUID"


def _ids(node):
    if isinstance(node, dict):
        if "id" in node and "taxonomy" not in node:  # a taxonomy term is shared on purpose
            yield node["id"]
        for key, value in node.items():
            if key not in ("organization", "taxonomy_term"):
                yield from _ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _ids(value)


def test_organizations_validate_and_carry_their_kbo_number(app, client, demo, hsds_schemas):
    with app.app_context():
        organization = db.session.scalar(select(Organization).where(
            Organization.external_key == "demo-org-gent"))
        organization.kbo_number = "0207.451.227"
        db.session.commit()
        oid = organization_uuid(organization.id)
    body, contents = all_pages(client, "/api/hsds/organizations")
    hsds_schemas["page"].validate(body)
    for record in contents:
        hsds_schemas["organization"].validate(record)
        hsds_schemas["organization_list"].validate(record)
    assert body["total_items"] == len(contents) > 10
    one = client.get(f"/api/hsds/organizations/{oid}?lang=fr").get_json()
    hsds_schemas["organization"].validate(one)
    assert one["name"] == "Ville de Gand"
    assert one["organization_identifiers"] == [{
        "id": one["organization_identifiers"][0]["id"], "organization_id": oid,
        "identifier_scheme": "BE-BCE_KBO", "identifier_type": "KBO/BCE",
        "identifier": "0207.451.227"}]


def test_provenance_is_given_when_a_source_is_known(app, client, demo, hsds_schemas):
    sid = demo["demo-gent-buurtbemiddeling"]
    with app.app_context():
        service = db.session.get(Service, sid)
        service.source_url = "https://stad.gent/nl/buurtbemiddeling"
        service.source_date = date(2026, 10, 1)
        service.confirmed_at = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
        service.confirmation = "editor"
        db.session.commit()
    record = client.get(f"/api/hsds/services/{service_uuid(sid)}").get_json()
    hsds_schemas["service"].validate(record)
    sourced, confirmed = record["metadata"]
    assert (sourced["last_action_type"], sourced["updated_by"], sourced["last_action_date"]) == (
        "sourced", "https://stad.gent/nl/buurtbemiddeling", "2026-10-01")
    assert (confirmed["last_action_type"], confirmed["updated_by"]) == ("confirmed", "editor")
    other = client.get(f"/api/hsds/services/{service_uuid(demo['demo-gent-gas-bemiddeling'])}")
    assert "metadata" not in other.get_json()


def test_modified_after_gives_known_writes_and_removals(app, client, demo, hsds_schemas):
    future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(timespec="seconds")
    empty = client.get("/api/hsds/services", query_string={"modified_after": future}).get_json()
    assert (empty["total_items"], empty["empty"], empty["contents"]) == (0, True, [])
    organizations = client.get("/api/hsds/organizations",
                               query_string={"modified_after": future}).get_json()
    assert organizations["total_items"] == 0
    with app.app_context():
        before = db.session.scalar(select(db.func.max(Service.updated_at)))
    moment = before.replace(tzinfo=before.tzinfo or timezone.utc).isoformat()
    changed, archived = demo["demo-gent-buurtbemiddeling"], demo["demo-gent-gas-bemiddeling"]
    with app.app_context():
        db.session.get(Service, changed).phone = "+3292660000"
        db.session.get(Service, archived).status = ServiceStatus.archived
        db.session.commit()
    body = client.get("/api/hsds/services", query_string={"modified_after": moment}).get_json()
    hsds_schemas["page"].validate(body)
    for record in body["contents"]:
        hsds_schemas["service"].validate(record)
    by_id = {record["id"]: record for record in body["contents"]}
    assert set(by_id) == {service_uuid(changed), service_uuid(archived)}
    assert by_id[service_uuid(changed)]["phones"][0]["number"] == "+3292660000"
    assert by_id[service_uuid(archived)] == {
        "id": service_uuid(archived), "name": "", "status": "defunct",
        "last_modified": by_id[service_uuid(archived)]["last_modified"]}
    # Without a moment, the directory as it is: the archived service is not there.
    full = client.get("/api/hsds/services?per_page=100").get_json()
    assert service_uuid(archived) not in {record["id"] for record in full["contents"]}
    assert client.get(f"/api/hsds/services/{service_uuid(archived)}").status_code == 404


def test_search_finds_names_in_any_language(client, demo):
    body = client.get("/api/hsds/services", query_string={"search": "gent"}).get_json()
    assert body["total_items"] >= 2
    assert all("Gent" in r["name"] or "Gent" in r.get("alternate_name", "")
               or "Gent" in r["organization"]["name"] for r in body["contents"])
    organizations = client.get("/api/hsds/organizations?search=Gand").get_json()
    assert [o["name"] for o in organizations["contents"]] == ["Ville de Gand"]


@pytest.mark.parametrize("query, code", [
    ({"modified_after": "yesterday"}, "invalid_modified_after"),
    ({"modified_after": "2026-13-01"}, "invalid_modified_after"),
    ({"page": "0"}, "invalid_page"),
    ({"per_page": "101"}, "invalid_per_page"),
    ({"search": "a" * 101}, "invalid_search"),
    ({"lang": "xx"}, "invalid_lang"),
])
def test_bad_parameters_are_refused_with_a_clear_message(client, demo, query, code):
    for path in ("/api/hsds/services", "/api/hsds/organizations"):
        response = client.get(path, query_string=query)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == code
        assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_identifiers_answer_404(client, demo):
    for path in ("/api/hsds/services/not-a-uuid",
                 "/api/hsds/services/00000000-0000-0000-0000-000000000000",
                 "/api/hsds/organizations/00000000-0000-0000-0000-000000000000"):
        response = client.get(path)
        assert response.status_code == 404 and "error" in response.get_json()


def test_the_hsds_api_is_described(client):
    validator = pytest.importorskip("openapi_spec_validator")
    document = client.get("/api/hsds/openapi.json").get_json()
    # Open Referral's schemas are referred to where Open Referral publishes them; the test reads
    # the same files from the shared copy (never the network).
    from mediation.api.hsds_openapi import SCHEMA_BASE

    text = json.dumps(document)
    assert SCHEMA_BASE + "service.json" in text and SCHEMA_BASE + "organization.json" in text
    if HSDS_DIR.is_dir():
        validator.validate(json.loads(text.replace(SCHEMA_BASE, HSDS_DIR.as_uri() + "/")))
    assert set(document["paths"]) == {
        "/api/hsds/", "/api/hsds/services", "/api/hsds/services/{service_uuid}",
        "/api/hsds/organizations", "/api/hsds/organizations/{organization_uuid}",
        "/api/hsds/openapi.json"}
    about = client.get("/api/hsds/").get_json()
    assert about["version"] == "3.0"
    assert about["openapi_url"].endswith("/api/hsds/openapi.json")
