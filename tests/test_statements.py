"""Trust: the demonstration notice, the configurable publisher, the privacy and accessibility
statements read from the configuration."""

import re

import pytest
from support import translated

from mediation import create_app
from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import Service, ServiceStatus

LANGS = ["fr", "nl", "de", "en"]
DEMO_NOTICE = "Demonstration: the services marked “Demo” are fictitious."
PUBLISHER = {
    "PUBLISHER_NAME": {"fr": "SPP Intégration sociale", "nl": "POD Maatschappelijke Integratie",
                       "en": "PPS Social Integration"},
    "PUBLISHER_URL": "https://www.mi-is.be/",
    "PUBLISHER_EMAIL": "mediation@example.be",
    "PUBLISHER_ADDRESS": "Boulevard du Roi Albert II 30, 1000 Bruxelles",
}


def html(response):
    return response.get_data(as_text=True)



def other_app(app, **settings):
    return create_app({**app.config, **settings}).test_client()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/", "/guide", "/privacy", "/communes/21015", "/no-such-page"])
def test_every_page_says_so_while_demo_services_are_listed(client, app, lang, path):
    with app.app_context():
        seed_demo()
    page = html(client.get(f"/{lang}{path}"))
    assert 'id="demo-notice"' in page and translated(app, lang, DEMO_NOTICE) in page


def test_no_demo_notice_once_no_demo_service_is_published(client, app):
    assert 'id="demo-notice"' not in html(client.get("/en/"))
    with app.app_context():
        seed_demo()
        for service in db.session.scalars(db.select(Service).filter_by(is_demo=True)):
            service.status = ServiceStatus.archived
        db.session.commit()
    assert 'id="demo-notice"' not in html(client.get("/en/"))


@pytest.mark.parametrize("lang, name", [("fr", "SPP Intégration sociale"),
                                        ("nl", "POD Maatschappelijke Integratie"),
                                        ("de", "SPP Intégration sociale"),  # no German name
                                        ("en", "PPS Social Integration")])
def test_the_publisher_is_named_in_the_footer_and_the_statements(app, lang, name):
    client = other_app(app, **PUBLISHER)
    footer = html(client.get(f"/{lang}/")).split('class="site-footer"', 1)[1]
    assert f'<a href="https://www.mi-is.be/">{name}</a>' in footer
    assert 'href="mailto:mediation@example.be"' in footer and "1000 Bruxelles" in footer
    privacy = html(client.get(f"/{lang}/privacy"))
    controller = privacy.split('id="controller"', 1)[1].split("<h2", 1)[0]
    assert name in controller and "mediation@example.be" in controller
    assert "Boulevard du Roi Albert II 30" in controller
    accessibility = html(client.get(f"/{lang}/accessibility"))
    assert name in accessibility
    feedback = accessibility.split('id="feedback"', 1)[1].split("<h2", 1)[0]
    assert 'href="mailto:mediation@example.be"' in feedback


def test_without_a_publisher_the_statements_say_it_is_not_named_yet(client):
    assert "Published by" not in html(client.get("/en/"))
    privacy = html(client.get("/en/privacy"))
    assert "The publisher of this installation has not been named yet" in privacy


def hosts_named(page: str) -> list[str]:
    section = page.split('id="third-parties"', 1)[1].split("<h2", 1)[0]
    return re.findall(r"<strong>([^<]+)</strong>", section)


def test_the_privacy_statement_names_every_third_party_the_pages_contact(app, client):
    assert hosts_named(html(client.get("/en/privacy"))) == ["tile.openstreetmap.org"]  # local
    cdn = other_app(app, LEAFLET_ASSETS="cdn")
    assert hosts_named(html(cdn.get("/en/privacy"))) == ["unpkg.com", "tile.openstreetmap.org"]


def test_the_third_parties_follow_the_configuration(app):
    ngi = other_app(app, LEAFLET_ASSETS="local",
                    TILE_URL="https://cartoweb.wmts.ngi.be/1.0.0/topo/default/3857/{z}/{y}/{x}.png")
    assert hosts_named(html(ngi.get("/en/privacy"))) == ["cartoweb.wmts.ngi.be"]
    subdomains = other_app(app, LEAFLET_ASSETS="cdn",
                           TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    assert hosts_named(html(subdomains.get("/nl/privacy"))) == ["unpkg.com", "tiles.example.org"]
    own = other_app(app, LEAFLET_ASSETS="local", TILE_URL="/tiles/{z}/{x}/{y}.png")
    assert "your browser contacts no other server" in html(own.get("/en/privacy"))


@pytest.mark.parametrize("lang", LANGS)
def test_the_privacy_statement_gives_the_rights_and_the_authority(client, app, lang):
    page = html(client.get(f"/{lang}/privacy"))
    for heading in ("Who is responsible", "What we keep, why and for how long", "Your rights"):
        assert translated(app, lang, heading) in page
    authority = ("https://www.gegevensbeschermingsautoriteit.be/" if lang == "nl"
                 else "https://www.autoriteprotectiondonnees.be/")
    assert f'href="{authority}"' in page
    assert "Autorité de protection des données" in page and "Gegevensbeschermingsautoriteit" in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_accessibility_statement_follows_the_eu_model(client, app, lang):
    page = html(client.get(f"/{lang}/accessibility"))
    for anchor in ("status", "limitations", "preparation", "feedback", "enforcement"):
        assert f'id="{anchor}"' in page
    assert "WCAG" in page and "EN 301 549" in page and "2016/2102" in page
    date = {"fr": "29 novembre 2026", "nl": "29 november 2026", "de": "29. November 2026",
            "en": "November 29, 2026"}[lang]
    assert translated(app, lang, "This statement was prepared on %(date)s.", date=date) in page
    assert 'href="https://www.federalombudsman.be/"' in page
    assert translated(app, lang, "This statement applies to %(site)s.",
                      site="http://127.0.0.1:5000/") in page


def test_a_wrong_statement_date_is_left_out(app):
    page = html(other_app(app, ACCESSIBILITY_STATEMENT_DATE="soon").get("/en/accessibility"))
    assert "This statement was prepared on" not in page and 'id="preparation"' in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_heading_says_what_a_position_search_shows(client, app, lang):
    with app.app_context():
        seed_demo()
    page = html(client.get(f"/{lang}/search?near=49.6,2.5"))  # over the border: no commune
    heading = re.search(r'<h1 id="search-title">([^<]*)</h1>', page).group(1)
    assert heading == translated(app, lang, "Mediation services near you")
