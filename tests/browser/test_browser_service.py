"""A service's page: how to reach it, where it works, and the "report an error" form."""

import re

import pytest
from browser_helpers import RESULT_ITEMS, SCHAERBEEK, assert_no_page_errors, assert_stayed_local
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_service_page_and_error_report(page, traffic):
    page.goto(f"/en/search?commune={SCHAERBEEK}")
    first = page.locator(RESULT_ITEMS).first
    name = first.locator(".result-name a").inner_text().strip()
    first.locator(".result-name a").click()
    page.wait_for_url(re.compile(r"/en/services/\d+$"))

    expect(page.locator("h1")).to_contain_text(name.removesuffix("Demo").strip())
    contact = page.locator("section.contact")
    phone = contact.locator("a[href^='tel:']")
    expect(phone.first).to_be_visible()
    assert re.fullmatch(r"tel:\+?[\d ]{6,}", phone.first.get_attribute("href"))

    hours_table = contact.locator("table.hours")
    by_appointment = contact.get_by_text("By appointment", exact=True)
    assert hours_table.count() + by_appointment.count() >= 1, "no opening hours shown"
    if hours_table.count():
        expect(hours_table.locator("th[scope=row]")).to_have_count(7)

    communes = page.locator(".coverage .commune-list a")
    expect(communes.filter(has_text="Schaerbeek")).to_have_count(1)
    expect(page.locator(".demo-notice")).to_be_visible()
    expect(page.locator(".demo-notice")).to_contain_text("demonstration data")
    # The map below the first screen is drawn as the reader scrolls towards it.
    page.locator("#service-map").scroll_into_view_if_needed()
    page.wait_for_selector("#service-map.leaflet-container")

    # A message that is too short: an error, tied to the field, and the text kept.
    report = page.locator("#report form")
    message = report.locator("textarea[name=message]")
    message.fill("Wrong")
    report.get_by_role("button", name="Send").click()
    page.wait_for_load_state()
    message = page.locator("#report textarea[name=message]")
    expect(page.locator("#message-error")).to_be_visible()
    expect(page.locator("#message-error")).to_contain_text("between 10 and 2000 characters")
    # The page opens at the form, its problems summed up and linked to their field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link").first.click()
    expect(page.locator("#report textarea[name=message]")).to_be_focused()
    expect(message).to_have_value("Wrong")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(message).to_have_attribute("aria-describedby", "message-error")

    message.fill("The phone number has changed; it is now 02 000 00 00.")
    page.locator("#report form").get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/en/services/\d+\?report=sent#report$"))
    thanks = page.locator("#report .flash-success")
    expect(thanks).to_be_visible()
    expect(thanks).to_be_in_viewport()  # where the page opens, not at its top
    expect(thanks).to_contain_text("Thank you")
    expect(page.locator("#report textarea[name=message]")).to_have_value("")
    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)
