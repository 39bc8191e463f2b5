"""The open-data files as harvesters take them: the data package validates the CSVs with
Frictionless (phones and codes stay text), every export names its version (ETag,
Last-Modified) and answers 304 when unchanged, and /api/v1/services gives what changed after a
moment, with what was removed."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import Service, ServiceStatus

EXPORTS = ["/api/v1/services.csv", "/api/v1/services.xlsx", "/api/v1/services.geojson",
           "/api/v1/datapackage.json", "/fr/coverage.csv", "/open-data/catalog.ttl"]


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo()
        return {key: service_id for key, service_id in db.session.execute(
            select(Service.external_key, Service.id))}


def test_the_data_package_validates_the_csv_files_with_frictionless(client, demo, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    descriptor = client.get("/api/v1/datapackage.json").get_json()
    # The files are read from the test client, not over the network.
    for resource in descriptor["resources"]:
        path = resource["path"].removeprefix("http://127.0.0.1:5000")
        (tmp_path / f"{resource['name']}.csv").write_bytes(client.get(path).data)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    services = package.get_resource("services")
    fields = {f.name: f.type for f in services.schema.fields}
    assert (fields["phone"], fields["postal_code"], fields["refnis"]) == ("string",) * 3
    assert (fields["lat"], fields["free_of_charge"], fields["last_verified_at"]) == (
        "number", "boolean", "date")
    rows = services.read_rows()
    assert len(rows) == 67
    gent = next(r for r in rows if r["id"] == demo["demo-gent-buurtbemiddeling"])
    assert gent["phone"].startswith("+32") and gent["postal_code"] == "9000"
    assert gent["is_demo"] is True and 50 < gent["lat"] < 52
    coverage = package.get_resource("coverage").read_rows()
    assert len(coverage) == 565
    assert next(r for r in coverage if r["refnis"] == "21015")["region"] == "04000"


def test_the_data_package_describes_its_licence_and_sources(client, demo):
    descriptor = client.get("/api/v1/datapackage.json").get_json()
    assert descriptor["licenses"][0]["path"] == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert any("Statbel" in source["title"] for source in descriptor["sources"])
    assert [r["name"] for r in descriptor["resources"]] == ["services", "coverage"]
    assert descriptor["resources"][0]["path"] == "http://127.0.0.1:5000/api/v1/services.csv"


@pytest.mark.parametrize("path", EXPORTS)
def test_every_export_has_etag_and_last_modified_and_answers_304(app, client, demo, path):
    first = client.get(path)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    with app.app_context():
        latest = db.session.scalar(select(db.func.max(Service.updated_at)))
        latest = latest if latest.tzinfo else latest.replace(tzinfo=timezone.utc)
    assert datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT").replace(
        tzinfo=timezone.utc) == latest.replace(microsecond=0)
    with app.app_context():
        db.session.get(Service, demo["demo-gent-buurtbemiddeling"]).phone = "+3292660001"
        db.session.commit()
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag


def test_the_xlsx_export_has_the_csv_columns_and_rows(client, demo):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get("/api/v1/services.xlsx")
    sheet = load_workbook(BytesIO(response.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header = client.get("/api/v1/services.csv").get_data(as_text=True).splitlines()[0]
    assert list(rows[0]) == header.split(",")
    assert len(rows) == 68


def test_modified_after_lists_known_writes_and_removals(app, client, demo):
    future = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = client.get(f"/api/v1/services?modified_after={future}").get_json()
    assert (body["results"], body["total"], body["removed"]) == ([], 0, [])
    with app.app_context():
        before = db.session.scalar(select(db.func.max(Service.updated_at)))
    moment = before.replace(tzinfo=before.tzinfo or timezone.utc).isoformat()
    changed, archived = demo["demo-gent-buurtbemiddeling"], demo["demo-gent-gas-bemiddeling"]
    with app.app_context():
        db.session.get(Service, changed).email = "buurtbemiddeling@stad.gent"
        db.session.get(Service, archived).status = ServiceStatus.archived
        db.session.commit()
    body = client.get("/api/v1/services", query_string={"modified_after": moment}).get_json()
    assert [r["id"] for r in body["results"]] == [changed]
    assert body["total"] == 1 and body["removed"] == [archived]
    assert "removed" not in client.get("/api/v1/services").get_json()


def test_the_admin_geojson_export_writes_numbers_and_booleans_as_such(client, auth, demo):
    auth.as_admin()
    collection = json.loads(client.get("/en/admin/export.geojson").data)
    assert len(collection["features"]) == 67
    for feature in collection["features"]:
        properties = feature["properties"]
        assert isinstance(properties["lat"], float) and isinstance(properties["lon"], float)
        assert feature["geometry"]["coordinates"] == [properties["lon"], properties["lat"]]
        assert properties["is_demo"] is True
        assert isinstance(properties["free_of_charge"], bool)
        assert properties["update_interval_months"] in (3, 6, 12)
        assert isinstance(properties["postal_code"], str) and isinstance(properties["phone"], str)


def test_the_export_command_writes_typed_geojson(app, runner, demo, tmp_path):
    result = runner.invoke(args=["export-services", str(tmp_path / "services.geojson")])
    assert result.exit_code == 0, result.output
    collection = json.loads((tmp_path / "services.geojson").read_text(encoding="utf-8"))
    assert collection["features"][0]["properties"]["is_demo"] is True
    assert isinstance(collection["features"][0]["properties"]["lat"], float)
