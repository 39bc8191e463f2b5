"""Decisions on new services and changes: `flask review list|approve|reject`, mail to the author."""

import re

import pytest

from mediation.extensions import db
from mediation.models import AuditEvent, Revision, RevisionState, Service, ServiceStatus
from test_manage import form_data, html


@pytest.fixture
def submitted(client, auth, make_user):
    """An editor of Schaerbeek (signed in in Dutch, so mailed in Dutch) has submitted a new
    service; one admin exists."""
    make_user("admin@example.be", role="admin")
    make_user("auteur@schaerbeek.be")
    client.post("/nl/account/login", data={"email": "auteur@schaerbeek.be",
                                           "password": "correct horse battery"})
    response = client.post("/en/manage/services/new", data=form_data())
    return int(re.search(r"/services/(\d+)/", response.headers["Location"]).group(1))


def test_review_list_shows_new_services_and_revisions(runner, submitted):
    result = runner.invoke(args=["review", "list"])
    assert result.exit_code == 0
    assert f"S{submitted}\tnew service\tMédiation de quartier de Schaerbeek" in result.output
    assert "1 item(s) awaiting review." in result.output


def test_approve_publishes_and_mails_the_author(app, runner, client, smtp, submitted):
    result = runner.invoke(args=["review", "approve", f"S{submitted}"])
    assert result.exit_code == 0, result.output
    assert f"Approved: S{submitted} is published." in result.output
    assert client.get(f"/fr/services/{submitted}", follow_redirects=True).status_code == 200
    ids = [s["id"] for s in client.get("/api/v1/services?commune=21015").get_json()["results"]]
    assert submitted in ids
    [message] = smtp.to("auteur@schaerbeek.be")
    assert message["Content-Language"] == "nl"
    assert f"/nl/services/{submitted}" in message.get_content()
    assert "0 item(s) awaiting review." in runner.invoke(args=["review", "list"]).output
    again = runner.invoke(args=["review", "approve", f"S{submitted}"])
    assert again.exit_code != 0 and "Nothing awaits review as" in again.output


def test_reject_sends_the_service_back_to_draft_with_the_reason(app, runner, client, smtp,
                                                               submitted):
    result = runner.invoke(args=["review", "reject", f"S{submitted}", "--reason",
                                 "Le numéro de téléphone ne répond pas."])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.get(Service, submitted).status is ServiceStatus.draft
        event = db.session.scalar(db.select(AuditEvent).filter_by(action="service.rejected"))
        assert event.after == {"reason": "Le numéro de téléphone ne répond pas."}
    assert client.get(f"/fr/services/{submitted}").status_code == 404
    [message] = smtp.to("auteur@schaerbeek.be")
    assert "Le numéro de téléphone ne répond pas." in message.get_content()
    assert f"/nl/manage/services/{submitted}/edit" in message.get_content()


@pytest.mark.parametrize("args, message", [
    (["review", "reject", "S1"], "Missing option '--reason'"),
    (["review", "reject", "S1", "--reason", "  "], "Please give a reason."),
    (["review", "approve", "X1"], "Nothing awaits review as X1"),
    (["review", "approve", "S"], "Unknown item 'S'"),
])
def test_review_refuses_what_it_cannot_decide(runner, submitted, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_review_names_the_admin_when_there_are_several(runner, submitted, make_user):
    make_user("other-admin@example.be", role="admin")
    result = runner.invoke(args=["review", "approve", f"S{submitted}"])
    assert "Name the deciding admin with --as EMAIL" in result.output
    result = runner.invoke(args=["review", "approve", f"S{submitted}", "--as",
                                 "other-admin@example.be"])
    assert result.exit_code == 0


def propose(client, service_id, **changes):
    url = f"/en/manage/services/{service_id}/edit"
    stamp = re.search(r'name="stamp" type="hidden" value="([^"]*)"', html(client.get(url))).group(1)
    return client.post(url, data=form_data(stamp=stamp, **changes))


def test_a_revision_is_approved_or_rejected_on_the_command_line(app, runner, client, smtp,
                                                                 submitted):
    runner.invoke(args=["review", "approve", f"S{submitted}"])
    assert propose(client, submitted, name_fr="Nom proposé").status_code == 302
    with app.app_context():
        revision_id = db.session.scalar(db.select(Revision.id))
    assert f"R{revision_id}\tchanges to service {submitted}" in runner.invoke(
        args=["review", "list"]).output
    result = runner.invoke(args=["review", "reject", f"R{revision_id}", "--reason", "Pas clair."])
    assert result.exit_code == 0
    public = html(client.get(f"/fr/services/{submitted}", follow_redirects=True))
    assert "Nom proposé" not in public
    with app.app_context():
        revision = db.session.get(Revision, revision_id)
        assert (revision.state, revision.reason) == (RevisionState.rejected, "Pas clair.")
        assert revision.reviewer_id is not None and revision.decided_at is not None

    assert propose(client, submitted, name_fr="Nom corrigé").status_code == 302
    with app.app_context():
        second = db.session.scalar(db.select(Revision.id).filter_by(state=RevisionState.pending))
    assert runner.invoke(args=["review", "approve", f"R{second}"]).exit_code == 0
    assert "Nom corrigé" in html(client.get(f"/fr/services/{submitted}", follow_redirects=True))
    subjects = [m["Subject"] for m in smtp.to("auteur@schaerbeek.be")]
    assert len(subjects) == 3  # published, changes refused, changes published


def test_every_step_leaves_an_audit_event(app, runner, client, submitted):
    runner.invoke(args=["review", "approve", f"S{submitted}"])
    propose(client, submitted, name_fr="Nom proposé")
    client.post(f"/en/manage/services/{submitted}/withdraw")
    client.post(f"/en/manage/services/{submitted}/verify")
    with app.app_context():
        actions = list(db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.entity_type.in_(("service", "revision"))).order_by(AuditEvent.id)))
        assert all(e.at is not None for e in db.session.scalars(db.select(AuditEvent)))
    assert actions == ["service.submitted", "service.approved", "revision.proposed",
                       "revision.withdrawn", "service.verified"]
