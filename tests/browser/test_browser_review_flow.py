"""A proposal's whole life in Chromium: the editor submits and keeps working, the admin reviews
what was submitted and returns it with a reason, the editor finds the reason and the returned
text, corrects and submits again, the admin approves; axe-core on each page of that path in
French, Dutch, German and English, on a desktop and on a phone.
"""


import pytest
from browser_helpers import (
    ADMIN,
    EDITOR,
    LANGUAGES,
    PASSWORD,
    SCHAERBEEK,
    VIEWPORTS,
    assert_no_page_errors,
    sign_in,
    sign_out,
)
from test_browser_staff_accessibility import _check, assert_nothing_found

pytestmark = pytest.mark.browser

SUBMITTED = "Médiation de quartier de Schaerbeek (soumise)"
WORKING = "Médiation de quartier de Schaerbeek (en cours)"
CORRECTED = "Médiation de quartier de Schaerbeek (corrigée)"
REASON = "Le nom officiel figure sur le site de la commune."


@pytest.fixture(scope="module")
def flow_service(staff_app, staff_accounts):
    """A published service of Schaerbeek nobody else's test changes."""
    from mediation.extensions import db
    from mediation.models import Service, ServiceArea, ServiceStatus

    with staff_app.app_context():
        ids = db.session.scalars(db.select(Service.id).join(ServiceArea).where(
            ServiceArea.refnis == SCHAERBEEK, Service.status == ServiceStatus.published)
            .order_by(Service.id)).all()
        return ids[1]  # the first is the editors' accessibility page, the last the admins'


def edit(page, service_id: int, name: str, button: str) -> None:
    page.goto(f"/en/manage/services/{service_id}/edit")
    page.wait_for_selector("[role=tab]")
    page.locator("#texts-fr-tab").click()
    page.locator("#name_fr").fill(name)
    page.locator("#phone").fill("02 555 01 23")  # the demo's numbers are out of service
    with page.expect_navigation():
        page.locator(f".actions button[value={button}]").click()
    summary = page.locator("#error-summary, #conflict")
    assert summary.count() == 0, summary.first.text_content()


def pending_revision_id(app, service_id: int) -> int:
    from mediation.extensions import db
    from mediation.models import Revision, RevisionState

    with app.app_context():
        return db.session.scalar(db.select(Revision.id).filter_by(
            service_id=service_id, state=RevisionState.pending))


def test_a_proposal_is_frozen_returned_with_its_reason_corrected_and_approved(
        staff_app, staff_page, flow_service, traffic):
    page = staff_page()
    sign_in(page, EDITOR, PASSWORD)
    edit(page, flow_service, SUBMITTED, "submit")
    assert "published after review" in page.locator(".flash-success").text_content()
    edit(page, flow_service, WORKING, "save")
    assert "The form below shows your unsubmitted changes." in page.locator("#submission") \
        .text_content()
    assert page.locator("#name_fr").input_value() == WORKING
    sign_out(page)

    # The admin sees what was submitted, not the editor's later work, and returns it.
    sign_in(page, ADMIN, PASSWORD)
    page.goto("/en/admin/review")
    key = f"R{pending_revision_id(staff_app, flow_service)}"
    page.locator(f"input[name=items][value={key}]").wait_for()
    page.goto(f"/en/admin/review/{key}")
    assert SUBMITTED in page.content()
    assert WORKING not in page.content()
    page.locator("#decision").select_option("reject")
    page.get_by_role("button", name="Record the decision").click()
    assert page.locator("#reason-error").text_content() == \
        "Please give the reason for the rejection."
    page.locator("#decision").select_option("reject")
    page.locator("#reason").fill(REASON)
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/en/admin/review")
    assert "1 item rejected" in page.locator(".flash-success").text_content()
    sign_out(page)

    # The editor finds the reason beside their work, corrects it and submits again.
    sign_in(page, EDITOR, PASSWORD)
    page.goto(f"/en/manage/services/{flow_service}/edit")
    assert REASON in page.locator("#returned").text_content()
    edit(page, flow_service, CORRECTED, "submit")
    sign_out(page)

    sign_in(page, ADMIN, PASSWORD)
    page.goto(f"/en/admin/review/R{pending_revision_id(staff_app, flow_service)}")
    assert CORRECTED in page.content()
    page.locator("#decision").select_option("approve")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/en/admin/review")
    assert "1 item approved and published." in page.locator(".flash-success").text_content()
    page.goto(f"/fr/services/{flow_service}")
    assert page.get_by_role("heading", level=1).text_content().strip() == CORRECTED
    assert_no_page_errors(traffic)


