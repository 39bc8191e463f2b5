"""A commune editor's path in Chromium, from asking for access to a published service.

The staff app runs with CSRF protection and mails through a real SMTP server on 127.0.0.1;
the federal admin's part (creating the account, approving) is played on the command line.
"""

import re

import pytest
from browser_helpers import (
    ADMIN,
    EDITOR,
    PASSWORD,
    SCHAERBEEK,
    assert_no_page_errors,
    assert_stayed_local,
    cli,
    sign_in,
    tab_to,
)

pytestmark = pytest.mark.browser

NEWCOMER = "anne.peeters@schaerbeek.example.be"
NEWCOMER_PASSWORD = "quiet-river-lantern-2025"  # not her name: that is refused
LINK = re.compile(r"https?://\S+/en/account/welcome/\S+")


def wait_for_pin(page):
    page.wait_for_selector("#pin-map[data-ready='1']", state="attached", timeout=15_000)
    return page.locator("#pin-map .leaflet-marker-icon")


def fill_texts(page, lang: str, name: str, description: str) -> None:
    """Open the language's tab and type its name and description."""
    page.locator(f"#texts-{lang}-tab").click()
    assert page.locator(f"#texts-{lang}-tab").get_attribute("aria-selected") == "true"
    page.locator(f"#name_{lang}").fill(name)
    page.locator(f"#description_{lang}").fill(description)


def service_ids_in_api(page) -> set[int]:
    answer = page.request.get(f"/api/v1/services?commune={SCHAERBEEK}&per_page=100")
    assert answer.ok
    return {result["id"] for result in answer.json()["results"]}


