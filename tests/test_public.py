"""Public pages, as a citizen's browser without JavaScript sees them."""

import html as htmllib
import json
import os
import re

import pytest

from mediation import create_app
from mediation.directory.demo import seed_demo
from mediation.extensions import db
from mediation.models import AuditEvent, ErrorReport, Service, ServiceArea, ServiceStatus


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo()
        return {s.external_key: s.id for s in db.session.scalars(db.select(Service))}


def html(response):
    return response.get_data(as_text=True)


def result_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-service-id="(\d+)"', page)]


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_home_page_has_the_search_form_and_the_map(client, lang):
    page = html(client.get(f"/{lang}/"))
    assert 'role="search"' in page and 'name="q"' in page
    assert 'id="map"' in page and 'data-points-url="/api/v1/services.points?lang=' in page
    assert 'select id="type" name="type"' in page and 'select id="language" name="language"' in page


def covering_and_elsewhere(page: str) -> tuple[list[int], list[int]]:
    """The services listed for the commune's residents, and those in "elsewhere nearby"."""
    head, _, tail = page.partition('id="elsewhere"')
    return result_ids(head), result_ids(tail)


def test_search_by_name_shows_the_services_serving_its_residents_apart(client, demo, app):
    page = html(client.get("/en/search?q=Schaerbeek"))
    assert "<h1 id=\"search-title\">Mediation in Schaerbeek</h1>" in page
    assert "For residents of Schaerbeek" in page
    covering, elsewhere = covering_and_elsewhere(page)
    with app.app_context():
        expected = set(db.session.scalars(
            db.select(ServiceArea.service_id).filter_by(refnis="21015")))
    assert len(expected) >= 2 and set(covering) == expected
    assert "4 services serve residents of Schaerbeek." in page
    # The others are apart, folded, and said not to be for Schaerbeek's residents.
    assert elsewhere and expected.isdisjoint(elsewhere)
    assert '<details class="elsewhere" id="elsewhere">' in page
    assert "Elsewhere nearby — they may not serve residents of Schaerbeek" in page
    # Grouped by kind, each service once; the card does not repeat the commune.
    assert page.index('id="kind-neighbourhood"') < page.index('id="kind-sac"') < page.index(
        'id="kind-school"')
    assert len(covering) == len(set(covering)) and "Covers Schaerbeek" not in page


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_commune_results_in_four_languages(client, demo, lang, app):
    page = html(client.get(f"/{lang}/search?commune=21015"))
    covering, elsewhere = covering_and_elsewhere(page)
    assert len(covering) == 4 and elsewhere and set(covering).isdisjoint(elsewhere)
    with app.test_request_context(f"/{lang}/"):
        from flask import g
        from flask_babel import gettext, ngettext, refresh
        g.lang = lang
        refresh()
        assert ngettext("%(num)d service serves residents of %(commune)s.",
                        "%(num)d services serve residents of %(commune)s.", 4,
                        commune="Schaerbeek" if lang != "nl" else "Schaarbeek") in page
        assert gettext("Skip to the results") in page


def test_search_by_commune_code_and_by_position(client, demo):
    by_code = html(client.get("/en/search?commune=21015"))
    assert "For residents of Schaerbeek" in by_code
    near = html(client.get("/en/search?near=50.8503,4.3517", follow_redirects=True))  # in Brussels
    assert "Mediation in Brussels" in near
    assert "You are in Brussels." in near
    assert covering_and_elsewhere(near)[0]


def test_near_me_names_the_commune_and_puts_its_service_first(client, demo):
    page = html(client.get("/en/search?near=50.8535,4.3745", follow_redirects=True))
    assert "You are in Saint-Josse-ten-Noode (approximate)." in page
    assert '<a href="#q">Change</a>' in page
    covering, _ = covering_and_elsewhere(page)
    assert covering == [demo["demo-zone-bruxelles-nord-mediation-sac"]]


