"""The application shell: configuration, health, languages in URLs, security headers."""

import re

import pytest

from mediation import create_app
from mediation.config import ConfigurationError


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(ConfigurationError):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_refuses_to_start_without_its_public_address():
    with pytest.raises(ConfigurationError, match="PUBLIC_BASE_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 64,
                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_starts_with_a_real_secret_key_and_address():
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 64,
                      "PUBLIC_BASE_URL": "https://mediation.example.be",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "x" * 64
    assert app.config["TRUSTED_HOSTS"] == ["mediation.example.be"]
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_variables_override_defaults(monkeypatch):
    monkeypatch.setenv("MEDIATION_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("MEDIATION_NOMINATIM_TIMEOUT", "9")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["TILE_URL"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    assert app.config["NOMINATIM_TIMEOUT"] == 9


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_says_unavailable_without_a_database(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "unavailable": ["database"]}


def test_security_headers_on_every_page(client):
    response = client.get("/fr/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client):
    html = client.get("/fr/").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html


@pytest.mark.parametrize(
    "headers, cookie, expected",
    [
        ({"Accept-Language": "nl-BE,nl;q=0.9,fr;q=0.8"}, None, "/nl/"),
        ({"Accept-Language": "de-DE,de;q=0.9"}, None, "/de/"),
        ({"Accept-Language": "es-ES,es;q=0.9"}, None, "/fr/"),
        ({}, None, "/fr/"),
        ({"Accept-Language": "nl"}, "en", "/en/"),
    ],
)
def test_root_redirects_to_the_visitors_language(client, headers, cookie, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_home_page_exists_in_four_languages(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert response.headers["Content-Language"] == lang
    for other in ("fr", "nl", "de", "en"):
        assert f'hreflang="{other}" href="http://127.0.0.1:5000/{other}/"' in html


def test_unknown_language_is_a_404_page(client):
    response = client.get("/xx/", headers={"Accept-Language": "nl"})
    assert response.status_code == 404
    assert '<html lang="nl">' in response.get_data(as_text=True)


def test_search_page_lists_the_communes_understood(client):
    html = client.get("/nl/search?q=1040").get_data(as_text=True)
    assert "Etterbeek" in html and "Brussel" in html


def test_the_map_background_is_served_with_a_long_cache_lifetime(client):
    page = client.get("/en/").get_data(as_text=True)
    url = re.search(r'data-background-url="([^"]+)"', page)[1]
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert response.cache_control.max_age == 31536000 and response.cache_control.immutable
    outline = response.get_json()
    assert len(outline["features"]) == 12
    assert 10_000 < len(response.data) < 100_000  # tens of kilobytes
    assert client.get("/map/belgium-0000.geojson").status_code == 404


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_focus_outline_reaches_3_to_1_on_the_page_and_on_the_header():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "css" / "site.css").read_text()
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", css))
    rule = re.search(r"^:focus-visible \{([^}]*)\}", css, re.M)[1]
    outline = colours[re.search(r"outline: 3px solid var\(--([a-z-]+)\)", rule)[1]]
    ring = colours[re.search(r"box-shadow: 0 0 0 2px var\(--([a-z-]+)\)", rule)[1]]
    assert _contrast(outline, colours["paper"]) >= 3  # on the page
    assert _contrast(outline, colours["band"]) >= 3  # on the grey bands
    assert _contrast(ring, colours["accent-dark"]) >= 3  # on the dark header
