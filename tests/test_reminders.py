"""Freshness: monthly reminders with signed "still accurate" links, weekly digests to admins.

Mail is read back from a real SMTP server on 127.0.0.1 (the `smtp` fixture).
"""

import re
from datetime import timedelta

import pytest

from support import COMMUNE_A, COMMUNE_B, set_user
from test_auth import clock  # noqa: F401  (the clock of signed links)
from mediation.extensions import db
from mediation.models import AuditEvent, Commune, Province, Service, ServiceStatus, User
from mediation.models.reference import utcnow

EDITOR = "editor@schaerbeek.be"
ADMIN = "admin@example.be"


def html(response):
    return response.get_data(as_text=True)


def age(app, service_id, days):
    """Make a service's last check `days` old."""
    with app.app_context():
        db.session.get(Service, service_id).last_verified_at = utcnow() - timedelta(days=days)
        db.session.commit()


def run(runner):
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def check_links(sink, email):
    body = sink.to(email)[-1].get_content()
    return re.findall(r"https?://[^/\s]+(/\w\w/manage/check/\S+)", body)


@pytest.fixture
def due_service(app, make_user, make_service):
    """An editor of Schaerbeek (English mail) with one published service due for a check."""
    make_user(EDITOR, lang="en")
    service_id = make_service(COMMUNE_A, "published")
    age(app, service_id, 200)
    return service_id


# --- Reminders to editors --------------------------------------------------------------------

def test_an_editor_is_reminded_of_due_services_once(runner, smtp, app, due_service,
                                                    make_service):
    fresh = make_service(COMMUNE_A, "published")
    with app.app_context():
        db.session.get(Service, fresh).name_fr = "Médiation SAC récente"
        db.session.commit()
    assert "1 reminder(s) to editors" in run(runner)
    assert "0 reminder(s) to editors" in run(runner)  # the same day again: nothing twice
    [message] = smtp.to(EDITOR)
    body = message.get_content()
    assert message["Subject"] == "Please check your entry in the directory of mediation services"
    assert "Médiation Schaerbeek (fr)" in body
    assert "récente" not in body  # checked recently: not listed
    assert len(check_links(smtp, EDITOR)) == 1
    assert re.search(rf"https?://\S+/en/manage/services/{due_service}/edit", body)
    with app.app_context():
        assert db.session.scalar(db.select(User).filter_by(email=EDITOR)).last_reminded_at


def test_a_month_later_the_editor_is_reminded_again(runner, smtp, app, due_service):
    run(runner)
    set_user(app, EDITOR, last_reminded_at=utcnow() - timedelta(days=20))
    run(runner)
    assert len(smtp.to(EDITOR)) == 1  # at most once a month
    set_user(app, EDITOR, last_reminded_at=utcnow() - timedelta(days=30))
    run(runner)
    assert len(smtp.to(EDITOR)) == 2


def test_an_invited_colleague_is_not_reminded_before_choosing_a_password(
        runner, smtp, app, due_service, make_user):
    make_user("invited@schaerbeek.be", password=None)  # invited: no password chosen yet
    make_user("invited-admin@example.be", role="admin", password=None)
    make_user("admin@example.be", role="admin")
    assert "1 reminder(s) to editors, 1 digest(s) to admins." in run(runner)
    assert smtp.to(EDITOR) and smtp.to("admin@example.be")
    assert not smtp.to("invited@schaerbeek.be") and not smtp.to("invited-admin@example.be")
    with app.app_context():
        invited = db.session.scalar(db.select(User).filter_by(email="invited@schaerbeek.be"))
        assert invited.last_reminded_at is None  # reminded once they have chosen one


def test_nothing_due_means_no_mail(runner, smtp, app, make_user, make_service):
    make_user(EDITOR)
    make_service(COMMUNE_A, "published")  # checked today
    old_draft = make_service(COMMUNE_A, "draft")
    age(app, old_draft, 400)  # not published: never due
    run(runner)
    assert smtp.to(EDITOR) == []
    set_user(app, EDITOR, active=False)
    with app.app_context():
        db.session.get(Service, old_draft).status = ServiceStatus.published
        db.session.commit()
    run(runner)
    assert smtp.to(EDITOR) == []  # a deactivated account gets nothing


def test_each_editor_gets_only_their_services(runner, smtp, app, make_user, make_service):
    make_user(EDITOR, lang="en")
    make_user("editor@liege.be", communes=[COMMUNE_B], lang="fr")
    age(app, make_service(COMMUNE_A, "published"), 200)
    age(app, make_service(COMMUNE_B, "published"), 200)
    run(runner)
    assert "Schaerbeek" in smtp.to(EDITOR)[0].get_content()
    assert "Liège" not in smtp.to(EDITOR)[0].get_content()
    liege = smtp.to("editor@liege.be")[0]
    assert "Liège" in liege.get_content() and liege["Content-Language"] == "fr"


# --- The signed "still accurate" link --------------------------------------------------------

def test_the_link_shows_the_entry_then_records_the_check(client, runner, smtp, app,
                                                         due_service):
    run(runner)
    [link] = check_links(smtp, EDITOR)
    page = client.get(link)  # nobody signed in
    assert page.status_code == 200
    assert "Is this entry still accurate?" in html(page)
    assert "Médiation Schaerbeek (fr)" in html(page)
    with app.app_context():  # looking is not confirming
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="service.verified")) is None
    response = client.post(link)
    assert response.status_code == 302
    assert f"/en/services/{due_service}" in response.headers["Location"]
    public = html(client.get(response.headers["Location"], follow_redirects=True))
    assert "Thank you. The entry is marked as checked today." in public
    assert "Information last verified on" in public
    with app.app_context():
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="service.verified"))
        editor = db.session.scalar(db.select(User).filter_by(email=EDITOR))
        assert event.user_id == editor.id and event.entity_id == str(due_service)
        checked = db.session.get(Service, due_service)
        assert checked.last_verified_at.replace(tzinfo=None) > \
            (utcnow() - timedelta(minutes=5)).replace(tzinfo=None)
    assert client.get("/en/manage/").status_code == 302  # the link signed nobody in