def test_a_service_at_its_commune_point_shows_no_metres(client, demo):
    """Every demo service is kept at its commune's point: none reads "50 m away"."""
    for query in ("near=50.8535,4.3745", "commune=21015", "commune=52011", "near=50.41,4.444"):
        page = html(client.get(f"/en/search?{query}", follow_redirects=True))
        assert not re.search(r"\d m away", page), query
    page = html(client.get("/en/search?commune=52011"))  # Charleroi
    assert "About " in page and " km away" in page


def test_shared_postal_code_asks_which_commune(client, demo):
    page = html(client.get("/en/search?q=1040"))
    assert "Which one did you mean?" in page
    assert "/en/search?commune=21004" in page and "/en/search?commune=21005" in page
    assert not result_ids(page)


def test_typo_without_exact_match_offers_choices_or_resolves(client, demo):
    page = html(client.get("/en/search?q=Schaarbek"))
    assert "Schaerbeek" in page


def test_unknown_place_says_so_plainly(client, demo):
    page = html(client.get("/en/search?q=Atlantis%20City"))
    assert "We found no Belgian commune for “Atlantis City”" in page
    assert 'value="Atlantis City"' in page  # what was typed is kept


def test_commune_without_services_says_so_and_gives_the_next_steps(client, demo, app):
    with app.app_context():
        covered = set(db.session.scalars(db.select(ServiceArea.refnis)))
    assert "85009" not in covered  # Etalle has no demo service
    page = html(client.get("/en/search?commune=85009"))
    assert "We know of no service for residents of Etalle." in page
    covering, elsewhere = covering_and_elsewhere(page)
    assert not covering and elsewhere  # the nearest others, folded apart
    assert "Neighbourhood mediation: no service known for residents of Etalle" in page
    assert "Ask the commune administration or the CPAS of Etalle" in page
    assert "SAC mediation: no service known for sanctions imposed by Etalle" in page
    assert "School mediation: no service known for residents of Etalle" in page
    assert 'href="https://www.enseignement.be/"' in page  # Wallonia: the French Community


@pytest.mark.parametrize("url", [
    "/fr/search?q=amende+SAC+Uccle",
    "/nl/search?q=GAS-boete+Ukkel",
    "/de/search?q=Verwaltungssanktion+Uccle",
    "/en/search?q=SAC+fine+Uccle",
    "/en/search?commune=21016&type=sac",
])
def test_an_sac_search_offers_no_other_communes_service(client, demo, url):
    """SAC mediation belongs to the sanctioning commune: nothing nearby is offered instead."""
    page = html(client.get(url))
    assert not result_ids(page)
    assert '<option selected value="sac">' in page
    assert 'id="next-sac"' in page and 'id="elsewhere"' not in page
    assert 'value="Uccle"' in page or 'value="Ukkel"' in page


def test_the_next_step_for_sac_in_french(client, demo):
    page = html(client.get("/fr/search?q=amende+SAC+Uccle"))
    assert "Médiation à Uccle" in page
    assert "fonctionnaire sanctionnateur" in page


@pytest.mark.parametrize("commune, bodies", [
    ("63023", ["ostbelgienbildung.be", "enseignement.be"]),  # Eupen
    ("21009", ["enseignement.be", "onderwijs.vlaanderen.be"]),  # Ixelles
    ("44021", []),  # Gent has a school mediation service
    ("71016", ["onderwijs.vlaanderen.be"]),  # Genk
])
def test_the_next_step_for_school_names_the_communities(client, demo, commune, bodies):
    page = html(client.get(f"/en/search?commune={commune}&type=school"))
    found = re.findall(r'href="https://(?:www\.)?([a-z.]+)/" rel="external"', page)
    assert found == bodies


def test_a_situation_without_a_place_asks_for_the_commune_with_the_kind_kept(client, demo):
    page = html(client.get("/nl/search?q=GAS-boete+mijn+zoon"))
    assert 'id="asks-commune"' in page and '<option selected value="sac">' in page
    assert not result_ids(page)
    page = html(client.get("/en/search?q=noisy+neighbours"))
    assert "In which commune do you live?" in page
    assert '<option selected value="neighbourhood">' in page
    assert "We found no Belgian commune" not in page


