"""axe-core on the public pages, on a desktop and on a phone: no violation at all."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import (
    DESKTOP,
    PHONE,
    RESULT_ITEMS,
    SCHAERBEEK,
    VIEWPORTS,
)

pytestmark = pytest.mark.browser

AXE = Axe()
PAGES = {
    "home": "/fr/",
    "results": f"/fr/search?commune={SCHAERBEEK}",
    "service": None,  # the first service covering Schaerbeek, found from the results
    "commune": f"/fr/communes/{SCHAERBEEK}",
    "commune-uncovered": "/de/communes/85009",  # Etalle: the next step for each kind
    "commune-brussels": "/nl/communes/21004",  # by kind, the others folded apart
    "commune-en": f"/en/communes/{SCHAERBEEK}",
    "guide": f"/fr/guide?commune={SCHAERBEEK}",
    "privacy": "/fr/privacy",
    "accessibility": "/fr/accessibility",
}


def _service_path(page) -> str:
    page.goto(PAGES["results"])
    return page.locator(RESULT_ITEMS).first.locator(".result-name a").get_attribute("href")


def _settle(page, name: str) -> None:
    """Wait until the scripts have built what they build (the map, its controls)."""
    page.wait_for_load_state("load")
    if name == "home":
        page.locator("#map").scroll_into_view_if_needed()  # drawn as it comes near
    if name in ("home", "results"):
        # On a phone the list comes first: the map is drawn when asked for (the toggle).
        page.wait_for_selector("#map[data-markers]:not([data-markers='0']), "
                               ".view-toggle:not([hidden])", state="attached", timeout=15_000)
    elif name == "service":
        page.locator("#service-map").scroll_into_view_if_needed()  # drawn as it comes near
        page.wait_for_selector("#service-map.leaflet-container")


def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}"
                     f" — {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    target: {', '.join(map(str, node['target']))}")
            lines.append(f"    html:   {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"    why:    {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("name", PAGES, ids=str)
def test_no_axe_violations(new_page, name, viewport):
    page = new_page(viewport=VIEWPORTS[viewport])
    path = PAGES[name] or _service_path(page)
    page.goto(path)
    _settle(page, name)
    results = AXE.run(page)
    violations = results.response["violations"]
    assert not violations, (
        f"{len(violations)} axe violation(s) on {path} at {VIEWPORTS[viewport]['width']} px:\n"
        + _report(violations))


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
def test_no_axe_violations_with_suggestions_open(new_page, viewport):
    """The combobox while it shows suggestions, one of them chosen with the arrow keys."""
    page = new_page(viewport=VIEWPORTS[viewport])
    page.goto("/fr/")
    _settle(page, "home")
    page.locator("#q").click()
    page.keyboard.type("Brux", delay=20)
    page.locator("#q-listbox [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#q[aria-activedescendant=q-option-0]")
    violations = AXE.run(page).response["violations"]
    assert not violations, (
        f"{len(violations)} axe violation(s) with the suggestions open at "
        f"{VIEWPORTS[viewport]['width']} px:\n" + _report(violations))


def test_no_axe_violations_on_report_errors(new_page):
    """The service page after a rejected error report, errors shown next to the fields."""
    page = new_page()
    page.goto(_service_path(page))
    _settle(page, "service")
    page.locator("#report textarea[name=message]").fill("Wrong")
    page.locator("#report input[name=email]").fill("not-an-address")
    page.locator("#report form button[type=submit]").dispatch_event("click")
    page.wait_for_selector("#message-error")
    _settle(page, "service")
    violations = AXE.run(page).response["violations"]
    assert not violations, (
        f"{len(violations)} axe violation(s) on a rejected report:\n" + _report(violations))


def test_no_axe_violations_in_map_view_on_a_phone(new_page):
    """At 360 px the map replaces the list when asked: check that view too."""
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(PAGES["results"])
    _settle(page, "results")
    page.locator(".view-toggle button[data-view=map]").tap()
    page.wait_for_selector("#map", state="visible")
    page.wait_for_selector("#map[data-markers]:not([data-markers='0'])", state="attached",
                           timeout=15_000)
    violations = AXE.run(page).response["violations"]
    assert not violations, (
        f"{len(violations)} axe violation(s) in the map view at 360 px:\n" + _report(violations))


@pytest.mark.parametrize("lang", ["nl", "de", "en"])
@pytest.mark.parametrize("name", ["home", "results", "service", "commune", "guide", "privacy",
                                  "accessibility"])
def test_no_axe_violations_in_every_language(new_page, lang, name):
    page = new_page(viewport=DESKTOP)
    path = (PAGES[name] or _service_path(page)).replace("/fr/", f"/{lang}/", 1)
    page.goto(path)
    _settle(page, name)
    assert page.locator("html").get_attribute("lang") == lang
    violations = AXE.run(page).response["violations"]
    assert not violations, f"{len(violations)} axe violation(s) on {path}:\n" + _report(violations)
