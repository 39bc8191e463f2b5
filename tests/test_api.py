"""GET /api/v1/communes: the JSON contract of DESIGN §5 and its errors."""

import pytest


def test_communes_answers_the_documented_shape(client):
    response = client.get("/api/v1/communes?q=Schaarbeek&lang=nl")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    first = response.get_json()["results"][0]
    assert set(first) == {"refnis", "name", "names", "postal_codes", "province", "region",
                          "lat", "lon", "matched", "match_kind"}
    assert first["refnis"] == "21015"
    assert first["name"] == "Schaarbeek"
    assert first["names"] == {"fr": "Schaerbeek", "nl": "Schaarbeek", "de": "Schaerbeek"}
    assert first["postal_codes"] == ["1030"]
    assert first["province"] is None  # Brussels-Capital has no province
    assert first["region"] == "Brussels Hoofdstedelijk Gewest"
    assert 50.8 < first["lat"] < 50.9 and 4.3 < first["lon"] < 4.45
    assert (first["matched"], first["match_kind"]) == ("Schaarbeek", "name")


@pytest.mark.parametrize(
    "lang, name, province",
    [("fr", "Liège", "Province de Liège"), ("nl", "Luik", "Provincie Luik"),
     ("de", "Lüttich", "Provinz Lüttich"), ("en", "Liège", "Province of Liège")],
)
def test_names_follow_the_requested_language(client, lang, name, province):
    first = client.get(f"/api/v1/communes?q=Luik&lang={lang}").get_json()["results"][0]
    assert (first["name"], first["province"]) == (name, province)


def test_acceptance_queries(client):
    assert client.get("/api/v1/communes?q=Schaarbeek").get_json()["results"][0]["refnis"] == "21015"
    shared = client.get("/api/v1/communes?q=1040").get_json()["results"]
    assert {r["refnis"] for r in shared} == {"21004", "21005"}
    assert all(r["match_kind"] == "postal_code" for r in shared)
    melle = client.get("/api/v1/communes?q=Melle").get_json()["results"][0]
    assert (melle["refnis"], melle["match_kind"], melle["matched"]) == ("44088", "former_commune", "Melle")


def test_limit_bounds_the_number_of_results(client):
    results = client.get("/api/v1/communes?q=sint&limit=3").get_json()["results"]
    assert len(results) == 3


@pytest.mark.parametrize(
    "query, code",
    [
        ("", "missing_q"),
        ("q=", "missing_q"),
        ("q=%20%20", "missing_q"),
        ("q=" + "a" * 101, "invalid_q"),
        ("q=%00%01%02", "invalid_q"),
        ("q=%ff%fe%fd", "invalid_q"),
        ("q=Gent&limit=0", "invalid_limit"),
        ("q=Gent&limit=51", "invalid_limit"),
        ("q=Gent&limit=ten", "invalid_limit"),
        ("q=Gent&limit=-1", "invalid_limit"),
        ("q=Gent&lang=es", "invalid_lang"),
    ],
)
def test_bad_parameters_get_a_400_with_a_json_error(client, query, code):
    response = client.get(f"/api/v1/communes?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]


def test_error_messages_are_translated(client):
    response = client.get("/api/v1/communes?q=", headers={"Accept-Language": "nl-BE,nl;q=0.9"})
    assert "verplicht" in response.get_json()["error"]["message"]


def test_exactly_100_characters_is_accepted(client):
    assert client.get("/api/v1/communes?q=" + "a" * 100).status_code == 200


def test_unknown_api_route_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_whole_saint_word_completes_saint_names_only(client):
    results = client.get("/api/v1/communes?q=Sint&lang=nl").get_json()["results"]
    refnis = {r["refnis"] for r in results}
    assert {"46021", "71053"} <= refnis  # Sint-Niklaas, Sint-Truiden
    assert not refnis & {"36019", "46024", "11044"}  # Staden, Stekene, Stabroek
    staden = client.get("/api/v1/communes?q=Sta").get_json()["results"]
    assert staden[0]["refnis"] == "36019"


def test_country_words_and_street_numbers_are_not_searched(client):
    for query in ("B1000", "Bruxelles%20Belgique", "Rue%20Haute%2012%20Bruxelles"):
        results = client.get(f"/api/v1/communes?q={query}").get_json()["results"]
        assert [r["refnis"] for r in results] == ["21004"], query