def test_the_kind_understood_is_removable(client, demo):
    page = html(client.get("/en/search?q=burenruzie+Gent"))
    assert '<option selected value="neighbourhood">' in page
    assert 'value="Gent"' in page
    assert 'href="/en/search?q=Gent">Show every kind of mediation</a>' in page
    # Chosen explicitly, a kind wins over the words typed.
    page = html(client.get("/en/search?q=burenruzie+Gent&type=school"))
    assert '<option selected value="school">' in page


@pytest.mark.parametrize(
    "query, message",
    [("commune=99999", "This commune code is unknown."),
     ("commune=abc", "This commune code is unknown."),
     ("near=abc", "This position is not in Belgium."),
     ("near=48.8,2.3", "This position is not in Belgium."),
     ("page=0", "The page number must be a whole number from 1 to 1000"),
     ("q=Gent&page=abc", "The page number must be a whole number from 1 to 1000"),
     ("q=Gent&page=99999999999999999999", "The page number must be a whole number"),
     ("commune=21004&page=-3", "The page number must be a whole number"),
     ("near=50.85,4.35&page=1e9", "The page number must be a whole number"),
     ("q=Gent&type=bogus", "This type of mediation is unknown: all types are shown."),
     ("q=Gent&language=xx", "This language is unknown: all languages are shown."),
     ("q=" + "x" * 101, "Field cannot be longer than 100 characters."),
     ("q=Gent%00%01", "This text contains invisible control characters.")],
)
def test_bad_search_parameters_get_a_message_not_an_error(client, query, message):
    response = client.get(f"/en/search?{query}")
    assert response.status_code == 200
    assert message in html(response)


def test_type_and_language_filters(client, demo, app):
    page = html(client.get("/en/search?commune=21015&type=sac"))
    ids = result_ids(page)
    with app.app_context():
        assert ids and all("sac" in db.session.get(Service, i).type_codes for i in ids)
    page = html(client.get("/en/search?commune=63023&language=de"))
    with app.app_context():
        assert all("de" in db.session.get(Service, i).languages for i in result_ids(page))
    # Each line says which languages are spoken; the filter in use stays unfolded.
    assert page.count("Languages spoken: ") == len(result_ids(page)) > 0
    assert "German" in page.split('class="languages"')[1].split("</p>")[0]
    assert re.search(r'<details class="filters" id="filters" open>\s*<summary>Filters '
                     r'<span class="muted">\(1 active\)</span>', page)
    page = html(client.get("/nl/search?commune=63023"))
    assert '<details class="filters" id="filters">' in page  # folded: no filter set
    assert "Gesproken talen: " in page


def test_pagination_keeps_the_query(client, demo):
    """A position in no commune (here just over the border) lists the nearest, page by page."""
    first = html(client.get("/en/search?near=49.6,2.5"))
    assert "Mediation services nearest to your position" in first
    assert 'rel="next" href="/en/search?near=49.6,2.5&amp;page=2"' in first
    second = html(client.get("/en/search?near=49.6,2.5&page=2"))
    assert set(result_ids(first)).isdisjoint(result_ids(second))


def test_service_page_shows_how_to_reach_the_service(client, demo, app):
    service_id = demo["demo-schaerbeek-mediation-locale"] if "demo-schaerbeek-mediation-locale" in demo \
        else next(iter(demo.values()))
    response = client.get(f"/en/services/{service_id}")
    assert response.status_code == 200
    page = html(response)
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert f'href="tel:{service.phone}"' in page
        assert f'href="mailto:{service.email}"' in page
        for area in service.areas:
            assert f'href="/en/communes/{area.refnis}"' in page
    assert "demonstration data" in page and 'class="demo-badge"' in page
    assert "Report an error" in page and 'name="csrf_token"' not in page  # CSRF off in tests
    assert "Opening hours" in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert ld["@type"] == "GovernmentService" and ld["areaServed"]


