"""The map: the CDN fallback, the list–map link, and the small-screen List/Map toggle."""

import json
import re

import pytest
from browser_helpers import (
    CDN_HOST,
    PHONE,
    RESULT_ITEMS,
    SCHAERBEEK,
    assert_no_page_errors,
    assert_stayed_local,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RESULTS = f"/fr/search?commune={SCHAERBEEK}"
ORIGIN_COLOUR = "#084785"  # static/js/map.js: the point results are measured from
RING_COLOUR = "#b35c00"  # static/js/map.js: the ring around the marker of the item in focus


def _local_requests(page) -> list[str]:
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def test_cdn_unreachable_scripts_load_from_this_server(page, traffic, wait_for_map):
    requested = _local_requests(page)
    page.goto(RESULTS)
    assert wait_for_map(page) > 0

    cdn = [url for url in traffic.blocked if url.startswith(f"https://{CDN_HOST}/")]
    assert any(url.endswith("/leaflet.js") for url in cdn), f"the CDN was not tried: {cdn}"
    assert page.evaluate("typeof window.L === 'object' && typeof L.map") == "function"
    assert any(re.search(r"/vendor/leaflet/leaflet\.js\?v=\w+$", url) for url in requested)
    expect(page.locator("#map .leaflet-marker-icon").first).to_be_attached()
    expect(page.locator("#map.map-failed")).to_have_count(0)
    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


def test_cdn_unreachable_stylesheets_load_from_this_server(page, traffic, wait_for_map):
    """Without Leaflet's stylesheet the tiles and markers spill out of the map's box."""
    requested = _local_requests(page)
    page.goto(RESULTS)
    wait_for_map(page)
    page.wait_for_load_state("load")
    styles = page.evaluate("""() => {
        const box = document.querySelector('#map');
        const pane = box.querySelector('.leaflet-pane');
        return {container: getComputedStyle(box).overflow,
                pane: pane && getComputedStyle(pane).position};
    }""")
    vendor_css = [url for url in requested if re.search(r"/vendor/.+\.css\?v=\w+$", url)]
    assert styles == {"container": "hidden", "pane": "absolute"} and len(vendor_css) == 3, (
        f"Leaflet's CSS did not fall back to /vendor/: computed styles {styles}, "
        f"local stylesheets requested {vendor_css}")
    # Marker images then come from this server too, never from the CDN.
    icons = [url for url in traffic.blocked if re.search(r"marker-(icon|shadow)", url)]
    assert not icons, f"marker images requested off-host: {icons}"


def test_clicking_a_marker_shows_its_list_item(page, traffic, wait_for_map):
    page.goto(RESULTS)
    wait_for_map(page)
    item = page.locator(RESULT_ITEMS).first
    name = item.locator(".result-name a").inner_text().strip()
    title = json.dumps(name, ensure_ascii=False)  # a CSS string
    marker = page.locator(f"#map .leaflet-marker-icon[title={title}]")
    if not marker.count():  # inside a cluster: open the clusters until it shows
        for _ in range(5):
            cluster = page.locator("#map .marker-cluster").first
            if marker.count() or not cluster.count():
                break
            cluster.click()
            page.wait_for_timeout(500)
    expect(marker).to_be_visible()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    marker.click()
    expect(item).to_have_class(re.compile(r"\bis-highlighted\b"))
    expect(item).to_be_in_viewport()
    expect(page.locator("#map .leaflet-popup-content a")).to_have_text(name)
    assert_no_page_errors(traffic)


def test_hovering_or_focusing_a_list_item_rings_its_marker(page, traffic, wait_for_map):
    page.goto(RESULTS)
    wait_for_map(page)
    ring = page.locator(f"#map path[stroke='{RING_COLOUR}']")
    expect(ring).to_have_count(0)
    items = page.locator(RESULT_ITEMS)

    items.nth(1).hover()
    expect(ring).to_have_count(1)
    expect(items.nth(1)).to_have_class(re.compile(r"\bis-highlighted\b"))
    hovered = ring.get_attribute("d")
    page.mouse.move(1, 1)  # away from the list: the ring goes
    expect(ring).to_have_count(0)

    page.locator("#elsewhere summary").click()  # the services elsewhere, folded apart
    items.nth(4).locator(".result-name a").focus()  # a service elsewhere: the ring moves
    expect(ring).to_have_count(1)
    assert ring.get_attribute("d") != hovered
    assert_no_page_errors(traffic)


@pytest.mark.parametrize("query, label", [
    (f"commune={SCHAERBEEK}", "Schaerbeek"),  # the commune's point, not a position of the user
    ("near=50.8503,4.3517", "Your position"),
])
def test_the_point_results_are_measured_from_is_named(page, traffic, wait_for_map, query, label):
    page.goto(f"/en/search?{query}")
    wait_for_map(page)
    origin = page.locator(f"#map path[stroke='{ORIGIN_COLOUR}']")
    expect(origin).to_have_count(1)
    origin.dispatch_event("mouseover")  # the services' own markers may sit on top of it
    expect(page.locator("#map .leaflet-tooltip")).to_have_text(label)
    assert_no_page_errors(traffic)


def test_the_address_carries_the_search_so_back_and_sharing_work(page, new_page, traffic,
                                                                  wait_for_map):
    page.goto(RESULTS.replace("/fr/", "/en/"))
    first_names = page.locator(f"{RESULT_ITEMS} .result-name a").all_inner_texts()
    page.locator("select[name=type]").select_option("school")
    page.get_by_role("button", name="Apply the filters").click()
    page.wait_for_url(re.compile(r"[?&]type=school(&|$)"))
    filtered = page.locator(f"{RESULT_ITEMS} .result-name a").all_inner_texts()
    assert filtered and filtered != first_names

    # Shared: the same address shows the same results to someone else.
    other = new_page()
    other.goto(page.url)
    expect(other.locator("select[name=type]")).to_have_value("school")
    assert other.locator(f"{RESULT_ITEMS} .result-name a").all_inner_texts() == filtered
    assert wait_for_map(other) > 0

    # Back: the unfiltered results again; forward: the filtered ones.
    page.go_back()
    expect(page.locator("select[name=type]")).to_have_value("")
    assert page.locator(f"{RESULT_ITEMS} .result-name a").all_inner_texts() == first_names
    page.go_forward()
    expect(page.locator("select[name=type]")).to_have_value("school")
    assert page.locator(f"{RESULT_ITEMS} .result-name a").all_inner_texts() == filtered
    assert_no_page_errors(traffic)


def test_small_screen_list_map_toggle(new_page, traffic, wait_for_map):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    requested = _local_requests(page)
    page.goto(RESULTS.replace("/fr/", "/en/"))

    toggle = page.locator(".view-toggle")
    expect(toggle).to_be_visible()
    show_list = toggle.get_by_role("button", name="List")
    show_map = toggle.get_by_role("button", name="Map")
    results = page.locator("#result-list")
    the_map = page.locator("#map")
    expect(results).to_be_visible()
    expect(the_map).to_be_hidden()
    assert _page_width(page) <= PHONE["width"]
    page.wait_for_load_state("load")
    # The list comes first: the map's library and data wait until the map is asked for.
    assert not [url for url in requested + traffic.blocked
                if "/vendor/" in url or CDN_HOST in url or "services.points" in url]

    show_map.tap()
    assert wait_for_map(page) > 0
    expect(the_map).to_be_visible()
    expect(the_map.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(results).to_be_hidden()
    expect(show_map).to_have_attribute("aria-pressed", "true")
    expect(show_list).to_have_attribute("aria-pressed", "false")
    box = the_map.bounding_box()
    assert box["height"] >= 240 and box["width"] >= PHONE["width"] - 40, box
    assert _page_width(page) <= PHONE["width"]

    show_list.tap()
    expect(results).to_be_visible()
    expect(the_map).to_be_hidden()
    expect(show_list).to_have_attribute("aria-pressed", "true")
    assert _page_width(page) <= PHONE["width"]

    # Targets: every link and button of the results is at least 44 × 44 px.
    small = page.evaluate("""() => [...document.querySelectorAll(
            '.results a, .results button, .search-form button, .search-form select, '
            + '.search-form summary, .language-switch a, #q')]
        .filter(el => el.offsetParent !== null)
        .map(el => [el.outerHTML.slice(0, 90), el.getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44)
        .map(([html, r]) => `${Math.round(r.width)}×${Math.round(r.height)} ${html}`)""")
    assert not small, "targets smaller than 44 × 44 px:\n" + "\n".join(small)
    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


@pytest.mark.parametrize("path", ["/en/", "/en/communes/21015", "/en/search?q=1040"])
def test_small_screen_no_horizontal_scroll(new_page, path):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(path)
    page.wait_for_load_state("load")
    assert _page_width(page) <= PHONE["width"], _widest(page)


@pytest.mark.parametrize("lang", ["en", "de"])  # German: long compound words in the title
def test_small_screen_service_page_no_horizontal_scroll(new_page, live_url, lang):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"/{lang}/search?commune={SCHAERBEEK}")
    page.locator(RESULT_ITEMS).first.locator(".result-name a").click()
    page.locator("#service-map").scroll_into_view_if_needed()  # drawn as it comes near
    page.wait_for_selector("#service-map.leaflet-container")
    assert _page_width(page) <= PHONE["width"], _widest(page)


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _widest(page) -> str:
    """The elements reaching past the viewport's right edge, to fix the overflow."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 8).map(el => el.outerHTML.slice(0, 120)).join('\\n')""")


