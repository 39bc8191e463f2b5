"""The coverage page and a reminder's "still accurate" page in Chromium: the map image shows,
the communes are listed one province at a time (or all at once when asked), axe-core finds no
violation, nothing is wider than a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_helpers import (
    LANGUAGES,
    SCHAERBEEK,
    VIEWPORTS,
    assert_no_page_errors,
)
from test_browser_accessibility import _report

pytestmark = pytest.mark.browser

AXE = Axe()
# Elements reaching past the page's right edge, except inside what scrolls or clips them:
# the tables scroll sideways inside their (focusable) frames, the map clips its panes.
WIDER_THAN_THE_PAGE = """() => {
  const edge = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
    .filter((el) => !el.closest('.leaflet-container, .table-wrap'))
    .filter((el) => el.getBoundingClientRect().right > edge
      || el.getBoundingClientRect().left + el.scrollWidth > edge)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
}"""


def _check(page, path: str) -> None:
    violations = AXE.run(page).response["violations"]
    assert not violations, f"{len(violations)} axe violation(s) on {path}:\n" + _report(violations)
    assert page.evaluate(WIDER_THAN_THE_PAGE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= \
        page.evaluate("document.documentElement.clientWidth")


# Every language on a desktop, two on a phone: the page is long and axe takes its time.
@pytest.mark.parametrize("lang, viewport", [(lang, "desktop") for lang in LANGUAGES]
                         + [("fr", "phone"), ("de", "phone")])
def test_the_coverage_page(new_page, traffic, lang, viewport):
    page = new_page(viewport=VIEWPORTS[viewport])
    path = f"/{lang}/coverage"
    page.goto(path)
    image = page.locator("#coverage-map")
    page.wait_for_function("() => document.getElementById('coverage-map').complete")
    assert image.evaluate("img => img.naturalWidth") > 0  # the map image arrived and decoded
    _check(page, path)
    # The table of the communes: one province, reached from the counts by keyboard.
    link = page.locator('tr[data-area="province:60000"] a')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#coverage-table")
    assert page.locator("#coverage-table tbody tr").count() == 84  # the communes of Liège
    _check(page, page.url)
    page.goto(f"{path}?area=all")
    assert page.locator("#coverage-table tbody tr").count() == 565
    assert_no_page_errors(traffic)


@pytest.fixture(scope="module")
def check_path(live_app):
    """The signed "still accurate" link of an editor of Schaerbeek for one of its services."""
    from sqlalchemy import select

    from mediation import accounts
    from mediation.directory.moderation.reminders import make_check_token
    from mediation.extensions import db
    from mediation.models import Service, ServiceArea, ServiceStatus

    with live_app.app_context():
        editor = accounts.find_user("check-editor@example.be") or accounts.build_user(
            "check-editor@example.be", "editor", refnis=[SCHAERBEEK])
        db.session.commit()
        service = db.session.scalar(select(Service).join(ServiceArea).where(
            ServiceArea.refnis == SCHAERBEEK, Service.status == ServiceStatus.published)
            .order_by(Service.id))
        return make_check_token(editor, service)


@pytest.mark.parametrize("lang, viewport", [("fr", "desktop"), ("nl", "phone"), ("de", "desktop"),
                                             ("en", "phone")])
def test_the_still_accurate_page_of_a_reminder(new_page, traffic, check_path, lang, viewport):
    page = new_page(viewport=VIEWPORTS[viewport])
    path = f"/{lang}/manage/check/{check_path}"
    page.goto(path)
    assert page.locator("form[method=post] button[type=submit]").count() == 1
    _check(page, path)
    page.goto(f"/{lang}/manage/check/{check_path}x")  # a broken link says why
    _check(page, path + "x")
    assert_no_page_errors(traffic)