def test_an_address_with_a_name_redirects_once_to_the_canonical_one(client, demo):
    service_id = next(iter(demo.values()))
    for slug in ("wrong-slug", "mediation-de-quartier-de-gand"):
        response = client.get(f"/fr/services/{service_id}/{slug}")
        assert response.status_code == 301
        assert response.headers["Location"] == f"/fr/services/{service_id}"
        assert client.get(response.headers["Location"]).status_code == 200


def test_unknown_or_unpublished_service_is_a_404(client, demo, app):
    assert client.get("/fr/services/999999").status_code == 404
    for huge in ("2147483648", "9223372036854775808", "99999999999999999999"):
        assert client.get(f"/fr/services/{huge}").status_code == 404
        assert client.get(f"/fr/services/{huge}/slug").status_code == 404
        assert client.post(f"/fr/services/{huge}/report", data={}).status_code in (400, 404)
    service_id = next(iter(demo.values()))
    with app.app_context():
        db.session.get(Service, service_id).status = ServiceStatus.pending
        db.session.commit()
    assert client.get(f"/fr/services/{service_id}").status_code == 404


def test_fallback_text_carries_its_language(client, app, demo):
    service_id = next(iter(demo.values()))
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.description_de = ""
        service.description_fr = "Texte uniquement en français."
        db.session.commit()
    page = html(client.get(f"/de/services/{service_id}"))
    assert '<p class="description" lang="fr">Texte uniquement en français.</p>' in page


def test_error_report_is_stored_and_thanked(client, demo, app):
    service_id = next(iter(demo.values()))
    response = client.post(f"/en/services/{service_id}/report", data={
        "message": "The phone number no longer answers.", "email": "citizen@example.org"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#report")
    page = html(client.get(response.headers["Location"]))
    # The thanks are where the browser lands, in the report section, not at the top.
    section = page.split('id="report"')[1]
    assert '<p class="flash flash-success" role="status">Thank you.' in section
    assert page.count("Thank you.") == 1
    with app.app_context():
        report = db.session.scalar(db.select(ErrorReport))
        assert (report.service_id, report.reporter_email, report.language) == (
            service_id, "citizen@example.org", "en")
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="error_report.created"))


@pytest.mark.parametrize(
    "data, message",
    [({"message": "short"}, "Please write between 10 and 2000 characters."),
     ({"message": "x" * 2001}, "Please write between 10 and 2000 characters."),
     ({"message": "A long enough message.", "email": "not-an-address"},
      "This e-mail address does not look valid.")],
)
def test_error_report_validation_keeps_what_was_typed(client, demo, app, data, message):
    service_id = next(iter(demo.values()))
    response = client.post(f"/en/services/{service_id}/report", data=data)
    assert response.status_code == 400
    page = html(response)
    assert message in page
    assert data["message"][:50] in page
    # Back at the form (the action carries #report), problems summed up, each linked to its field.
    assert f'action="/en/services/{service_id}/report#report"' in page
    summary = page.split('<div class="error-summary" role="alert">')[1].split("</div>")[0]
    field = "email" if "email" in data else "message"
    assert f'<a href="#{field}">{message}</a>' in summary
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ErrorReport)) == 0


def test_error_report_counts_a_line_break_once(client, demo, app):
    """Browsers send CRLF but let 2,000 characters with line breaks through their maxlength."""
    service_id = next(iter(demo.values()))
    text = ("x" * 99 + "\r\n") * 20  # 2,000 characters as typed, 2,020 bytes as sent
    response = client.post(f"/en/services/{service_id}/report", data={"message": text})
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(db.select(ErrorReport.message))
    assert stored == (("x" * 99 + "\n") * 20).strip()