@pytest.fixture(scope="module")
def flow_paths(staff_app, staff_accounts):
    """A service with a proposal awaiting review whose pin moved, its author's unsubmitted
    changes, and a service returned with a reason."""
    from mediation import accounts
    from mediation.directory import moderation
    from mediation.directory.fields import fields_of
    from mediation.extensions import db
    from mediation.models import Service, ServiceArea, ServiceStatus

    with staff_app.test_request_context("/en/"):  # the rejection's mail has links
        services = db.session.scalars(db.select(Service).join(ServiceArea).where(
            ServiceArea.refnis == SCHAERBEEK, Service.status == ServiceStatus.published)
            .order_by(Service.id)).all()
        editor, admin = accounts.find_user(EDITOR), accounts.find_user(ADMIN)
        moving, returned = services[2], services[3]
        fields = fields_of(moving)
        fields["location"] = dict(fields["location"], lat=fields["location"]["lat"] + 0.0006,
                                  lon=fields["location"]["lon"] + 0.0004,
                                  geocode_source="manual")
        fields["update_interval_months"] = 3
        revision = moderation.save(editor, moving, fields, submit=True,
                                   opened_stamp=moderation.stamp(moving)).revision
        later = dict(fields, languages=sorted(set(fields["languages"]) | {"de"}))
        moderation.save(editor, moving, later, submit=False,
                        opened_stamp=moderation.stamp(moving))
        fields = fields_of(returned)
        fields["texts"]["name"]["fr"] += " (à revoir)"
        sent_back = moderation.save(editor, returned, fields, submit=True,
                                    opened_stamp=moderation.stamp(returned)).revision
        moderation.reject(admin, returned, sent_back, REASON)
        return {"moving": moving.id, "review": f"R{revision.id}", "returned": returned.id}


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_of_a_proposals_life_have_no_axe_violations(staff_page, flow_paths, traffic,
                                                               lang, viewport):
    phone = viewport == "phone"
    page = staff_page(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    found = {"violations": [], "overflow": []}
    page.goto(f"/{lang}/account/login")
    sign_in(page, EDITOR, PASSWORD)
    for name, path in (("submitted, with unsubmitted changes",
                        f"manage/services/{flow_paths['moving']}/edit"),
                       ("returned with a comment",
                        f"manage/services/{flow_paths['returned']}/edit")):
        assert page.goto(f"/{lang}/{path}").status == 200
        _check(page, name, found)
    page.goto(f"/{lang}/manage/")
    _check(page, "your services, one returned", found)
    sign_out(page)
    sign_in(page, ADMIN, PASSWORD)
    for name, path in (("review with the pin's move", f"admin/review/{flow_paths['review']}"),
                       ("preview", f"admin/review/{flow_paths['review']}/preview")):
        assert page.goto(f"/{lang}/{path}").status == 200
        _check(page, name, found)
    page.goto(f"/{lang}/admin/review/{flow_paths['review']}")
    assert page.locator("figure.move-map figcaption").count() == 1
    page.locator(".pin-move-map[data-ready='1'], .pin-move-map .map-placeholder").first.wait_for()
    assert_nothing_found(found, lang, VIEWPORTS[viewport])
    assert_no_page_errors(traffic)
