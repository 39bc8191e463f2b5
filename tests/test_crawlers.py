"""Search engines: absolute hreflang and canonical links, /sitemap.xml, /robots.txt."""

import html
import json
import re

import pytest

from mediation import create_app
from mediation.extensions import db
from mediation.models import Service

BASE = "http://127.0.0.1:5000"  # PUBLIC_BASE_URL by default


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_hreflang_and_canonical_are_absolute(client, demo, lang):
    page = client.get(f"/{lang}/search?q=Schaerbeek").get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/{lang}/search?q=Schaerbeek">' in page
    for other in ("fr", "nl", "de", "en"):
        assert f'hreflang="{other}" href="{BASE}/{other}/search?q=Schaerbeek"' in page
    assert f'hreflang="x-default" href="{BASE}/fr/search?q=Schaerbeek"' in page
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
                    if (m := re.fullmatch(rf"{BASE}/{lang}/services/(\d+)", u))}
        assert services == set(demo.values())
        assert f"{BASE}/{lang}/" in urls and f"{BASE}/{lang}/accessibility" in urls
        assert f"{BASE}/{lang}/coverage" in urls
    assert len(urls) == len(set(urls))


def test_the_sitemap_leaves_out_unpublished_services(client, demo, app):
    with app.app_context():
        service = db.session.get(Service, demo["demo-gent-buurtbemiddeling"])
        service.status = "archived"
        db.session.commit()
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"/services/{demo['demo-gent-buurtbemiddeling']}<" not in body


def test_robots_txt_keeps_staff_pages_out_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "User-agent: *" in body
    for lang in ("fr", "nl", "de", "en"):
        assert f"Disallow: /{lang}/manage/" in body and f"Disallow: /{lang}/account/" in body
    assert f"Sitemap: {BASE}/sitemap.xml" in body


# --- One address per page ---------------------------------------------------------------------

def head_links(page: str) -> tuple[str, dict[str, str]]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)[1]
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">',
                                 page))
    return canonical, alternates


def page_kinds(demo) -> list[str]:
    service_id = demo["demo-gent-buurtbemiddeling"]
    return ["/{lang}/", "/{lang}/guide", "/{lang}/coverage", "/{lang}/about",
            "/{lang}/accessibility", "/{lang}/privacy", "/{lang}/open-data",
            "/{lang}/communes/44021", f"/{{lang}}/services/{service_id}"]


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_canonical_alternates_and_sitemap_agree_on_every_page_kind(client, demo, lang):
    sitemap = set(re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").get_data(
        as_text=True)))
    for kind in page_kinds(demo):
        path = kind.format(lang=lang)
        response = client.get(path)
        assert response.status_code == 200, path
        canonical, alternates = head_links(response.get_data(as_text=True))
        assert canonical == BASE + path and canonical in sitemap, path
        assert set(alternates) == {"fr", "nl", "de", "en", "x-default"}
        assert alternates["x-default"] == BASE + kind.format(lang="fr")
        for other, url in alternates.items():
            # Each language's alternate is that page's own canonical address: 200, no redirect.
            answer = client.get(url.removeprefix(BASE))
            assert answer.status_code == 200, url
            assert head_links(answer.get_data(as_text=True))[0] == url
            assert url in sitemap


def test_internal_links_and_json_ld_use_the_canonical_service_address(client, demo):
    service_id = demo["demo-gent-buurtbemiddeling"]
    search = client.get("/nl/search?q=Gent").get_data(as_text=True)
    assert f'href="/nl/services/{service_id}"' in search
    assert f"/nl/services/{service_id}/" not in search
    page = client.get(f"/nl/services/{service_id}").get_data(as_text=True)
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["@id"] == ld["url"] == head_links(page)[0] == f"{BASE}/nl/services/{service_id}"


# schema.org properties each type defines (its own and those inherited), as listed on
# https://schema.org/<Type> (schema.org version 29.x): only what the pages use is checked.
THING = {"@context", "@type", "@id", "name", "description", "url", "identifier",
         "alternateName", "sameAs", "image"}
SCHEMA_ORG = {
    "GovernmentService": THING | {"provider", "areaServed", "availableChannel", "offers",
                                  "serviceType", "audience", "category", "jurisdiction",
                                  "serviceOperator", "hoursAvailable", "termsOfService"},
    "GovernmentOrganization": THING | {"address", "email", "telephone", "areaServed"},
    "City": THING | {"address", "geo"},
    "Offer": THING | {"price", "priceCurrency", "eligibleRegion", "availability"},
    "ServiceChannel": THING | {"serviceUrl", "servicePhone", "serviceLocation",
                               "availableLanguage", "serviceSmsNumber", "servicePostalAddress",
                               "providesService", "processingTime"},
    "ContactPoint": THING | {"telephone", "email", "availableLanguage", "contactType",
                             "hoursAvailable", "areaServed"},
    "Place": THING | {"address", "geo", "openingHoursSpecification", "telephone",
                      "isAccessibleForFree", "containedInPlace"},
    "PostalAddress": THING | {"streetAddress", "postalCode", "addressLocality",
                              "addressRegion", "addressCountry", "postOfficeBoxNumber"},
    "OpeningHoursSpecification": THING | {"dayOfWeek", "opens", "closes", "validFrom",
                                          "validThrough"},
    "GeoCoordinates": THING | {"latitude", "longitude", "elevation", "address"},
}


def undefined_properties(node) -> list[str]:
    found = []
    if isinstance(node, dict):
        allowed = SCHEMA_ORG[node["@type"]]
        found += [f"{node['@type']}.{key}" for key in node if key not in allowed]
        for value in node.values():
            found += undefined_properties(value)
    elif isinstance(node, list):
        for value in node:
            found += undefined_properties(value)
    return found


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_json_ld_uses_only_properties_schema_org_defines(client, demo, lang):
    for service_id in list(demo.values())[:10]:
        page = client.get(f"/{lang}/services/{service_id}").get_data(as_text=True)
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                  page, re.S)[1])
        assert undefined_properties(ld) == []


def meta(page: str, attribute: str, name: str) -> str:
    return html.unescape(re.search(rf'<meta {attribute}="{name}" content="([^"]*)">', page)[1])


def test_each_page_has_its_own_description_and_open_graph(client, demo):
    seen = set()
    for kind in page_kinds(demo):
        page = client.get(kind.format(lang="nl")).get_data(as_text=True)
        description = meta(page, "name", "description")
        assert description and len(description) <= 160
        assert meta(page, "property", "og:description") == description
        assert meta(page, "property", "og:url") == head_links(page)[0]
        assert meta(page, "property", "og:title") and meta(page, "property", "og:locale") == "nl_BE"
        seen.add(description)
    assert len(seen) == len(page_kinds(demo))  # one description per page
    service = client.get(f"/nl/services/{demo['demo-gent-buurtbemiddeling']}").get_data(
        as_text=True)
    assert meta(service, "name", "description").startswith("De dienst helpt buren")
    commune = client.get("/fr/communes/44021").get_data(as_text=True)
    assert "Gand" in meta(commune, "name", "description")


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
