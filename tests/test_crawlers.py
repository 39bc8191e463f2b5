"""Search engines: absolute hreflang and canonical links, /sitemap.xml, /robots.txt."""

import re

import pytest

from mediation import create_app
from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import Service

BASE = "http://127.0.0.1:5000"  # PUBLIC_BASE_URL by default


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo()
        return {s.external_key: s.id for s in db.session.scalars(db.select(Service))}


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_hreflang_and_canonical_are_absolute(client, demo, lang):
    page = client.get(f"/{lang}/search?q=Schaerbeek").get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/{lang}/search?q=Schaerbeek">' in page
    for other in ("fr", "nl", "de", "en"):
        assert f'hreflang="{other}" href="{BASE}/{other}/search?q=Schaerbeek"' in page
    assert f'hreflang="x-default" href="{BASE}/"' in page
    assert not re.search(r'<link rel="alternate" hreflang="[a-z-]+" href="/', page)


def test_the_public_base_url_is_configurable(app):
    other = create_app({**app.config, "PUBLIC_BASE_URL": "https://mediation.example.be/"})
    page = other.test_client().get("/en/about").get_data(as_text=True)
    assert '<link rel="canonical" href="https://mediation.example.be/en/about">' in page
    assert 'hreflang="nl" href="https://mediation.example.be/nl/about"' in page


def test_the_sitemap_lists_every_public_service_and_commune_page_in_four_languages(
        client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = re.findall(r"<loc>([^<]+)</loc>", response.get_data(as_text=True))
    assert all(url.startswith(BASE + "/") for url in urls)
    for lang in ("fr", "nl", "de", "en"):
        communes = [u for u in urls if u.startswith(f"{BASE}/{lang}/communes/")]
        assert len(communes) == 565
        services = {int(m[1]) for u in urls
                    if (m := re.match(rf"{BASE}/{lang}/services/(\d+)/", u))}
        assert services == set(demo.values())
        assert f"{BASE}/{lang}/" in urls and f"{BASE}/{lang}/accessibility" in urls
    assert len(urls) == len(set(urls))


def test_the_sitemap_leaves_out_unpublished_services(client, demo, app):
    with app.app_context():
        service = db.session.get(Service, demo["demo-gent-buurtbemiddeling"])
        service.status = "archived"
        db.session.commit()
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"/services/{demo['demo-gent-buurtbemiddeling']}/" not in body


def test_robots_txt_keeps_staff_pages_out_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "User-agent: *" in body
    for lang in ("fr", "nl", "de", "en"):
        assert f"Disallow: /{lang}/manage/" in body and f"Disallow: /{lang}/account/" in body
    assert f"Sitemap: {BASE}/sitemap.xml" in body


def test_the_favicon_answers_at_the_root_and_is_named_by_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\0\0\1\0" and b"PNG" in response.data[:40]
    assert "public" in response.headers["Cache-Control"]
    for path in ("/fr/", "/en/account/login"):
        page = client.get(path).get_data(as_text=True)
        assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in page
        svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
        assert svg and client.get(svg.group(1)).status_code == 200