def test_report_address_reloaded_leads_back_to_the_form(client, demo):
    service_id = next(iter(demo.values()))
    response = client.get(f"/en/services/{service_id}/report")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/en/services/{service_id}#report"
    assert client.get("/en/services/999999/report").status_code == 404


def test_error_report_honeypot_stores_nothing(client, demo, app):
    service_id = next(iter(demo.values()))
    client.post(f"/en/services/{service_id}/report",
                data={"message": "Buy cheap things here now.", "website": "http://spam.example"})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ErrorReport)) == 0


def _app_with(app, **config):
    base = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY")}
    return create_app({"TESTING": True, "ENV_NAME": "testing", **base, **config})


@pytest.mark.parametrize("storage", ["memory://", "redis"])
def test_error_reports_are_rate_limited(app, demo, storage):
    if storage == "redis":
        storage = os.environ.get("MEDIATION_TEST_REDIS_URL")
        if not storage:
            pytest.skip("MEDIATION_TEST_REDIS_URL is not set")
        import redis

        redis.Redis.from_url(storage).flushdb()
    limited = _app_with(app, WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True,
                        RATELIMIT_STORAGE_URI=storage)
    client = limited.test_client()
    service_id = next(iter(demo.values()))
    url = f"/en/services/{service_id}/report"
    # Messages refused for their length use up nothing: someone fixing a typo is not blocked.
    assert [client.post(url, data={"message": "Short"}).status_code for _ in range(6)] == [400] * 6
    sent = [client.post(url, data={"message": f"The phone number is wrong ({i})."}).status_code
            for i in range(5)]
    assert sent == [302] * 5
    last = "The opening hours changed in September."
    response = client.post(url, data={"message": last})
    assert response.status_code == 429
    page = html(response)
    assert "You have sent several reports in a short time." in page
    assert f"{last}</textarea>" in page  # what was typed is kept
    with limited.app_context():
        assert db.session.scalar(db.select(db.func.count(ErrorReport.id))) == 5


def test_commune_page(client, demo):
    page = html(client.get("/nl/communes/62063"))
    assert "<h1 id=\"commune-title\">Luik</h1>" in page
    assert '<span lang="fr">Liège</span>' in page and '<span lang="de">Lüttich</span>' in page
    assert "4000" in page and "Provincie Luik" in page
    assert re.search(r"\d+ diensten? (is|zijn) er voor de inwoners van Luik\.", page)
    assert client.get("/nl/communes/99999").status_code == 404
    assert client.get("/nl/communes/abc").status_code == 404


def test_the_commune_page_lists_by_kind_only_the_services_serving_its_residents(client, demo):
    """Brussels: its own services by kind, the others folded apart, as the search gives them."""
    page = html(client.get("/en/communes/21004"))
    search = html(client.get("/en/search?commune=21004"))
    covering, elsewhere = covering_and_elsewhere(page)
    assert covering and covering == covering_and_elsewhere(search)[0]
    assert not set(covering) & set(elsewhere)
    assert elsewhere == covering_and_elsewhere(search)[1]
    kinds = re.findall(r'<h3 class="kind-title" id="kind-(\w+)">', page)
    assert kinds == re.findall(r'<h3 class="kind-title" id="kind-(\w+)">', search)
    assert "Covers Brussels" not in page  # the heading says whom the list serves
    count = len(covering)
    expected = "1 service serves" if count == 1 else f"{count} services serve"
    assert f"{expected} residents of Brussels." in page
    assert "Elsewhere nearby — they may not serve residents of Brussels" in page
    for code in re.findall(r'id="next-(\w+)"', search):
        assert f'id="next-{code}"' in page


def test_the_commune_page_without_services_gives_the_next_step_per_kind(client, demo):
    page = html(client.get("/fr/communes/85009"))  # Etalle
    covering, elsewhere = covering_and_elsewhere(page)
    assert not covering and elsewhere
    assert "Nous ne connaissons aucun service pour les habitants d’Etalle." in page  # elided
    assert 'id="next-neighbourhood"' in page and 'id="next-sac"' in page
    assert 'id="next-school"' in page and 'href="https://www.enseignement.be/"' in page
    assert 'href="/fr/communes/85009#contact-title"' in page
    assert 'id="contact-title"' in page


