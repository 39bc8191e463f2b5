"""The search page as people use it: keyboard, "near me", filters, and without JavaScript."""

import re

import pytest
from browser_helpers import (
    PHONE,
    RESULT_ITEMS,
    SCHAERBEEK,
    assert_no_page_errors,
    assert_stayed_local,
    covers_flags,
    expect_first_serves,
    tab_to,
    url_matching,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BRUSSELS = {"latitude": 50.8503, "longitude": 4.3517}


def test_keyboard_only_search_by_commune(page, traffic, wait_for_map):
    page.goto("/en/")
    tab_to(page, "el.id === 'q'")
    page.keyboard.type("Schaerb", delay=20)

    listbox = page.locator("#q-listbox")
    expect(listbox).to_be_visible()
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "true")
    first = listbox.locator("[role=option]").first
    expect(first).to_contain_text("Schaerbeek")

    page.keyboard.press("ArrowDown")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(page.locator("#q")).to_have_attribute("aria-activedescendant", "q-option-0")

    page.keyboard.press("Enter")
    page.wait_for_url(url_matching(rf"(^|&)commune={SCHAERBEEK}(&|$)"))

    # The services covering Schaerbeek come first, then the others.
    items = page.locator(RESULT_ITEMS)
    expect(items.first).to_be_visible()
    expect_first_serves(page, "Schaerbeek")
    flags = covers_flags(page)
    assert sum(flags) >= 2, f"several demo services cover Schaerbeek, the list says {flags}"
    assert flags == sorted(flags, reverse=True), f"covering services are not first: {flags}"

    assert wait_for_map(page) > 0

    # Keyboard users reach the first result; the list item (and its marker) light up.
    first_link = items.first.locator(".result-name a")
    tab_to(page, "el.matches('#result-list > li:first-child .result-name a')")
    expect(first_link).to_be_focused()
    expect(items.first).to_have_class(re.compile(r"\bis-highlighted\b"))
    page.keyboard.press("Tab")  # focus leaves the name link for the phone link, same item
    expect(items.first).to_have_class(re.compile(r"\bis-highlighted\b"))

    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


def test_suggestions_are_announced_and_escape_closes_them(page, traffic):
    page.goto("/en/")
    search = page.locator("#q")
    expect(search).to_have_attribute("role", "combobox")
    search.click()
    page.keyboard.type("Brux", delay=20)

    listbox = page.locator("#q-listbox")
    expect(listbox).to_be_visible()
    options = listbox.locator("[role=option]")
    count = options.count()
    assert count >= 1
    expected = "1 commune found" if count == 1 else f"{count} communes found"
    expect(page.locator("#q-status")).to_contain_text(expected)

    # ArrowUp from nothing chosen goes to the last option; ArrowDown wraps to the first.
    page.keyboard.press("ArrowUp")
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(options.nth(count - 1)).to_have_attribute("aria-selected", "false")

    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    expect(search).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(search).to_have_value("Brux")
    expect(search).to_be_focused()
    assert "/search" not in page.url

    # Nothing matching: the status says so.
    search.fill("")
    page.keyboard.type("Zzqxw", delay=20)
    expect(page.locator("#q-status")).to_have_text("No commune found")
    expect(listbox).to_be_hidden()
    assert_no_page_errors(traffic)


def test_near_me_with_permission_answers_for_the_commune_it_lies_in(new_page, traffic, wait_for_map):
    page = new_page(geolocation=BRUSSELS, permissions=["geolocation"])
    page.goto("/en/")
    near_me = page.locator("#near-me")
    expect(near_me).to_be_visible()
    near_me.click()

    # Rounded to three decimals (about 100 m) before it goes into the address.
    page.wait_for_url(url_matching(r"(^|&)near=50\.850(%2C|,)4\.352(&|$)"))
    # Answered for the commune the position lies in, its services first; the others say how far.
    expect(page.locator(".located")).to_contain_text("You are in Brussels")
    expect_first_serves(page, "Brussels")
    elsewhere = page.locator("#elsewhere .result-list > li")
    assert elsewhere.count() and elsewhere.locator(".distance").count() == elsewhere.count()
    assert wait_for_map(page) > 0
    assert page.get_attribute("#map", "data-origin").startswith("50.85")
    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


def test_near_me_refused_says_so_and_search_still_works(page, traffic):
    page.goto("/en/")  # no geolocation permission granted: the browser refuses
    page.locator("#near-me").click()

    status = page.locator("#near-me-status")
    expect(status).to_be_visible()
    expect(status).to_contain_text("permission was refused")
    expect(status).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator("#q")).to_be_focused()
    assert "near=" not in page.url

    page.keyboard.type("Schaerbeek", delay=10)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(url_matching(r"(^|&)q=Schaerbeek(&|$)"))
    expect_first_serves(page, "Schaerbeek")
    assert_no_page_errors(traffic)