def test_the_link_confirms_once_then_says_when_and_by_whom(client, runner, smtp, app, due_service,
                                                           make_user):
    set_user(app, EDITOR, name="Els Peeters")
    run(runner)
    [link] = check_links(smtp, EDITOR)
    assert client.post(link).status_code == 302
    with app.app_context():
        first = db.session.get(Service, due_service).last_verified_at
    for method in ("GET", "POST"):  # a second click, days later or at once: nothing moves
        again = client.open(link, method=method)
        assert again.status_code == 200
        page = html(again)
        assert "This entry is confirmed already" in page
        assert re.search(r"was confirmed as still accurate on \d+ \w+ \d{4} by Els Peeters", page)
        assert "Is this entry still accurate?" not in page
    with app.app_context():
        assert db.session.get(Service, due_service).last_verified_at == first
        assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(
            action="service.verified")) == 1


def test_a_check_signed_in_also_uses_up_the_reminders_link(client, runner, smtp, app,
                                                           due_service, auth):
    run(runner)
    [link] = check_links(smtp, EDITOR)
    auth.login(EDITOR, lang="en")
    assert client.post(f"/en/manage/services/{due_service}/verify").status_code == 302
    auth.logout()
    assert "This entry is confirmed already" in html(client.get(link))


@pytest.mark.parametrize("seconds, works", [(30 * 86400 - 60, True), (30 * 86400 + 60, False)])
def test_the_link_works_for_thirty_days(client, runner, smtp, clock, due_service, seconds,
                                        works):
    run(runner)
    [link] = check_links(smtp, EDITOR)
    clock.advance(seconds)
    response = client.get(link)
    if works:
        assert response.status_code == 200
    else:
        assert response.status_code == 400
        assert "This link has expired." in html(response)
        assert client.post(link).status_code == 400


@pytest.mark.parametrize("change", [
    lambda link: link[:-2] + ("AA" if not link.endswith("AA") else "BB"),
    lambda link: link.replace("/check/", "/check/x"),
    lambda link: "/en/manage/check/not-a-token",
])
def test_a_tampered_link_does_not_work(client, runner, smtp, app, due_service, change):
    run(runner)
    [link] = check_links(smtp, EDITOR)
    response = client.post(change(link))
    assert response.status_code == 400
    assert "This link is not valid" in html(response)
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="service.verified")) is None


def test_the_link_dies_with_the_editors_rights(client, runner, smtp, app, due_service):
    run(runner)
    [link] = check_links(smtp, EDITOR)
    set_user(app, EDITOR, active=False)
    assert client.get(link).status_code == 400
    set_user(app, EDITOR, active=True)
    with app.app_context():
        db.session.get(Service, due_service).status = ServiceStatus.archived
        db.session.commit()
    assert client.get(link).status_code == 400


@pytest.mark.parametrize("method, path", [
    ("get", "/en/manage/"), ("get", "/en/manage/services/new"),
    ("post", "/en/manage/services/1/verify"), ("get", "/en/manage/invite"),
])
def test_every_other_manage_page_still_needs_signing_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


# --- Weekly digest to admins -----------------------------------------------------------------

def test_admins_get_a_weekly_digest_of_their_territory(runner, smtp, app, make_user,
                                                       make_service):
    make_user(ADMIN, role="admin", lang="en")
    make_user("liege-admin@example.be", role="admin", lang="en")
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="liege-admin@example.be"))
        user.provinces = [db.session.get(Province, "60000")]
        db.session.commit()
    make_service(COMMUNE_A, "pending")  # Schaerbeek, Brussels
    age(app, make_service(COMMUNE_A, "published"), 200)
    assert "2 digest(s) to admins" in run(runner)
    assert "0 digest(s) to admins" in run(runner)  # once a week
    [national] = smtp.to(ADMIN)
    body = national.get_content()
    assert national["Subject"] == "This week in the directory of mediation services"
    assert "* 1 new service or change to review" in body
    assert "* 1 service due for verification" in body  # one: in the singular
    assert re.search(r"https?://\S+/en/admin/review\b", body)
    assert re.search(r"https?://\S+/en/admin/services\?state=due", body)
    assert re.search(r"https?://\S+/en/admin/coverage\?state=none", body)
    assert "* 564 communes without a known service" in body
    [limited] = smtp.to("liege-admin@example.be")
    text = limited.get_content()
    assert "* 0 new services and changes to review" in text  # Brussels is not theirs
    with app.app_context():
        provincial = db.session.scalar(db.select(db.func.count(Commune.refnis)).where(
            Commune.province_code == "60000", Commune.active))
    assert f"* {provincial} communes without a known service" in text
    set_user(app, ADMIN, last_digest_at=utcnow() - timedelta(days=7))
    run(runner)
    assert len(smtp.to(ADMIN)) == 2


def test_reminders_in_dutch(runner, smtp, app, make_user, make_service):
    make_user(EDITOR, lang="nl")
    age(app, make_service(COMMUNE_A, "published"), 200)
    run(runner)
    message = smtp.to(EDITOR)[0]
    assert message["Content-Language"] == "nl"
    assert "Please check" not in message["Subject"]