@pytest.mark.parametrize("lang, notice", [
    ("en", "The background map is unavailable"),
    ("fr", "Le fond de carte n’est pas disponible"),
])
def test_without_tiles_the_map_says_so_and_still_shows_belgium(page, traffic, wait_for_map,
                                                              lang, notice):
    """Tiles are unreachable here (every off-host request is aborted): the map never goes blank."""
    page.goto(f"/{lang}/")
    assert wait_for_map(page) > 0
    expect(page.locator("#map .map-notice")).to_contain_text(notice)
    outline = page.locator("#map path[fill='#dfe7ee']")
    expect(outline.first).to_be_visible()
    assert outline.count() == 12  # the judicial arrondissements
    box = page.locator("#map").bounding_box()
    drawn = outline.first.bounding_box()
    assert drawn["width"] > 10 and drawn["x"] < box["x"] + box["width"]
    assert any("tile.openstreetmap.org" in url for url in traffic.blocked)
    assert_no_page_errors(traffic)


def test_markers_are_no_tab_stops_the_list_is_the_keyboard_path(page, traffic, wait_for_map):
    page.goto(RESULTS)
    assert wait_for_map(page) > 0
    page.locator("#map .marker-cluster").first.click()  # clusters open into more markers
    page.wait_for_timeout(500)
    focusable = page.evaluate(
        "[...document.querySelectorAll('#map .leaflet-marker-icon')]"
        ".filter(el => el.tabIndex >= 0).length")
    assert focusable == 0
    assert page.locator("#map .leaflet-marker-icon").count() > 0
    assert_no_page_errors(traffic)
