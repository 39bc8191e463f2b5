"""Staff commands: create-user (password from standard input) and invite-user."""

import pytest

from support import PASSWORD
from mediation.extensions import db
from mediation.models import AuditEvent, User


def account(app, email):
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        return user and (user.role.value, sorted(c.refnis for c in user.communes),
                         user.preferred_language, bool(user.password_hash))


def test_create_user_reads_the_password_twice_from_standard_input(app, runner, client):
    result = runner.invoke(args=["create-user", "Editor@Schaerbeek.be", "--role", "editor",
                                 "--commune", "21015", "--commune", "21006", "--lang", "nl"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Account editor@schaerbeek.be created (editor)." in result.output
    assert account(app, "editor@schaerbeek.be") == ("editor", ["21006", "21015"], "nl", True)
    assert client.post("/en/account/login", data={"email": "editor@schaerbeek.be",
                                                  "password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(AuditEvent).filter_by(action="user.created"))


@pytest.mark.parametrize("args, stdin, message", [
    (["--role", "editor", "--commune", "21015"], f"{PASSWORD}\nsomething else!!\n",
     "The two passwords are not the same."),
    (["--role", "editor", "--commune", "21015"], "short\nshort\n",
     "The password must be at least 12 characters long."),
    (["--role", "editor", "--commune", "21015"], "password1234\npassword1234\n",
     "This password is among the most commonly used passwords"),
    (["--role", "editor", "--commune", "21015"], "aaaaaaaaaaaa\naaaaaaaaaaaa\n",
     "This password is too easy to guess"),
    (["--role", "editor", "--commune", "99999"], f"{PASSWORD}\n{PASSWORD}\n",
     "Unknown commune code(s): 99999."),
    (["--role", "boss"], f"{PASSWORD}\n{PASSWORD}\n", "Invalid value for '--role'"),
])
def test_create_user_refuses(app, runner, args, stdin, message):
    result = runner.invoke(args=["create-user", "editor@schaerbeek.be", *args], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert account(app, "editor@schaerbeek.be") is None


def test_create_user_refuses_an_address_taken(app, runner, make_user):
    make_user("editor@schaerbeek.be")
    result = runner.invoke(args=["create-user", "EDITOR@schaerbeek.be", "--role", "admin"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code != 0
    assert "exists already" in result.output


def test_invite_user_mails_a_link_to_choose_the_password(app, runner, client, smtp):
    result = runner.invoke(args=["invite-user", "new@liege.be", "--role", "editor",
                                 "--commune", "62063", "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "Invitation sent to new@liege.be (editor)." in result.output
    assert account(app, "new@liege.be") == ("editor", ["62063"], "de", False)
    [message] = smtp.to("new@liege.be")
    assert message["Content-Language"] == "de"
    body = message.get_content()
    link = next(word for word in body.split() if "/account/welcome/" in word)
    assert link.startswith(app.config["PUBLIC_BASE_URL"].rstrip("/") + "/de/account/welcome/")
    path = link[len(app.config["PUBLIC_BASE_URL"].rstrip("/")):]
    new = "my very own password"
    assert client.post(path, data={"password": new, "confirm": new}).status_code == 302
    assert account(app, "new@liege.be")[3] is True


def test_invite_user_with_the_mail_server_down_keeps_the_message(app, runner, monkeypatch):
    from support import free_port
    from mediation.models import OutboxMessage

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())
    result = runner.invoke(args=["invite-user", "new@liege.be", "--role", "editor",
                                 "--commune", "62063"])
    assert result.exit_code == 0
    assert "stay in the outbox" in result.output
    with app.app_context():
        message = db.session.scalar(db.select(OutboxMessage))
        assert (message.recipient, message.sent_at, message.attempts) == ("new@liege.be", None, 1)