def test_filter_by_type_lists_only_that_type(page, traffic, wait_for_map):
    page.goto(f"/en/search?commune={SCHAERBEEK}")
    all_markers = wait_for_map(page)
    page.locator("select[name=type]").select_option("sac")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(url_matching(r"(^|&)type=sac(&|$)"))

    expect(page.locator("select[name=type]")).to_have_value("sac")
    items = page.locator(RESULT_ITEMS)
    expect(items.first).to_be_visible()
    label = "Mediation for municipal administrative sanctions (SAC/GAS)"
    for i in range(items.count()):
        expect(items.nth(i).locator(".tags")).to_contain_text(label)
    # Still about Schaerbeek, and the map shows only that type.
    expect_first_serves(page, "Schaerbeek")
    assert 0 < wait_for_map(page) < all_markers
    assert_no_page_errors(traffic)


def test_small_screen_results_come_first_and_filters_unfold(new_page, traffic):
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(f"/en/search?commune={SCHAERBEEK}")

    # The filters are folded, so the count and the first result are on the first screen.
    type_filter = page.locator("select[name=type]")
    expect(type_filter).to_be_hidden()
    expect(page.locator("#result-count")).to_be_in_viewport()
    first = page.locator(RESULT_ITEMS).first
    assert first.bounding_box()["y"] < PHONE["height"], "the first result is below the first screen"

    summary = page.locator("#filters summary")
    expect(summary).to_have_text("Filters")
    summary.tap()
    expect(type_filter).to_be_visible()
    type_filter.select_option("sac")
    page.get_by_role("button", name="Apply the filters").tap()
    page.wait_for_url(url_matching(r"(^|&)type=sac(&|$)"))

    # A filter in use stays in sight, with how many are set.
    expect(type_filter).to_be_visible()
    expect(type_filter).to_have_value("sac")
    expect(summary).to_have_text("Filters (1 active)")
    expect_first_serves(page, "Schaerbeek")
    assert_no_page_errors(traffic)


def test_search_works_without_javascript(new_page, traffic):
    page = new_page(java_script_enabled=False)
    page.goto("/fr/")
    expect(page.locator("#near-me")).to_be_hidden()  # needs JavaScript
    expect(page.locator("#map .map-placeholder")).to_be_visible()

    page.locator("#q").fill("Schaerbeek")
    page.locator("#q").press("Enter")
    page.wait_for_url(url_matching(r"(^|&)q=Schaerbeek(&|$)"))
    items = page.locator(RESULT_ITEMS)
    expect(items.first).to_be_visible()
    expect_first_serves(page, "Schaerbeek")
    flags = covers_flags(page)
    assert flags[0] and flags == sorted(flags, reverse=True), flags

    # A postal code shared by two communes: the page asks which one.
    page.locator("#q").fill("1040")
    page.locator("#q").press("Enter")
    page.wait_for_url(url_matching(r"(^|&)q=1040(&|$)"))
    choices = page.locator(".choices")
    expect(choices).to_be_visible()
    links = choices.locator("a")
    expect(links.filter(has_text=re.compile(r"^Bruxelles$"))).to_have_count(1)
    expect(links.filter(has_text=re.compile(r"^Etterbeek$"))).to_have_count(1)

    links.filter(has_text=re.compile(r"^Etterbeek$")).click()
    page.wait_for_url(url_matching(r"(^|&)commune=21005(&|$)"))
    expect_first_serves(page, "Etterbeek")

    # The folded filters open and apply without scripts too.
    page.locator("#filters summary").click()
    page.locator("select[name=language]").select_option("de")
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(url_matching(r"(^|&)language=de(&|$)"))
    expect(page.locator("#filters summary")).to_have_text("Filtres (1 actif)")
    # None serving Etterbeek speaks German: those elsewhere that do are folded apart.
    expect(page.locator("#result-count")).to_contain_text("Etterbeek")
    page.locator("#elsewhere summary").click()
    items = page.locator(RESULT_ITEMS)
    expect(items.first).to_be_visible()
    for i in range(items.count()):
        expect(items.nth(i)).to_contain_text("allemand")
    assert_stayed_local(traffic)


def test_keyboard_path_from_the_home_page_to_a_covering_services_phone(page, traffic):
    page.goto("/en/")
    page.locator("#q").focus()
    page.keyboard.type("Schaerbeek", delay=10)
    expect(page.locator("#q-listbox")).to_be_visible()
    page.keyboard.press("Escape")  # close the suggestions: Enter then sends what was typed
    page.keyboard.press("Enter")
    page.wait_for_url(url_matching(r"(^|&)q=Schaerbeek(&|$)"))
    # Focus lands on the results heading; the first covering service's phone is a few Tabs on.
    expect(page.locator("#results-title")).to_be_focused()
    presses = tab_to(page, "el.matches('[data-covers=\"true\"] .phone a')", limit=8)
    assert presses <= 3, presses
    assert page.evaluate("document.activeElement.href").startswith("tel:+32")
    assert_no_page_errors(traffic)
