"""The federal admins in Chromium: from a commune's submission to the public search, and axe-core
on every admin page in French, Dutch, German and English, on a desktop and on a phone.

The staff app runs with CSRF protection; a provincial admin of Limburg does not see what
Schaerbeek (Brussels) submits, the national admin approves it in the review page, and a citizen
then finds it by searching their commune.
"""

import re

import pytest
from browser_helpers import (
    ADMIN,
    EDITOR,
    LANGUAGES,
    PASSWORD,
    RESULT_ITEMS,
    SCHAERBEEK,
    VIEWPORTS,
    assert_no_page_errors,
    assert_stayed_local,
    cli,
    sign_in,
    sign_out,
)
from test_browser_staff_accessibility import _check, assert_nothing_found

pytestmark = pytest.mark.browser

LIMBURG_ADMIN = "coordinator@limburg.example.be"
LIMBURG = "70000"
NEW_NAME_FR = "Médiation citoyenne de Schaerbeek (revue fédérale)"
NEW_NAME_NL = "Gemeenschapsbemiddeling Schaarbeek (federale controle)"


@pytest.fixture(scope="module")
def limburg_admin(staff_app, staff_accounts):
    """An admin limited to the province of Limburg, created on the command line."""
    from mediation import accounts
    from mediation.extensions import db
    from mediation.models import Province

    with staff_app.app_context():
        if accounts.find_user(LIMBURG_ADMIN) is None:
            result = cli(staff_app, "create-user", LIMBURG_ADMIN, "--role", "admin", "--lang",
                         "en", input=f"{PASSWORD}\n{PASSWORD}\n")
            assert result.exit_code == 0, result.output
        user = accounts.find_user(LIMBURG_ADMIN)
        user.provinces = [db.session.get(Province, LIMBURG)]
        db.session.commit()
    return LIMBURG_ADMIN


def submit_new_service(page) -> int:
    """The editor of Schaerbeek fills in a new service and sends it for review; return its id."""
    page.goto("/en/manage/services/new")
    page.wait_for_selector("[role=tab]")
    for lang, name, description in (
            ("fr", NEW_NAME_FR, "Des médiateurs aident à renouer le dialogue."),
            ("nl", NEW_NAME_NL, "Bemiddelaars helpen het gesprek te herstellen.")):
        page.locator(f"#texts-{lang}-tab").click()
        page.locator(f"#name_{lang}").fill(name)
        page.locator(f"#description_{lang}").fill(description)
    page.get_by_label("Community and conflict mediation").check()
    page.locator("#street").fill("Avenue Louis Bertrand")
    page.locator("#number").fill("10")
    page.locator("#postal_code").fill("1030")
    page.locator("#location_commune").fill("Schaerbeek")
    page.locator("#phone").fill("02 555 01 99")
    page.locator(".actions button[value=submit]").click()
    page.wait_for_url(re.compile(r"/en/manage/services/\d+/edit$"))
    assert "published after review" in page.locator(".flash-success").text_content()
    return int(re.search(r"/services/(\d+)/edit", page.url).group(1))


def test_a_submission_reviewed_by_the_national_admin_reaches_the_public_search(
        staff_accounts, limburg_admin, staff_page, traffic):
    page = staff_page()

    # 1. The commune's editor submits a new service.
    sign_in(page, EDITOR, PASSWORD)
    service_id = submit_new_service(page)
    sign_out(page)

    # 2. The coordinator of Limburg does not see it, not even by its address.
    sign_in(page, limburg_admin, PASSWORD)
    page.goto("/en/admin/review")
    assert NEW_NAME_FR not in page.content() and f"S{service_id}" not in page.content()
    assert page.goto(f"/en/admin/review/S{service_id}").status == 404
    assert page.goto(f"/en/admin/services/{service_id}").status == 404
    sign_out(page)

    # 3. The national admin opens it from the queue, reads the differences and approves it.
    sign_in(page, ADMIN, PASSWORD)
    page.goto("/en/admin/")
    page.get_by_role("link", name=re.compile("(new service or change|new services and changes) to review")).click()
    page.wait_for_url("**/en/admin/review")
    page.get_by_role("link", name=NEW_NAME_FR).click()
    page.wait_for_url(re.compile(rf"/en/admin/review/S{service_id}v\d+$"))
    assert page.get_by_role("heading", level=1).text_content().strip() == \
        f"New service: {NEW_NAME_FR}"
    assert page.locator("table.diff ins", has_text="Schaerbeek").count() == 1
    page.locator("#decision").select_option("approve")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/en/admin/review")
    assert "1 item approved and published." in page.locator(".flash-success").text_content()
    assert NEW_NAME_FR not in page.content()

    # 4. A citizen, signed in nowhere (a fresh context on the same app), finds it by searching.
    citizen = staff_page(locale="fr-BE")
    citizen.goto("/fr/search?q=1030")
    citizen.wait_for_selector(RESULT_ITEMS)
    names = citizen.locator(f"{RESULT_ITEMS} .result-name").all_text_contents()
    assert any(NEW_NAME_FR in name for name in names), names
    citizen.get_by_role("link", name=NEW_NAME_FR).click()
    citizen.wait_for_url(re.compile(rf"/fr/services/{service_id}(/|$)"))
    assert citizen.get_by_role("heading", level=1).text_content().strip() == NEW_NAME_FR

    assert_no_page_errors(traffic)
    assert_stayed_local(traffic)


