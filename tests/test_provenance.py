"""Entries taken from public sources: shown as such until their organisation confirms them."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from mediation.extensions import db
from mediation.models import AuditEvent, OutboxMessage, Service
from support import COMMUNE_A

NOTICES = {
    "fr": ("Source :", "pas encore confirmé par l’organisme qui le gère."),
    "nl": ("Bron:", "nog niet bevestigd door de organisatie die de dienst beheert."),
    "de": ("Quelle:", "noch nicht vom Träger des Dienstes bestätigt."),
    "en": ("Source:", "not yet confirmed by the organisation running it."),
}


@pytest.fixture
def listed(app, make_service):
    """A published service of Schaerbeek taken from a public page."""
    service_id = make_service(COMMUNE_A, "published")
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.source_url = "https://www.infobruit.brussels/fr/mediation"
        service.source_date = date(2022, 6, 3)
        db.session.commit()
    return service_id


def page(client, lang, service_id):
    return client.get(f"/{lang}/services/{service_id}", follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "nl", "de", "en"])
def test_the_public_page_names_the_source_until_confirmed(client, listed, lang):
    text = page(client, lang, listed)
    source, pending = NOTICES[lang]
    assert source in text and pending in text
    assert 'href="https://www.infobruit.brussels/fr/mediation"' in text
    assert "2022" in text


def test_an_admin_records_a_check_by_phone(app, client, auth, listed):
    auth.as_admin()
    answer = client.post(f"/en/admin/services/{listed}/checked")
    assert answer.status_code == 302
    text = page(client, "en", listed)
    assert "Checked with the service by the directory's team on" in text
    assert "not yet confirmed" not in text
    assert "admin@example.be" not in text  # nobody is named
    with app.app_context():
        service = db.session.get(Service, listed)
        assert service.confirmation == "admin_check" and service.confirmed_by_id is not None
        assert db.session.scalar(select(AuditEvent).filter_by(action="service.confirmed"))


def test_the_communes_editors_are_asked_in_one_step_and_confirm_in_one_click(
        app, client, auth, make_user, listed):
    make_user("editor@schaerbeek.be", communes=[COMMUNE_A], lang="en")
    make_user("editor@liege.be", communes=["62063"])
    auth.as_admin()
    answer = client.post(f"/en/admin/communes/{COMMUNE_A}/invite-confirmation",
                         follow_redirects=True)
    assert "1 editor was asked to confirm the entries." in answer.get_data(as_text=True)
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.recipient == "editor@schaerbeek.be"
        [link] = re.findall(r"https?://[^/\s]+(/\w\w/manage/check/\S+)", mail.body)
    auth.logout()
    assert client.post(link).status_code == 302
    assert "Confirmed by the organisation running it on" in page(client, "en", listed)
    with app.app_context():
        assert db.session.get(Service, listed).confirmation == "editor"


def test_nothing_to_confirm_is_said(client, auth):
    auth.as_admin()
    answer = client.post(f"/en/admin/communes/{COMMUNE_A}/invite-confirmation",
                         follow_redirects=True)
    assert "No editor manages an entry of this commune" in answer.get_data(as_text=True)


def test_an_editor_confirms_a_listed_entry_from_still_accurate(client, auth, app, listed):
    auth.as_editor()
    assert client.post(f"/en/manage/services/{listed}/verify").status_code == 302
    with app.app_context():
        service = db.session.get(Service, listed)
        assert service.confirmation == "editor" and service.confirmed_at is not None
    assert "not yet confirmed" not in page(client, "en", listed)
