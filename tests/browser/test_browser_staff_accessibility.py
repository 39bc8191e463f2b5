"""axe-core on every account and manage page, in the four languages, on a desktop and a phone.

One browser context per language and width walks the pages as a visitor, signs in as the
editor of Schaerbeek and walks the manage pages: no axe violation anywhere, and nothing wider
than a 360 px phone.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import (
    EDITOR,
    LANGUAGES,
    PASSWORD,
    PHONE,
    SCHAERBEEK,
    VIEWPORTS,
    assert_no_page_errors,
)
from test_browser_accessibility import _report

pytestmark = pytest.mark.browser

AXE = Axe()
INVITEE = "invitee@schaerbeek.example.be"
# The first elements whose box or text reaches past the page's right edge, for the message.
WIDER_THAN_THE_PAGE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > edge
      || el.getBoundingClientRect().left + el.scrollWidth > edge)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className
        ? '.' + el.className.trim().split(/ +/).join('.') : ''));
}"""


@pytest.fixture(scope="module")
def staff_paths(staff_app, staff_accounts):
    """The variable parts of the pages' addresses: signed links and a published service."""
    from sqlalchemy import select

    from mediation import accounts
    from mediation.extensions import db
    from mediation.models import Service, ServiceArea, ServiceStatus

    with staff_app.app_context():
        invitee = accounts.find_user(INVITEE) or accounts.build_user(
            INVITEE, "editor", refnis=[SCHAERBEEK])
        db.session.commit()
        service_id = db.session.scalar(
            select(Service.id).join(ServiceArea).where(
                ServiceArea.refnis == SCHAERBEEK, Service.status == ServiceStatus.published)
            .order_by(Service.id))
        return {
            "welcome": accounts.make_token(invitee, "invitation"),
            "reset": accounts.make_token(accounts.find_user(EDITOR), "reset"),
            "service": service_id,
        }


def _settle(page) -> None:
    """Wait until the scripts have built what they build (tabs, map)."""
    page.wait_for_load_state("load")
    if page.locator("[data-tabs]").count():
        page.wait_for_selector("[role=tablist]")
    if page.locator("#pin-map").count():
        page.wait_for_selector("#pin-map.leaflet-container")
        # Tiles are unreachable here: the outline of Belgium and the notice are checked too.
        page.wait_for_selector("#pin-map .map-notice", timeout=15_000)


def _check(page, name: str, found: dict) -> None:
    """Run axe on the page as it is; note its violations and any horizontal scroll."""
    _settle(page)
    violations = AXE.run(page).response["violations"]
    if violations:
        found["violations"].append(f"--- {name} ({page.url}):\n{_report(violations)}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate(WIDER_THAN_THE_PAGE)
        found["overflow"].append(f"{name}: {overflow} px too wide ({', '.join(wide)})")


def _refused(page, path: str, fills: dict, submit: str, name: str, found: dict) -> None:
    """Send the form at `path` with these values; check the page that shows its errors."""
    page.goto(path)
    for selector, value in fills.items():
        page.locator(selector).fill(value)
    page.locator(submit).click()
    page.wait_for_selector("#error-summary")
    _check(page, name, found)


def _visitor_pages(page, lang: str, paths: dict, found: dict) -> None:
    for name, path in (("login", "account/login"),
                       ("request-access", "account/request-access"),
                       ("reset", "account/reset"),
                       ("choose-password (invitation)", f"account/welcome/{paths['welcome']}"),
                       ("choose-password (reset)", f"account/reset/{paths['reset']}"),
                       ("link invalid", "account/welcome/not-a-valid-link")):
        page.goto(f"/{lang}/{path}")
        _check(page, name, found)
    _refused(page, f"/{lang}/account/request-access", {"#email": "not-an-address"},
             "form:has(#email) button[type=submit]", "request-access with errors", found)
    _refused(page, f"/{lang}/account/login", {"#email": EDITOR, "#password": "not-the-password"},
             "form:has(#password) button[type=submit]", "login refused", found)


def _editor_pages(page, lang: str, paths: dict, found: dict) -> None:
    page.locator("#password").fill(PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/manage/")
    assert page.locator(".staff-table tbody tr").count() > 0, "the dashboard lists no service"
    _check(page, "dashboard", found)
    service = paths["service"]
    for name, path in (("new service", "manage/services/new"),
                       ("edit service", f"manage/services/{service}/edit"),
                       ("verify", f"manage/services/{service}/verify"),
                       ("invite", "manage/invite")):
        page.goto(f"/{lang}/{path}")
        _check(page, name, found)
    _refused(page, f"/{lang}/manage/services/new", {"#phone": "02 555 01 23"},
             ".actions button[value=submit]", "new service lacking its texts", found)
    _refused(page, f"/{lang}/manage/services/{service}/edit",
             {"#phone": "12", "#website": "not a website"},
             ".actions button[value=submit]", "edit service with errors", found)
    _refused(page, f"/{lang}/manage/invite", {"#email": "not-an-address"},
             "form:has(#email) button[type=submit]", "invite with errors", found)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_pages_have_no_axe_violations(staff_page, staff_paths, traffic, lang, viewport):
    phone = viewport == "phone"
    page = staff_page(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    found = {"violations": [], "overflow": []}
    _visitor_pages(page, lang, staff_paths, found)
    _editor_pages(page, lang, staff_paths, found)
    assert_nothing_found(found, lang, VIEWPORTS[viewport])
    assert_no_page_errors(traffic)


def assert_nothing_found(found: dict, lang: str, viewport: dict) -> None:
    """No axe violation at this width, and on a phone nothing wider than the page."""
    assert not found["violations"], (
        f"axe violations in {lang} at {viewport['width']} px:\n" + "\n".join(found["violations"]))
    if viewport == PHONE:
        assert not found["overflow"], (
            "horizontal scroll at 360 px:\n" + "\n".join(found["overflow"]))