# --- axe-core on the admin pages ------------------------------------------------------------------

@pytest.fixture(scope="module")
def admin_paths(staff_app, staff_accounts):
    """Something on every admin page: a change awaiting review, in its history too, an access
    request, a citizen's report; the editor's account page."""
    from mediation import accounts
    from mediation.directory import moderation
    from mediation.directory.fields import fields_of
    from mediation.extensions import db
    from mediation.models import (
        AccessRequest,
        ErrorReport,
        Service,
        ServiceArea,
        ServiceStatus,
    )

    with staff_app.app_context():
        published = db.session.scalar(db.select(Service).join(ServiceArea).where(
            ServiceArea.refnis == SCHAERBEEK, Service.status == ServiceStatus.published)
            .order_by(Service.id.desc()))  # not the first: the editors' pages check that one
        editor = accounts.find_user(EDITOR)
        # A change proposed to a published service: a revision in the queue, with a history.
        fields = fields_of(published)
        fields["texts"]["name"]["fr"] += " (horaires d'été)"
        fields["languages"] = sorted(set(fields["languages"]) | {"en"})
        revision = moderation.save(editor, published, fields, submit=True,
                                   opened_stamp=moderation.stamp(published)).revision
        db.session.add(AccessRequest(name="Jan Peeters", email="jan.peeters@example.be",
                                     refnis=SCHAERBEEK, function="Bemiddelaar", language="nl",
                                     message="Graag toegang tot onze dienst."))
        db.session.add(ErrorReport(service_id=published.id, language="fr",
                                   message="Le numéro de téléphone a changé.",
                                   reporter_email="citoyen@example.be"))
        db.session.commit()
        return {"review_item": f"R{revision.id}", "service": published.id, "person": editor.id}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_admin_pages_have_no_axe_violations(staff_page, admin_paths, traffic, lang, viewport):
    phone = viewport == "phone"
    page = staff_page(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    page.goto(f"/{lang}/account/login")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/admin/")  # an admin lands on the dashboard
    found = {"violations": [], "overflow": []}
    for name, path in (("dashboard", "admin/"),
                       ("review", "admin/review"),
                       ("review item", f"admin/review/{admin_paths['review_item']}"),
                       ("services", "admin/services"),
                       ("services filtered", "admin/services?state=published&sort=verified"),
                       ("history", f"admin/services/{admin_paths['service']}"),
                       ("people", "admin/people"),
                       ("person", f"admin/people/{admin_paths['person']}"),
                       ("reports", "admin/reports"),
                       ("kinds", "admin/kinds"),
                       ("commune contact", "admin/communes/21015")):
        response = page.goto(f"/{lang}/{path}")
        assert response.status == 200, (name, response.status)
        _check(page, name, found)
    # Refusals as they are shown: a rejection without its reason, an account form's problems.
    page.goto(f"/{lang}/admin/review")
    page.locator("#decision").select_option("reject")
    page.locator("form:has(#decision) button[type=submit]").click()
    page.wait_for_selector(".flash-error")
    _check(page, "review refused without a reason", found)
    page.goto(f"/{lang}/admin/people/{admin_paths['person']}")
    page.locator("#add_commune").fill("Atlantis")
    page.locator("form:has(#add_commune) button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    _check(page, "person with a problem", found)
    page.goto(f"/{lang}/admin/communes/21015")
    page.locator("#phone").fill("12345")
    page.locator("form:has(#phone) button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    _check(page, "commune contact with a problem", found)
    assert_nothing_found(found, lang, VIEWPORTS[viewport])
    assert_no_page_errors(traffic)
