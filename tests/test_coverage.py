"""Coverage of the communes (public page, admin view, CSV) and likely duplicates."""

import csv
import io
import re

import pytest

from support import COMMUNE_A, COMMUNE_B, service_fields
from mediation.directory.reading.duplicates import likely_duplicates
from mediation.directory.fields import apply_fields, fields_of
from mediation.directory.moderation import save
from mediation.extensions import db
from mediation.models import (
    Commune,
    Organization,
    OrganizationKind,
    Province,
    Service,
    ServiceStatus,
    User,
)

HERSTAL, SERAING, NAMUR, EVERE = "62051", "62096", "92094", "21006"
KINDS = ("neighbourhood", "community", "sac", "school", "other")


def html(response):
    return response.get_data(as_text=True)


@pytest.fixture
def make_shared(app):
    """A service of an intercommunal association: make_shared([refnis...], "published", types)."""

    def make(communes, status="published", types=("sac",)) -> int:
        with app.app_context():
            organization = Organization(kind=OrganizationKind.intercommunal,
                                        name_fr="Intercommunale de médiation")
            db.session.add(organization)
            db.session.flush()
            service = Service(status=ServiceStatus(status))
            fields = service_fields(communes[0], organization.id, communes=list(communes),
                                    types=list(types))
            with db.session.no_autoflush:
                apply_fields(service, fields)
            service.name_fr = f"Médiation intercommunale {organization.id}"
            db.session.add(service)
            db.session.commit()
            return service.id

    return make


@pytest.fixture
def landscape(app, make_service, make_shared):
    """Schaerbeek runs its own; Liège's own also covers Herstal; an intercommunal SAC service
    covers Liège, Herstal and Seraing; an intercommunal serves Evere alone; Namur's awaits
    review."""
    make_service(COMMUNE_A, "published", types=["neighbourhood"])
    make_service(COMMUNE_B, "published", types=["community"], communes=[COMMUNE_B, HERSTAL])
    make_shared([COMMUNE_B, HERSTAL, SERAING], types=("sac",))
    make_shared([EVERE], types=("neighbourhood",))
    make_service(NAMUR, "pending", types=["neighbourhood"])


def expected_states(kind=None) -> dict[str, str]:
    """Each active commune's state, computed from the tables in the plainest way."""
    published = db.session.scalars(db.select(Service).where(
        Service.status == ServiceStatus.published)).all()
    states = {refnis: "none" for refnis in db.session.scalars(
        db.select(Commune.refnis).where(Commune.active))}
    for service in published:
        if kind and kind not in service.type_codes:
            continue
        for area in service.areas:
            own = service.organization.refnis == area.refnis or len(service.areas) == 1
            if own:
                states[area.refnis] = "own"
            elif states[area.refnis] == "none":
                states[area.refnis] = "shared"
    return states


