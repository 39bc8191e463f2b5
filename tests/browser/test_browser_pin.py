"""The editor's map in Chromium: without tiles it keeps the outline of Belgium and says so, as
the public map does, and each move of the pin is told in words in a live region."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import DESKTOP, EDITOR, PASSWORD, PHONE, assert_no_page_errors, sign_in
from playwright.sync_api import expect
from test_browser_accessibility import _report
from test_browser_staff_accessibility import staff_paths  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

AXE = Axe()
# Shift+ArrowUp then Shift+ArrowRight: 111 m north and 112 m east of Schaerbeek's point.
MOVED = {
    "en": ("The background map is unavailable",
           "Pin moved 160\u00a0m north-east, manual position."),
    "fr": ("Le fond de carte n’est pas disponible",
           "Repère déplacé de 160\u00a0m vers le nord-est, position manuelle."),
    "nl": (None,
           "Speld 160\u00a0m naar het noordoosten verplaatst, met de hand geplaatste locatie."),
    "de": (None, "Markierung 160\u00a0m nach Nordosten verschoben, Standort von Hand gesetzt."),
}


def open_the_form(staff_page, staff_paths, lang, viewport=DESKTOP):  # noqa: F811
    phone = viewport == PHONE
    page = staff_page(viewport=viewport, is_mobile=phone, has_touch=phone)
    page.goto(f"/{lang}/account/login")
    sign_in(page, EDITOR, PASSWORD)
    page.goto(f"/{lang}/manage/services/{staff_paths['service']}/edit")
    page.wait_for_selector("#pin-map[data-ready='1']", state="attached", timeout=15_000)
    return page


@pytest.mark.parametrize("lang", MOVED)
def test_the_editors_map_never_goes_blank_and_tells_where_the_pin_went(
        staff_page, staff_paths, traffic, lang):  # noqa: F811
    notice, moved = MOVED[lang]
    page = open_the_form(staff_page, staff_paths, lang)
    expect(page.locator("#pin-map .map-notice")).to_be_visible(timeout=15_000)
    if notice:
        expect(page.locator("#pin-map .map-notice")).to_contain_text(notice)
    outline = page.locator("#pin-map path[fill='#dfe7ee']")
    expect(outline.first).to_be_attached(timeout=15_000)
    assert outline.count() == 12  # the judicial arrondissements, as on the public map
    assert page.locator("#pin-status").get_attribute("role") == "status"
    pin = page.locator("#pin-map .leaflet-marker-icon")
    pin.focus()
    page.keyboard.press("Shift+ArrowUp")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#pin-status")).to_have_text(moved)
    assert page.locator("#position_manual").is_checked()
    expect(page.locator("#pin-precision")).not_to_be_empty()
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("#pin-status")).not_to_have_text(moved)
    assert_no_page_errors(traffic)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", MOVED)
def test_the_editors_map_without_tiles_has_no_axe_violation(
        staff_page, staff_paths, lang, viewport):  # noqa: F811
    page = open_the_form(staff_page, staff_paths, lang, viewport)
    expect(page.locator("#pin-map .map-notice")).to_be_visible(timeout=15_000)
    page.locator("#pin-map .leaflet-marker-icon").focus()
    page.keyboard.press("Shift+ArrowUp")
    expect(page.locator("#pin-status")).not_to_be_empty()
    violations = AXE.run(page).response["violations"]
    assert not violations, _report(violations)
