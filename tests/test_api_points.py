"""GET /api/v1/services.points: the map's compact answer holds what the GeoJSON holds."""

import gzip
import json

import pytest

from test_api_services import get_json, make_service


@pytest.mark.parametrize("query", ["", "type=sac", "language=de", "q=gent", "lang=nl",
                                   "type=other&language=fr&lang=de"])
def test_the_points_are_the_features_of_the_geojson(client, demo, query):
    features = get_json(client, f"/api/v1/services.geojson?{query}")["features"]
    answer = get_json(client, f"/api/v1/services.points?{query}")
    assert answer["columns"] == ["id", "lat", "lon", "name"]
    assert answer["points"] == [
        [f["properties"]["id"], f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0],
         f["properties"]["name"]] for f in features]
    assert [answer["url"].replace("{id}", str(point[0])) for point in answer["points"]] == \
        [f["properties"]["url"] for f in features]


def test_the_points_are_a_fraction_of_the_geojson(client, demo):
    geojson = client.get("/api/v1/services.geojson")
    points = client.get("/api/v1/services.points")
    assert points.mimetype == "application/json"
    assert points.headers["Cache-Control"] == "public, max-age=300"
    assert len(points.data) < len(geojson.data) / 2


def test_the_points_answer_304_until_a_service_is_written(app, client, demo):
    first = client.get("/api/v1/services.points")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/services.points", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/v1/services.geojson").headers["ETag"] != etag  # its own tag
    other = client.get("/api/v1/services.points?lang=nl", headers={"If-None-Match": etag})
    assert other.status_code == 200
    with app.app_context():
        added = make_service("Nouveau service", lat=50.5, lon=4.5)
    changed = client.get("/api/v1/services.points", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert [added, 50.5, 4.5, "Nouveau service"] in json.loads(changed.data)["points"]


def test_the_points_are_gzipped_for_clients_that_accept_it(client, demo):
    plain = client.get("/api/v1/services.points")
    zipped = client.get("/api/v1/services.points", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data


@pytest.mark.parametrize("query, code", [("lang=xx", "invalid_lang"),
                                         ("type=nope", "invalid_type")])
def test_a_bad_parameter_is_refused_and_said(client, demo, query, code):
    response = client.get(f"/api/v1/services.points?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code