@pytest.mark.parametrize("url, said", [
    ("/fr/search?commune=61003", "Nous ne connaissons aucun service pour les habitants d’Amay."),
    ("/fr/communes/61003", "Nous ne connaissons aucun service pour les habitants d’Amay."),
    ("/fr/search?commune=21009", "Pour les habitants d’Ixelles"),
    ("/fr/search?commune=62063", "Pour les habitants de Liège"),
    ("/nl/search?commune=61003", "Voor de inwoners van Amay"),
])
def test_french_elides_before_a_communes_vowel(client, demo, url, said):
    page = html(client.get(url))
    assert said in page
    assert not re.search(r"\bde [AEIOUY]", page)


@pytest.mark.parametrize("page", ["about", "accessibility", "privacy", "open-data"])
def test_statements_exist(client, page):
    response = client.get(f"/en/{page}")
    assert response.status_code == 200
    assert "<h1>" in html(response)


def test_the_chosen_language_is_remembered(client):
    assert "Set-Cookie" not in client.get("/de/").headers  # a link followed is no choice
    response = client.get("/de/about", headers={"Referer": "http://localhost/fr/about"})
    assert "lang=de" in response.headers["Set-Cookie"]
    assert client.get("/").headers["Location"].endswith("/de/")


def test_map_assets_fall_back_to_packaged_copies(client):
    page = html(client.get("/fr/"))
    assert "/vendor/leaflet/leaflet.js" in page
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/vendor/leaflet_markercluster/leaflet.markercluster.js").status_code == 200
    assert client.get("/vendor/other/x.js").status_code == 404


def test_cdn_assets_carry_subresource_integrity(app):
    cdn = _app_with(app, LEAFLET_ASSETS="cdn")
    page = html(cdn.test_client().get("/fr/"))
    # static/js/leaflet-loader.js loads them, with their integrity, when the map is to be seen.
    assets = json.loads(htmllib.unescape(re.search(r'data-assets="([^"]+)"', page).group(1)))
    for asset in assets["css"] + assets["js"]:
        assert asset["url"].startswith("https://unpkg.com/")
        assert asset["integrity"].startswith("sha384-")
        assert re.fullmatch(r"/vendor/leaflet(_markercluster)?/[\w./-]+\?v=[0-9a-f]{16}",
                            asset["fallback"])
    policy = cdn.test_client().get("/fr/").headers["Content-Security-Policy"]
    assert "script-src 'self' https://unpkg.com" in policy


def test_bad_page_or_filter_values_are_said_and_not_used(client, demo):
    """One clear message per bad value, and the results as if it had not been given."""
    page = html(client.get("/en/search?q=Gent&type=bogus&page=abc"))
    assert page.count('class="error"') == 2
    assert result_ids(page) == result_ids(html(client.get("/en/search?q=Gent")))


def test_a_page_past_the_last_says_so(client, demo):
    page = html(client.get("/en/search?near=49.6,2.5&page=50"))
    assert "There is no page 50: these results fit on 4 pages." in page
    assert 'href="/en/search?near=49.6,2.5&amp;page=1">Go to the first page</a>' in page
    assert "Page 50 of" not in page and not result_ids(page)


def test_filters_that_find_nothing_say_so_and_offer_every_service(client, demo):
    page = html(client.get("/en/search?q=Gent&language=pl"))
    assert not result_ids(page)
    assert "No service matches your filters." in page
    assert 'href="/en/search?q=Gent">Show every service</a>' in page
    assert "We know of no service" not in page  # Gent has services