def test_from_access_request_to_published_service(staff_app, staff_accounts, staff_page,
                                                  smtp_inbox, traffic):
    page = staff_page()

    # 1. A commune employee asks for access; the commune comes from the suggestions.
    page.goto("/en/account/request-access")
    page.locator("#name").fill("Anne Peeters")
    page.locator("#email").fill(NEWCOMER)
    page.locator("#commune").press_sequentially("Schaerb", delay=30)
    page.wait_for_selector("#commune-suggestions option", state="attached")
    suggestion = page.locator("#commune-suggestions option").first.get_attribute("value")
    assert "Schaerbeek" in suggestion
    page.locator("#commune").fill(suggestion)
    page.locator("#function").fill("Neighbourhood mediator")
    page.locator("#message").fill("I run our neighbourhood mediation.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/en/account/request-access")
    assert page.locator(".flash-success").is_visible()
    request_mail = smtp_inbox.wait_for(ADMIN)
    assert "Anne Peeters" in request_mail.get_content()

    # 2. A federal admin creates the account; the invitation arrives by mail.
    result = cli(staff_app, "invite-user", NEWCOMER, "--role", "editor", "--commune", SCHAERBEEK,
                 "--lang", "en", "--name", "Anne Peeters")
    assert result.exit_code == 0, result.output
    invitation = smtp_inbox.wait_for(NEWCOMER)
    assert invitation["Content-Language"] == "en"
    link = LINK.search(invitation.get_content()).group(0)

    # 3. The link opens the page to choose a password; then the editor signs in afresh.
    page.goto(link)
    page.locator("#password").fill(NEWCOMER_PASSWORD)
    page.locator("#confirm").fill(NEWCOMER_PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url("**/en/manage/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/en/account/login")
    sign_in(page, NEWCOMER, NEWCOMER_PASSWORD)
    assert page.get_by_role("heading", name="Your services").is_visible()

    # 4. A new service: texts in French and Dutch (Schaerbeek is in Brussels), kind, phone.
    page.get_by_role("link", name="Add a service").click()
    page.wait_for_url("**/en/manage/services/new")
    assert page.locator("#organization").input_value() == f"commune:{SCHAERBEEK}"
    fill_texts(page, "fr", "Médiation de quartier de Schaerbeek (test)",
               "Des médiateurs aident les voisins à renouer le dialogue.")
    fill_texts(page, "nl", "Buurtbemiddeling Schaarbeek (test)",
               "Bemiddelaars helpen buren om opnieuw met elkaar te praten.")
    assert page.locator("#texts-fr").is_hidden()
    page.get_by_label("Neighbourhood mediation").check()
    assert page.locator("#communes input[value='21015']").is_checked()
    page.locator("#street").fill("Place Colignon")
    page.locator("#number").fill("1")
    page.locator("#postal_code").fill("1030")
    page.locator("#location_commune").fill("Schaerbeek")
    page.locator("#phone").fill("02 555 01 23")
    page.locator(".actions button[value=save]").click()
    page.wait_for_url(re.compile(r"/en/manage/services/\d+/edit$"))
    service_id = int(re.search(r"/services/(\d+)/edit", page.url).group(1))
    assert page.locator(".flash-success").is_visible()

    # 5. The pin stands at the commune's point; the arrow keys move it and mark it manual.
    pin = wait_for_pin(page)
    before = (float(page.locator("#lat").input_value()), float(page.locator("#lon").input_value()))
    assert not page.locator("#position_manual").is_checked()
    pin.focus()
    for key in ("ArrowUp", "ArrowUp", "Shift+ArrowRight"):
        page.keyboard.press(key)
    after = (float(page.locator("#lat").input_value()), float(page.locator("#lon").input_value()))
    assert after[0] > before[0] and after[1] > before[1], (before, after)
    assert page.locator("#position_manual").is_checked()
    assert page.locator("#pin-status").text_content().strip()

    # 6. Submitted for review: the position set by hand is kept; nothing is public yet.
    page.locator(".actions button[value=submit]").click()
    page.wait_for_url(f"**/en/manage/services/{service_id}/edit")
    assert "published after review" in page.locator(".flash-success").text_content()
    assert abs(float(page.locator("#lat").input_value()) - after[0]) < 1e-6
    assert abs(float(page.locator("#lon").input_value()) - after[1]) < 1e-6
    assert page.locator("#position_manual").is_checked()
    assert page.goto(f"/en/services/{service_id}").status == 404
    assert page.request.get(f"/api/v1/services/{service_id}").status == 404
    assert service_id not in service_ids_in_api(page)

    # 7. Approved on the command line: the public page and the API show it.
    result = cli(staff_app, "review", "approve", f"S{service_id}", "--as", ADMIN)
    assert result.exit_code == 0, result.output
    public = page.goto(f"/en/services/{service_id}")
    assert public.status == 200
    assert page.get_by_role("heading", level=1).text_content().strip()
    assert "Schaerbeek" in page.content() or "Schaarbeek" in page.content()
    assert service_id in service_ids_in_api(page)

    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


def test_service_form_with_the_keyboard_only(staff_accounts, staff_page, traffic):
    """Tab to each field, Space on the checkboxes, arrow keys between the language tabs."""
    page = staff_page()
    page.goto("/en/account/login")
    sign_in(page, EDITOR, PASSWORD)
    page.goto("/en/manage/services/new")
    page.wait_for_selector("[role=tab]")

    tab_to(page, "el.id === 'organization'")
    tab_to(page, "el.id === 'texts-fr-tab'")
    tab_to(page, "el.id === 'name_fr'")
    page.keyboard.type("Médiation au clavier")
    page.keyboard.press("Tab")
    page.keyboard.type("Un service rempli sans souris.")
    # Back to the tabs, then to Dutch with the arrow key.
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "texts-fr-tab":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "texts-nl-tab"
    assert page.locator("#texts-nl-tab").get_attribute("aria-selected") == "true"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "name_nl"
    page.keyboard.type("Bemiddeling met het toetsenbord")
    page.keyboard.press("Tab")
    page.keyboard.type("Een dienst ingevuld zonder muis.")

    tab_to(page, "el.type === 'checkbox' && el.value === 'community'")
    page.keyboard.press("Space")
    assert page.locator("input[name=types][value=community]").is_checked()
    tab_to(page, "el.id === 'phone'")
    page.keyboard.type("02 555 01 24")
    tab_to(page, "el.type === 'submit' && el.value === 'submit'")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/en/manage/services/\d+/edit$"))
    assert "published after review" in page.locator(".flash-success").text_content()
    assert page.locator("#name_nl").input_value() == "Bemiddeling met het toetsenbord"
    assert page.locator("input[name=types][value=community]").is_checked()
    assert_no_page_errors(traffic)
