"""The web import in Chromium: a federal admin sends the list they keep (French headers under a
title row, one header the import does not know), reads it as they choose in the mapping step,
imports it, finds the service in the public search, and sends the same file again, whose
headers are now remembered; axe-core on each step in French, Dutch, German and English, on a
desktop and on a phone.
"""

import re

import pytest
from browser_helpers import (
    ADMIN,
    LANGUAGES,
    PASSWORD,
    VIEWPORTS,
    RESULT_ITEMS,
    assert_no_page_errors,
    sign_in,
)
from test_browser_staff_accessibility import _check, assert_nothing_found

pytestmark = pytest.mark.browser

NAME = "Médiation de quartier de Vresse-sur-Semois"


def their_list(name: str = NAME) -> bytes:
    """A list as a province keeps it: a title, a date, then their own headers (“Appellation” is
    not one the import knows), semicolons, Windows' encoding."""
    lines = ["Services de médiation – province de Namur;;;",
             "Mise à jour : novembre 2026;;;",
             ";;;",
             "Commune;Appellation;Type de médiation;Téléphone",
             f"Vresse-sur-Semois;{name};Médiation de quartier;061 50 04 00 (le matin)"]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def send(page, lang: str, data: bytes) -> None:
    page.goto(f"/{lang}/admin/import")
    page.locator("input[type=file]").set_input_files(
        {"name": "liste-namur.csv", "mimeType": "text/csv", "buffer": data})
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_selector("#result-title")


def test_an_admin_imports_their_own_list_and_the_service_is_public(staff_page, staff_accounts,
                                                                   traffic):
    page = staff_page()
    sign_in(page, ADMIN, PASSWORD)
    send(page, "fr", their_list())
    # The header was found under the title; “Appellation” is not known, so no name was read.
    assert page.locator("details.columns").get_attribute("open") is not None
    assert page.locator("label[for^=column-]").all_inner_texts() == [
        "Commune", "Appellation", "Type de médiation", "Téléphone"]
    appellation = page.get_by_label("Appellation", exact=True)
    assert appellation.input_value() == ""
    assert page.get_by_label("Commune", exact=True).input_value() == "communes"
    # Read as the French name, with the keyboard: focus the select, choose, send.
    appellation.focus()
    appellation.select_option("name_fr")
    page.get_by_role("button", name="Lire les colonnes ainsi et vérifier à nouveau").click()
    page.wait_for_selector("#result-title")
    status = page.get_by_role("status")
    assert status.inner_text() == "1 à créer, 0 à mettre à jour, 0 inchangé, 0 refusé."
    row = page.locator(".staff-table tbody tr").filter(has_text=NAME)
    assert "le matin" in row.inner_text()  # the phone's remark, kept and said
    page.get_by_role("button", name=re.compile("Importer le service nouveau ou modifié")).click()
    page.wait_for_url("**/fr/admin/services")
    assert page.locator(".flash-success").inner_text() == (
        "Import terminé\u00a0: 1 créé, 0 mis à jour, 0 inchangé, 0 refusé.")
    # A citizen of Vresse-sur-Semois finds it.
    page.goto("/fr/search?q=Vresse-sur-Semois")
    page.wait_for_selector(RESULT_ITEMS)
    assert NAME in " ".join(page.locator(RESULT_ITEMS).all_inner_texts())
    # The same file again: the headers are remembered, the service is the same one.
    send(page, "fr", their_list())
    assert page.get_by_label("Appellation", exact=True).input_value() == "name_fr"
    assert page.get_by_role("status").inner_text() == (
        "0 à créer, 0 à mettre à jour, 1 inchangé, 0 refusé.")
    assert_no_page_errors(traffic)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_import_steps_have_no_axe_violations(staff_page, staff_accounts, traffic, lang,
                                                 viewport):
    phone = viewport == "phone"
    page = staff_page(viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone)
    page.goto(f"/{lang}/account/login")
    sign_in(page, ADMIN, PASSWORD)
    found = {"violations": [], "overflow": []}
    page.goto(f"/{lang}/admin/import")
    _check(page, "import", found)
    page.locator("form[enctype] button[type=submit]").click()  # no file chosen
    page.wait_for_selector(".has-error")
    _check(page, "import without a file", found)
    # A row refused and one with a warning, beside the columns to map.
    rows = their_list(f"Service {lang} {viewport}").decode("cp1252") + (
        "Atlantis;Médiation d'Atlantis;Médiation de quartier;061 00 00 00\r\n")
    send(page, lang, rows.encode("cp1252"))
    if page.locator("details.columns").get_attribute("open") is None:
        page.locator("details.columns summary").click()  # the headers were known: it is closed
    page.locator("details.columns select").first.wait_for()
    _check(page, "import checked", found)
    assert_nothing_found(found, lang, VIEWPORTS[viewport])
