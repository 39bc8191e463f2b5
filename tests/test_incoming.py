"""Citizens' error reports reach someone: the service's editors in their language, else the
admins of its territory; several within an hour make one mail; the inbox answers the citizen.

Mail is read back from a real SMTP server on 127.0.0.1 (the `smtp` fixture).
"""

from datetime import timedelta

import pytest

from support import COMMUNE_A, COMMUNE_B
from mediation.extensions import db
from mediation.models import ErrorReport, Province, Region, User

EDITOR = "editor@schaerbeek.be"


def html(response):
    return response.get_data(as_text=True)


def report(client, service_id, message, email=None, lang="fr"):
    data = {"message": message, **({"email": email} if email else {})}
    response = client.post(f"/{lang}/services/{service_id}/report", data=data)
    assert response.status_code == 302, html(response)


def an_hour_passes(app):
    """Move every mail about reports an hour and a minute into the past."""
    with app.app_context():
        for found in db.session.scalars(db.select(ErrorReport).where(
                ErrorReport.notified_at.is_not(None))):
            found.notified_at -= timedelta(minutes=61)
        db.session.commit()


def test_a_report_mails_the_services_editors_in_their_language(
        client, app, smtp, make_user, make_service):
    make_user(EDITOR, lang="nl")
    make_user("colleague@schaerbeek.be", lang="de")
    make_user("invited@schaerbeek.be", password=None)  # has not chosen a password yet
    make_user("gone@schaerbeek.be", active=False)
    make_user("editor@liege.be", communes=[COMMUNE_B])
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "Le numéro ne répond plus.", "citizen@example.org")
    [dutch] = smtp.to(EDITOR)
    assert dutch["Subject"].startswith("1 melding van een burger over ")
    body = dutch.get_content()
    assert "Le numéro ne répond plus." in body
    assert "citizen@example.org" not in body  # the address stays in the inbox
    assert "http://127.0.0.1:5000/nl/manage/#reports" in body
    [german] = smtp.to("colleague@schaerbeek.be")
    assert german["Subject"].startswith("1 Meldung einer Bürgerin oder eines Bürgers")
    for nobody in ("invited@schaerbeek.be", "gone@schaerbeek.be", "editor@liege.be"):
        assert not smtp.to(nobody)
    with app.app_context():
        assert db.session.scalar(db.select(ErrorReport)).notified_at is not None


def test_reports_within_an_hour_make_one_mail_and_nothing_is_sent_twice(
        client, app, smtp, runner, make_user, make_service):
    make_user(EDITOR, lang="en")
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "First: the phone is wrong.")
    report(client, service_id, "Second: the address moved.")
    report(client, service_id, "Third: closed on Mondays.")
    assert len(smtp.to(EDITOR)) == 1  # the first at once, the others wait for the hour
    assert runner.invoke(args=["send-mail"]).exit_code == 0
    assert len(smtp.to(EDITOR)) == 1  # still within the hour: nothing yet
    an_hour_passes(app)
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    first, digest = smtp.to(EDITOR)
    assert digest["Subject"].startswith("2 reports from citizens about ")
    body = digest.get_content()
    assert "Second: the address moved." in body and "Third: closed on Mondays." in body
    assert "First: the phone is wrong." not in body
    runner.invoke(args=["send-mail"])
    runner.invoke(args=["send-reminders"])
    an_hour_passes(app)
    runner.invoke(args=["send-mail"])
    assert len(smtp.to(EDITOR)) == 2  # every report mailed exactly once
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ErrorReport.id)).where(
            ErrorReport.notified_at.is_(None))) == 0


def test_a_report_after_the_hour_goes_at_once_with_those_that_waited(
        client, app, smtp, make_user, make_service):
    make_user(EDITOR, lang="en")
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "One: the phone is wrong.")
    report(client, service_id, "Two: the address moved.")
    an_hour_passes(app)
    report(client, service_id, "Three: closed on Mondays.")
    first, second = smtp.to(EDITOR)
    assert "Two: the address" in second.get_content() and "Three: closed" in second.get_content()


