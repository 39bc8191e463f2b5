"""HTTP caching: what a shared proxy may keep, for how long, and for whom."""

import re

import pytest

from mediation.caching import YEAR


def test_static_files_are_fingerprinted_and_kept_a_year(client):
    page = client.get("/fr/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/(?:static|vendor)/[^"]+)"', page)
    assert urls and all(re.search(r"\?v=[0-9a-f]{16}$", url) for url in urls), urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.cache_control.public and response.cache_control.immutable
        assert response.cache_control.max_age == YEAR and not response.cache_control.no_cache
    stale = client.get(urls[0].split("?")[0] + "?v=0000000000000000")
    assert stale.cache_control.max_age == 60 and not stale.cache_control.immutable


@pytest.mark.parametrize("path", ["/fr/", "/nl/search?q=Gent", "/de/communes/63023",
                                  "/en/privacy", "/api/v1/services?commune=21004",
                                  "/api/v1/communes?q=Luik", "/api/v1/openapi.json"])
def test_public_answers_are_shared_briefly_with_a_validator(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.cache_control.public and response.cache_control.max_age == 60
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.vary
    etag = response.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data


def test_answers_for_a_visitor_with_a_session_or_a_new_cookie_stay_private(client):
    chosen = client.get("/nl/", headers={"Referer": "http://localhost/fr/"})
    assert "Set-Cookie" in chosen.headers and chosen.cache_control.private
    client.set_cookie("session", "anything")
    staff = client.get("/fr/about")
    assert staff.cache_control.private and not staff.cache_control.public


def test_the_language_redirect_varies_on_what_chose_it(client):
    response = client.get("/")
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    assert not response.cache_control.public
