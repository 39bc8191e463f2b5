"""Four languages: the right language everywhere, in the interface, the content and the names."""

import re
from datetime import timezone
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, get_day_names
from flask_babel import force_locale, gettext

from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import Service

LANGS = ["fr", "nl", "de", "en"]


@pytest.fixture
def service_id(app):
    with app.app_context():
        seed_demo()
        return db.session.scalar(db.select(Service.id).filter_by(
            external_key="demo-schaerbeek-mediation-locale")) or db.session.scalar(
            db.select(Service.id).order_by(Service.id))


def translated(app, lang, msgid, **values):
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid, **values)


PAGES = {
    "/{lang}/": "Find a mediation service near you",
    "/{lang}/search?q=Schaerbeek": "Skip to the results",
    "/{lang}/communes/21015": "Search",
    "/{lang}/about": "About this directory",
    "/{lang}/accessibility": "Accessibility statement",
    "/{lang}/privacy": "Privacy statement",
    "/{lang}/open-data": "Open data",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path, msgid", PAGES.items())
def test_every_page_speaks_the_language_of_its_url(app, client, lang, path, msgid):
    response = client.get(path.format(lang=lang))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    assert response.headers["Content-Language"] == lang
    for other in LANGS:
        assert f'hreflang="{other}"' in page
    expected = translated(app, lang, msgid)
    assert expected in page
    if lang != "en":
        assert expected != msgid, f"{msgid!r} is not translated into {lang}"


@pytest.mark.parametrize("lang", LANGS)
def test_service_page_in_every_language(app, client, service_id, lang):
    page = client.get(f"/{lang}/services/{service_id}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert translated(app, lang, "How to reach the service") in page
    # Weekday names and dates follow the page's language, as written in Belgium: the day in
    # Brussels, "10 September 2026" and a 24-hour clock in English too.
    assert get_day_names("wide", locale=lang)[0].capitalize() in page
    with app.app_context():
        verified = db.session.get(Service, service_id).last_verified_at
    day = verified.replace(tzinfo=verified.tzinfo or timezone.utc)  # SQLite: naive, UTC
    day = day.astimezone(ZoneInfo("Europe/Brussels"))
    assert format_date(day, "long", locale=f"{lang}_BE") in page
    hours = page.split('class="hours"')[1].split("</table>")[0]
    assert re.search(r"\b\d{1,2}:\d{2}\s*–\s*\d{1,2}:\d{2}\b", hours), hours
    assert " AM" not in hours and " PM" not in hours


def test_language_switch_keeps_the_page_and_its_query(client):
    page = client.get("/fr/search?q=Schaerbeek&type=sac").get_data(as_text=True)
    for lang in ("nl", "de", "en"):
        assert f'href="/{lang}/search?q=Schaerbeek&amp;type=sac" hreflang="{lang}"' in page


def test_language_switch_on_a_service_page_keeps_the_service(client, service_id):
    page = client.get(f"/fr/services/{service_id}").get_data(as_text=True)
    link = re.search(rf'href="(/nl/services/{service_id}[^"]*)" hreflang="nl"', page)
    assert link
    assert client.get(link[1], follow_redirects=True).status_code == 200


@pytest.mark.parametrize(
    "lang, commune, province",
    [("fr", "Liège", "Province de Liège"), ("nl", "Luik", "Provincie Luik"),
     ("de", "Lüttich", "Provinz Lüttich"), ("en", "Liège", "Province of Liège")],
)
def test_commune_and_province_names_follow_the_language(client, lang, commune, province):
    page = client.get(f"/{lang}/communes/62063").get_data(as_text=True)
    assert f'<h1 id="commune-title">{commune}</h1>' in page
    assert province in page


@pytest.mark.parametrize("lang, name", [("fr", "Bruxelles"), ("nl", "Brussel"),
                                         ("de", "Brüssel"), ("en", "Brussels")])
def test_brussels_is_named_as_each_reader_knows_it(client, lang, name):
    page = client.get(f"/{lang}/communes/21004").get_data(as_text=True)
    assert f'<h1 id="commune-title">{name}</h1>' in page


def test_flemish_commune_in_german_uses_its_dutch_name(client):
    page = client.get("/de/communes/34022").get_data(as_text=True)  # Kortrijk / Courtrai
    assert '<h1 id="commune-title">Kortrijk</h1>' in page


@pytest.mark.parametrize("lang, name", [("fr", "La Calamine"), ("de", "Kelmis"), ("en", "Kelmis")])
def test_german_speaking_commune_keeps_its_german_name_in_english(client, lang, name):
    page = client.get(f"/{lang}/communes/63040").get_data(as_text=True)
    assert f'<h1 id="commune-title">{name}</h1>' in page
    found = client.get(f"/api/v1/communes?q=Kelmis&lang={lang}").get_json()["results"][0]
    assert (found["refnis"], found["name"]) == ("63040", name)


def test_a_page_that_does_not_exist_answers_in_the_language_of_its_address(app, client):
    for lang in ("nl", "de", "en"):
        response = client.get(f"/{lang}/nope", headers={"Accept-Language": "fr"})
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        assert translated(app, lang, "Page not found") in page
        assert client.get(f"/{lang}/services/abc").get_data(as_text=True).count(
            f'<html lang="{lang}">') == 1


def test_api_answers_set_no_cookie(client):
    for path in ("/api/v1/communes?q=Gent&lang=nl", "/api/v1/services?lang=de",
                 "/api/v1/services.geojson?lang=en", "/api/v1/services.csv?lang=nl"):
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path
    # Pages remember a language chosen with the switch.
    assert "Set-Cookie" in client.get("/nl/", headers={"Referer": "http://localhost/fr/"}).headers


def test_missing_text_falls_back_with_its_language_and_says_so(app, client, service_id):
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.how_to_request_nl = ""
        service.how_to_request_fr = "Appelez-nous ou passez pendant les permanences."
        db.session.commit()
    page = client.get(f"/nl/services/{service_id}").get_data(as_text=True)
    assert '<p lang="fr">Appelez-nous ou passez pendant les permanences.</p>' in page
    note = translated(app, "nl", "Available in %(language)s only.", language="Frans")
    assert note in page


def test_unknown_language_is_a_404_in_the_negotiated_language(app, client):
    response = client.get("/es/", headers={"Accept-Language": "de-BE,de;q=0.9"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page
    assert translated(app, "de", "Page not found") in page


def test_wtforms_messages_are_translated(client):
    page = client.get("/nl/search?q=" + "x" * 101).get_data(as_text=True)
    assert "Veld mag niet langer zijn dan 100 karakters." in page