def test_a_service_without_editors_mails_the_admins_of_its_territory(
        client, app, smtp, make_user, make_service):
    make_user("national@example.be", role="admin", lang="en")
    for email, region, province in (("brussels@example.be", "04000", None),
                                     ("limburg@example.be", None, "70000")):
        make_user(email, role="admin", lang="fr")
        with app.app_context():
            user = db.session.scalar(db.select(User).filter_by(email=email))
            user.regions = [db.session.get(Region, region)] if region else []
            user.provinces = [db.session.get(Province, province)] if province else []
            db.session.commit()
    make_user("new-admin@example.be", role="admin", password=None)
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "Wrong opening hours.")
    [national] = smtp.to("national@example.be")
    assert "The service has no editor in the directory" in national.get_content()
    assert "http://127.0.0.1:5000/en/admin/reports" in national.get_content()
    [brussels] = smtp.to("brussels@example.be")
    assert brussels["Subject"].startswith("1 signalement d’un citoyen au sujet de ") \
        or brussels["Subject"].startswith("1 signalement")
    assert not smtp.to("limburg@example.be") and not smtp.to("new-admin@example.be")


def test_an_editor_of_the_service_means_the_admins_are_not_mailed(
        client, smtp, make_user, make_service):
    make_user("national@example.be", role="admin")
    make_user(EDITOR)
    report(client, make_service(COMMUNE_A), "Wrong e-mail address.")
    assert smtp.to(EDITOR) and not smtp.to("national@example.be")


@pytest.mark.parametrize("lang, subject", [("en", "Your report about "),
                                           ("fr", "Votre signalement au sujet de ")])
def test_the_inbox_offers_a_reply_link_until_the_report_is_handled(
        client, auth, app, make_service, lang, subject):
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "Le site web a changé.", "citizen@example.org", lang=lang)
    auth.as_admin()
    page = html(client.get("/en/admin/reports"))
    assert 'href="mailto:citizen@example.org?subject=' in page
    assert subject.replace(" ", "%20") in page  # in the citizen's language
    with app.app_context():
        report_id = db.session.scalar(db.select(ErrorReport.id))
    client.post(f"/en/admin/reports/{report_id}", data={"outcome": "resolved", "note": "Done"})
    page = html(client.get("/en/admin/reports?status=resolved"))
    assert "Le site web a changé." in page
    assert "mailto:" not in page and "citizen@example.org" not in page


def test_the_editors_list_of_reports_offers_a_reply_link(client, auth, make_service):
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "Plus de permanence le lundi.", "citizen@example.org")
    report(client, service_id, "Sans adresse.")
    auth.as_editor(COMMUNE_A)
    page = html(client.get("/en/manage/"))
    assert '<h2 id="reports">' in page
    assert page.count('href="mailto:citizen@example.org?subject=') == 1
    assert "Answer the citizen at citizen@example.org" in page


def test_two_runs_at_once_mail_each_waiting_report_once(app, client, smtp, make_user,
                                                        make_service):
    """Two timers firing together (threads, each its own connection): one mail, not two."""
    import threading

    from mediation.directory.moderation.incoming import notify_waiting_reports
    from mediation.mail import deliver_committed

    make_user(EDITOR, lang="en")
    service_id = make_service(COMMUNE_A)
    report(client, service_id, "First: the phone is wrong.")
    report(client, service_id, "Second: the address moved.")
    an_hour_passes(app)
    start = threading.Barrier(2)
    mailed, failures = [], []

    def run():
        try:
            with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
                start.wait()
                mailed.append(notify_waiting_reports())
                deliver_committed()
                db.session.remove()
        except Exception as error:  # noqa: BLE001  (reported below, with its type)
            failures.append(repr(error))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # SQLite may refuse the second writer outright ("database is locked"): it mails nothing.
    assert all("locked" in failure for failure in failures), failures
    assert sorted(mailed + [0] * len(failures)) == [0, 1]
    first, second = smtp.to(EDITOR)
    assert "Second: the address moved." in second.get_content()
