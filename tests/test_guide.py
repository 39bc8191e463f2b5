"""The guide "Which mediation do I need?": situations, the kind each calls for, and a search."""

import re
from html import unescape

import pytest
from support import translated

from mediation.directory.demo import seed_demo
from mediation.public.guide import BODIES, SITUATIONS

LANGS = ["fr", "nl", "de", "en"]


def html(response):
    return response.get_data(as_text=True)



def search_links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a class="button" href="([^"]+)"', page)]


@pytest.mark.parametrize("lang", LANGS)
def test_the_guide_shows_each_situation_in_three_lines_with_a_search(client, app, lang):
    response = client.get(f"/{lang}/guide")
    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{translated(app, lang, 'Which mediation do I need?')}</h1>" in page
    for situation in SITUATIONS:
        section = page.split(f'id="{situation.code}"', 1)[1].split("</section>", 1)[0]
        assert len(re.findall(r"<li>", section.split("</ul>", 1)[0])) == 3
    kinds = [s.kind for s in SITUATIONS if s.kind]
    assert search_links(page) == [f"/{lang}/search?type={kind}" for kind in kinds]
    assert kinds == ["neighbourhood", "sac", "school", "community"]


@pytest.mark.parametrize("lang", LANGS)
def test_something_else_links_out_to_the_competent_bodies(client, lang):
    page = html(client.get(f"/{lang}/guide"))
    other = page.split('id="other"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="(https://[^"]+)" rel="external">', other)
    assert links == [body.url(lang) for body in BODIES] and len(links) == 3
    assert 'class="button"' not in other  # no local service: no search


def test_the_guide_keeps_the_commune_when_one_is_known(client, app):
    with app.app_context():
        seed_demo()
    page = html(client.get("/en/guide?commune=21015"))
    assert "the search keeps Schaerbeek" in page
    links = search_links(page)
    assert links and all(link.endswith("commune=21015") for link in links)
    assert "Find a service for Schaerbeek: School mediation" in page
    answer = html(client.get(links[0]))
    assert "Mediation in Schaerbeek" in answer and '<option selected value="neighbourhood">' in answer


@pytest.mark.parametrize("commune", ["abc", "99999", "2101", "٢١٠١٥", "21015" * 40, "%00", ""])
def test_a_bad_commune_is_left_out_of_the_guide(client, commune):
    response = client.get("/en/guide", query_string={"commune": commune})
    assert response.status_code == 200
    assert all("commune=" not in link for link in search_links(html(response)))


@pytest.mark.parametrize("lang", LANGS)
def test_a_kind_without_a_place_asks_for_the_commune_with_the_kind_kept(client, lang):
    page = html(client.get(f"/{lang}/search?type=school"))
    assert 'id="asks-commune"' in page and '<option selected value="school">' in page


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_page_offers_the_guide_beside_the_search_box(client, app, lang):
    page = html(client.get(f"/{lang}/"))
    entry = page.split('class="guide-entry"', 1)[1].split("</nav>", 1)[0]
    assert f'href="/{lang}/guide"' in entry
    for situation in SITUATIONS:
        assert f'href="/{lang}/guide#{situation.code}"' in entry
    assert page.index('role="search"') < page.index('class="guide-entry"') < page.index('id="map"')


def test_commune_results_link_to_the_guide_with_the_commune(client, app):
    with app.app_context():
        seed_demo()
    page = html(client.get("/en/search?q=Schaerbeek"))
    assert 'href="/en/guide?commune=21015"' in page
    assert 'class="guide-entry"' not in page  # the results come first


def test_the_sitemap_lists_the_guide_in_four_languages(client):
    body = html(client.get("/sitemap.xml"))
    for lang in LANGS:
        assert f"<loc>http://127.0.0.1:5000/{lang}/guide</loc>" in body