def test_no_covering_service_of_the_kind_says_so_for_that_kind(client, demo):
    page = html(client.get("/en/search?commune=63023&type=school"))
    assert "School mediation: no service known for residents of Eupen" in page
    covering, elsewhere = covering_and_elsewhere(page)
    assert not covering and elsewhere  # school services elsewhere, folded apart


def test_the_language_filter_offers_the_languages_services_speak(client, demo, app):
    page = html(client.get("/en/"))
    options = re.findall(r'<option[^>]*value="([a-z]*)"', page.split('name="language"')[1]
                         .split("</select>")[0])
    with app.app_context():
        spoken = {code for s in db.session.scalars(db.select(Service)) for code in s.languages}
    assert set(options) == {""} | spoken
    assert "pl" not in options  # no demo service speaks Polish
    # Asked for anyway (an old link): kept, said to find nothing, not refused.
    page = html(client.get("/en/search?commune=21015&language=pl"))
    assert '<option selected value="pl">Polish</option>' in page
    assert "No service matches your filters." in page


def test_blank_search_is_no_search(client, demo):
    for blank in ("%20%20%20", "%09", "+"):
        page = html(client.get(f"/en/search?q={blank}"))
        assert "We found no Belgian commune" not in page and not result_ids(page)
        assert 'class="error"' not in page
    # Inner spaces typed twice are one: the text shown back is tidy.
    page = html(client.get("/en/search?q=%20Sint-Niklaas%20%20"))
    assert 'value="Sint-Niklaas"' in page


@pytest.mark.parametrize("query, commune, village",
                         [("Molenbeek", "21012", "24008"), ("Berchem", "21003", "11002")])
def test_a_village_named_like_a_commune_asks_which_one_commune_first(client, demo, query,
                                                                       commune, village):
    page = html(client.get(f"/en/search?q={query}"))
    assert "Which one did you mean?" in page
    assert page.index(f"/en/search?commune={commune}") < page.index(f"/en/search?commune={village}")
    assert not result_ids(page)


def test_a_street_address_finds_its_commune_not_a_postal_code(client, demo):
    page = html(client.get("/en/search?q=Rue%20Haute%2012%20Bruxelles"))
    assert "Which one did you mean?" not in page
    assert "We found no Belgian commune" not in page
    assert "commune=21018" not in page and "commune=21014" not in page  # not 1200, 1210
    assert result_ids(page) == result_ids(html(client.get("/en/search?commune=21004")))


def test_a_name_and_a_postal_code_that_disagree_ask_which_one(client, demo):
    page = html(client.get("/en/search?q=Gent%201000"))
    assert "Which one did you mean?" in page
    assert "/en/search?commune=44021" in page and "/en/search?commune=21004" in page


def test_punctuation_alone_is_no_search(client, demo):
    for text in ("---", "%3F!", "%E2%80%99"):
        page = html(client.get(f"/en/search?q={text}"))
        assert "We found no Belgian commune" not in page and not result_ids(page), text


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
@pytest.mark.parametrize("query", ["q=Nieuwkerken-Waas", "commune=46021&place=Nieuwkerken-Waas"])
def test_a_village_chosen_is_confirmed_on_the_results(client, app, lang, query):
    from support import translated

    page = html(client.get(f"/{lang}/search?{query}"))
    assert translated(app, lang, "%(place)s is part of %(commune)s.",
                      place="Nieuwkerken-Waas", commune="Sint-Niklaas") in page


@pytest.mark.parametrize("place", ["Paris", "Laeken", "Sint-Niklaas", "x" * 500, "\x00", ""])
def test_a_place_not_of_the_commune_is_not_confirmed(client, place):
    response = client.get("/en/search", query_string={"commune": "46021", "place": place})
    assert response.status_code == 200
    assert 'class="part-of"' not in html(response)


def test_the_suggestions_rank_the_likely_commune_first(client):
    results = client.get("/api/v1/communes?q=Anderl&lang=fr").get_json()["results"]
    assert [r["name"] for r in results[:2]] == ["Anderlecht", "Anderlues"]
