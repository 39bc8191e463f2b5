"""Small helpers shared by the browser tests."""

import re

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
LANGUAGES = ("fr", "nl", "de", "en")

# Off-host requests the pages are expected to attempt: the map's CDN (with a local fallback)
# and the map tiles (decorative; the list is the accessible alternative).
CDN_HOST = "unpkg.com"
TILE_HOSTS = ("tile.openstreetmap.org",)

SCHAERBEEK = "21015"
# Every result: those serving the commune's residents (grouped by kind), then those elsewhere.
RESULT_ITEMS = ".results .result-list > li[data-service-id]"


def tab_to(page, predicate: str, limit: int = 60) -> int:
    """Press Tab until `predicate` (a JS expression on `el`, the focused element) holds.

    Return the number of presses; fail when it never holds, naming where focus went.
    """
    visited = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        check = f"(() => {{ const el = document.activeElement; return !!({predicate}); }})()"
        if page.evaluate(check):
            return presses
        visited.append(page.evaluate(
            "(() => { const el = document.activeElement;"
            " return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')"
            " + ' ' + (el.textContent || el.value || '').trim().slice(0, 30); })()"))
    raise AssertionError(f"Tab never reached {predicate!r}; focus went through: {visited}")


def assert_no_page_errors(traffic) -> None:
    assert not traffic.errors, f"uncaught JavaScript errors: {traffic.errors}"


def assert_stayed_local(traffic) -> None:
    """Nothing but the map's CDN and tiles was requested off 127.0.0.1."""
    assert not traffic.unexpected(), f"unexpected off-host requests: {traffic.unexpected()}"


def covers_flags(page) -> list[bool]:
    """For each result in the lists, in order: does it serve the commune's residents?"""
    return page.eval_on_selector_all(
        RESULT_ITEMS, "items => items.map(item => item.dataset.covers === 'true')")


def expect_first_serves(page, commune: str) -> None:
    """The results are for `commune`'s residents, and the first result serves them."""
    from playwright.sync_api import expect

    expect(page.locator("#results-title")).to_contain_text(commune)
    expect(page.locator(RESULT_ITEMS).first).to_have_attribute("data-covers", "true")


def query_of(url: str) -> str:
    return url.split("?", 1)[1] if "?" in url else ""


def url_matching(pattern: str):
    """A predicate for page.wait_for_url on a regular expression of the query string."""
    compiled = re.compile(pattern)
    return lambda url: bool(compiled.search(query_of(url)))


# Staff accounts of the staff app (see the `staff_accounts` fixture).
ADMIN = "admin@federal.example.be"
EDITOR = "editor@schaerbeek.example.be"
PASSWORD = "a-long-enough-password-2025"


def cli(app, *args: str, input: str | None = None):
    """Run `flask --app mediation ARGS` against the app; return click's result."""
    return app.test_cli_runner().invoke(args=list(args), input=input)


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the login form of the page's language; wait for where staff land
    (an admin's dashboard, an editor's services)."""
    if "/account/login" not in page.url:
        page.goto("/en/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/(manage|admin)/$"))


def sign_out(page) -> None:
    page.get_by_role("button", name=re.compile("Sign out|Se déconnecter|Afmelden|Abmelden")).click()
    page.wait_for_url("**/account/login")