def page_counts(page: str, area: str) -> dict[str, int]:
    row = re.search(rf'<tr data-area="{re.escape(area)}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    return {state: int(n) for state, n in re.findall(r'<td data-state="(\w+)">(\d+)</td>', row)}


def tally(states: dict[str, str], refnis_set=None) -> dict[str, int]:
    counts = {"own": 0, "shared": 0, "none": 0}
    for refnis, state in states.items():
        if refnis_set is None or refnis in refnis_set:
            counts[state] += 1
    return counts


# --- Public page ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", [None, *KINDS])
def test_counts_match_the_database(client, app, landscape, kind):
    page = html(client.get(f"/en/coverage?kind={kind or ''}"))
    with app.app_context():
        states = expected_states(kind)
        assert page_counts(page, "country:") == tally(states)
        for code in db.session.scalars(db.select(Province.code)):
            members = set(db.session.scalars(db.select(Commune.refnis).where(
                Commune.province_code == code, Commune.active)))
            assert page_counts(page, f"province:{code}") == tally(states, members), code
        brussels = set(db.session.scalars(db.select(Commune.refnis).where(
            Commune.region_code == "04000")))
        assert page_counts(page, "region:04000") == tally(states, brussels)
    assert sum(page_counts(page, "country:").values()) == 565


def test_each_commune_has_the_state_its_services_give(client, landscape):
    page = html(client.get("/en/coverage?area=all"))

    def row(refnis):
        return re.search(rf'<tr data-refnis="{refnis}"[^>]*data-state="(\w+)"', page).group(1)

    assert row(COMMUNE_A) == "own"  # its commune's own service
    assert row(COMMUNE_B) == "own"
    assert row(HERSTAL) == "shared"  # Liège's service and an intercommunal one
    assert row(SERAING) == "shared"
    assert row(EVERE) == "own"  # an intercommunal service covering Evere alone
    assert row(NAMUR) == "none"  # awaiting review: not public, not counted
    sac = html(client.get("/en/coverage?kind=sac&area=all"))
    assert re.search(rf'<tr data-refnis="{COMMUNE_B}"[^>]*data-state="shared"', sac)
    assert re.search(rf'<tr data-refnis="{COMMUNE_A}"[^>]*data-state="none"', sac)


def listed(page: str) -> list[str]:
    return re.findall(r'<tr data-refnis="(\d+)"', page)


def map_dots(client, path: str) -> dict[str, int]:
    """The communes the map image draws, per state (one path per state, one arc pair each)."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    image = html(response)
    dots = {state: (int(n), d.count("M")) for state, n, d in re.findall(
        r'<path data-state="(\w+)" data-communes="(\d+)"[^>]* d="([^"]*)"', image)}
    assert all(n == drawn for n, drawn in dots.values()), dots
    return {state: n for state, (n, _) in dots.items()}


def test_the_map_image_shows_what_the_table_lists(client, app, landscape):
    page = html(client.get("/en/coverage"))
    image = re.search(r'<img class="coverage-map" id="coverage-map" src="([^"]+)" alt="([^"]+)"',
                      page)
    assert image and "<script" not in page  # an image, and no script to draw it
    with app.app_context():
        states = tally(expected_states())
        sac = tally(expected_states("sac"))
    assert f"{states['own']} with a service of their own" in image.group(2)
    assert map_dots(client, image.group(1)) == {s: n for s, n in states.items() if n}
    assert map_dots(client, "/en/coverage.svg?kind=sac") == {s: n for s, n in sac.items() if n}
    assert map_dots(client, "/en/coverage.svg?kind=nonsense") == map_dots(client, image.group(1))
    response = client.get("/en/coverage.svg?kind=sac")
    again = client.get("/en/coverage.svg?kind=sac",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_communes_are_listed_one_province_at_a_time(client, landscape):
    page = html(client.get("/nl/coverage"))
    assert listed(page) == []  # the country's 565 rows wait for a choice
    areas = re.findall(r'<a href="/nl/coverage\?area=(\d+)#coverage-communes-title"', page)
    assert len(areas) == len(set(areas)) == 11  # ten provinces and Brussels
    assert "/nl/coverage?area=all#coverage-communes-title" in page
    seen = []
    for code in areas:
        area = html(client.get(f"/nl/coverage?area={code}"))
        assert f'href="/nl/coverage?area={code}#coverage-communes-title" aria-current="page"' \
            in area
        seen += listed(area)
    assert len(seen) == len(set(seen)) == 565
    brussels = listed(html(client.get("/nl/coverage?area=04000")))
    assert COMMUNE_A in brussels and EVERE in brussels and len(brussels) == 19
    only_shared = html(client.get("/en/coverage?state=shared"))
    assert sorted(listed(only_shared)) == sorted([HERSTAL, SERAING])  # a short list: no choice
    assert "4 communes" not in only_shared and "2 communes" in only_shared
    none_in_liege = listed(html(client.get("/en/coverage?state=none&area=60000")))
    assert none_in_liege and HERSTAL not in none_in_liege and COMMUNE_B not in none_in_liege


@pytest.mark.parametrize("query", ["kind=unknown", "state=nonsense", "kind=%00", "state=",
                                   "area=nowhere", "area=%00"])
def test_unknown_choices_are_no_choice(client, landscape, query):
    response = client.get(f"/en/coverage?{query}")
    assert response.status_code == 200
    assert listed(html(response)) == []
    assert len(listed(html(client.get(f"/en/coverage?area=all&{query}")))) == 565


def test_the_csv_matches_the_database(client, app, landscape):
    response = client.get("/fr/coverage.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(html(response))))
    assert len(rows) == 565
    assert set(rows[0]) >= {"refnis", "name_fr", "name_nl", "any_kind", *KINDS}
    with app.app_context():
        assert {r["refnis"]: r["any_kind"] for r in rows} == expected_states()
        for kind in KINDS:
            assert {r["refnis"]: r[kind] for r in rows} == expected_states(kind)


@pytest.mark.parametrize("lang, title", [
    ("fr", "Couverture des communes"), ("nl", "Dekking van de gemeenten"),
    ("de", "Abdeckung der Gemeinden"), ("en", "Coverage of the communes"),
])
def test_the_page_speaks_four_languages(client, landscape, lang, title):
    page = html(client.get(f"/{lang}/coverage"))
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{title}</h1>" in page
    assert re.search(r'hreflang="nl" href="[^"]*/nl/coverage"', page)
    assert f'href="/{lang}/coverage.csv"' in page


def state_on_the_page(client, refnis: str, kind: str = "") -> str:
    """The state the public page lists a commune in (its province's table)."""
    area = html(client.get(f"/en/coverage?kind={kind}&area=all"))
    return re.search(rf'<tr data-refnis="{refnis}"[^>]*data-state="(\w+)"', area).group(1)


def test_the_coverage_follows_every_kind_of_write(client, app, auth, make_service, make_user):
    """Computed once per version of the directory, the page and its map change with each
    approval, archiving, restoring and import."""
    from test_import_export import ROWS, csv_bytes

    service_id = make_service(NAMUR, "pending", types=["neighbourhood"])
    auth.as_admin()
    assert state_on_the_page(client, NAMUR) == "none"
    none_before = map_dots(client, "/en/coverage.svg")["none"]

    client.post("/en/admin/review/decide", data={"items": [f"S{service_id}"],
                                                  "decision": "approve"})
    assert state_on_the_page(client, NAMUR) == "own"
    assert state_on_the_page(client, NAMUR, "neighbourhood") == "own"
    assert state_on_the_page(client, NAMUR, "sac") == "none"
    assert map_dots(client, "/en/coverage.svg")["none"] == none_before - 1

    client.post(f"/en/admin/services/{service_id}/archive",
                data={"reason": "Le service a fermé.", "confirm": "y"})
    assert state_on_the_page(client, NAMUR) == "none"
    assert map_dots(client, "/en/coverage.svg")["none"] == none_before

    client.post(f"/en/admin/services/{service_id}/unarchive")
    assert state_on_the_page(client, NAMUR) == "none"  # restored as a draft: not public yet
    colleague = make_user("collegue@example.be", role="admin")  # nobody reviews their own
    with app.app_context():
        service = db.session.get(Service, service_id)
        save(db.session.get(User, colleague), service, fields_of(service), submit=True,
             opened_stamp=str(service.version))
    client.post("/en/admin/review/decide", data={"items": [f"S{service_id}"],
                                                  "decision": "approve"})
    assert state_on_the_page(client, NAMUR) == "own"

    assert state_on_the_page(client, COMMUNE_A) == "none"
    client.post("/en/admin/import", data={"file": (io.BytesIO(csv_bytes(ROWS[:1])), "list.csv")},
                content_type="multipart/form-data")
    assert client.post("/en/admin/import/confirm").status_code == 302
    assert state_on_the_page(client, COMMUNE_A) == "own"
    assert state_on_the_page(client, COMMUNE_A, "neighbourhood") == "own"
    assert map_dots(client, "/en/coverage.svg")["none"] == none_before - 2
    with app.app_context():
        expected = tally(expected_states())
    assert page_counts(html(client.get("/en/coverage")), "country:") == expected


# --- Admin view ----------------------------------------------------------------------------

def test_the_admin_view_is_for_admins_only(client, auth):
    assert "/account/login" in client.get("/en/admin/coverage").headers["Location"]
    auth.as_editor()
    assert client.get("/en/admin/coverage").status_code == 403
    assert client.get("/en/admin/coverage.csv").status_code == 403


def test_a_limited_admin_sees_the_communes_of_their_province(client, app, auth, landscape):
    user_id = auth.as_admin()
    with app.app_context():
        db.session.get(User, user_id).provinces = [db.session.get(Province, "60000")]
        db.session.commit()
        liege = set(db.session.scalars(db.select(Commune.refnis).where(
            Commune.province_code == "60000")))
        expected = tally(expected_states(), liege)
    page = html(client.get("/en/admin/coverage"))
    assert page_counts(page, "country:") == expected
    assert set(re.findall(r'<tr data-refnis="(\d+)"', page)) == liege
    rows = list(csv.DictReader(io.StringIO(html(client.get("/en/admin/coverage.csv")))))
    assert {r["refnis"] for r in rows} == liege


def test_the_dashboard_count_of_uncovered_communes_leads_to_them(client, app, auth, landscape):
    auth.as_admin()
    dashboard = html(client.get("/en/admin/"))
    link = re.search(r'<a href="([^"]*coverage\?state=none&amp;area=all)"><strong>(\d+)</strong>',
                     dashboard)
    assert link, dashboard
    listed = html(client.get(link.group(1).replace("&amp;", "&")))
    assert len(re.findall(r'<tr data-refnis=', listed)) == int(link.group(2))
    with app.app_context():
        assert int(link.group(2)) == tally(expected_states())["none"]
    assert 'href="/en/admin/coverage"' in dashboard  # in the admin menu


# --- Likely duplicates ---------------------------------------------------------------------

def fields_like(app, service_id, **changes) -> dict:
    with app.app_context():
        fields = fields_of(db.session.get(Service, service_id))
    fields.update(changes)
    return fields


def names(app, found):
    with app.app_context():
        return [s.id for s in found]


@pytest.mark.parametrize("name, street, communes, duplicate", [
    ("Médiation Schaerbeek", "Rue Autre", [COMMUNE_A], True),  # a similar name
    ("Service de médiation de Schaerbeek", "Rue Autre", [COMMUNE_A], True),
    ("Médiation SAC", "Place Colignon", [COMMUNE_A], True),  # the same address
    ("Médiation SAC", "Rue Autre", [COMMUNE_A], False),
    ("Médiation Schaerbeek", "Place Colignon", [COMMUNE_B], False),  # another commune
])
def test_likely_duplicates(app, make_service, name, street, communes, duplicate):
    existing = make_service(COMMUNE_A, "published")  # "Médiation Schaerbeek (fr)", Place Colignon 1
    fields = fields_like(app, existing, communes=communes)
    fields["texts"]["name"] = {"fr": name, "nl": "", "de": "", "en": ""}
    fields["location"] = dict(fields["location"], street=street)
    with app.app_context():
        found = [s.id for s in likely_duplicates(fields, exclude_id=None)]
        assert found == ([existing] if duplicate else [])
        assert likely_duplicates(fields, exclude_id=existing) == []


def test_drafts_and_archived_services_are_no_duplicates(app, make_service):
    draft = make_service(COMMUNE_A, "draft")
    archived = make_service(COMMUNE_A, "archived")
    fields = fields_like(app, draft)
    with app.app_context():
        assert likely_duplicates(fields, exclude_id=None) == []
    assert archived


def submitted_form(**changes):
    data = {
        "organization": f"commune:{COMMUNE_A}",
        "name_fr": "Médiation de Schaerbeek", "description_fr": "Conflits de voisinage.",
        "name_nl": "Bemiddeling Schaarbeek", "description_nl": "Burenruzies.",
        "types": ["neighbourhood"], "communes": [COMMUNE_A], "languages": ["fr", "nl"],
        "update_interval_months": "6", "phone": "02 555 01 23",
        "email": "mediation@schaerbeek.be", "street": "Rue de la Poste", "number": "9",
        "postal_code": "1030", "action": "submit",
    }
    data.update(changes)
    return data


def test_the_form_warns_of_a_likely_duplicate_but_saves(client, app, auth, make_service):
    existing = make_service(COMMUNE_A, "published")
    auth.as_editor()
    response = client.post("/en/manage/services/new", data=submitted_form())
    assert response.status_code == 302, html(response)
    page = html(client.get(response.headers["Location"]))
    assert "Is this the same service as Médiation Schaerbeek (fr)?" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Service.id))) == 2
    assert existing


def test_no_warning_for_a_different_service(client, app, auth, make_service):
    make_service(COMMUNE_A, "published")
    auth.as_editor()
    response = client.post("/en/manage/services/new", data=submitted_form(
        name_fr="Médiation SAC pour mineurs", name_nl="GAS-bemiddeling voor minderjarigen"))
    page = html(client.get(response.headers["Location"]))
    assert "Is this the same service" not in page


def test_editing_warns_only_of_duplicates_the_change_adds(client, app, auth, make_service):
    first = make_service(COMMUNE_A, "published")
    second = make_service(COMMUNE_A, "published")  # same name and address from the start
    auth.as_editor()
    url = f"/en/manage/services/{second}/edit"
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', html(client.get(url))).group(1)
    response = client.post(url, data=submitted_form(
        stamp=stamp, name_fr="Médiation Schaerbeek (fr)", street="Place Colignon", number="1",
        description_fr="Autre texte"))
    assert response.status_code == 302, html(response)
    assert "Is this the same service" not in html(client.get(url))
    assert first
