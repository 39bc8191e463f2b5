"""Development as a newcomer meets it: links in mails follow the address served, and the
outbox can be read from the command line and, in development, on a page."""

import shutil
import subprocess
from pathlib import Path

import pytest

from support import COMMUNE_A
from mediation import create_app
from mediation.extensions import db
from mediation.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[1]


def report(client, service_id):
    response = client.post(f"/en/services/{service_id}/report",
                           data={"message": "The phone number no longer answers."})
    assert response.status_code == 302


@pytest.fixture
def mails(app, client, make_user, make_service):
    """One mail sent (a citizen's report to the editor) and one waiting (a server was down)."""
    make_user("editor@schaerbeek.be", lang="en")
    report(client, make_service(COMMUNE_A))
    with app.app_context():
        db.session.add(OutboxMessage(recipient="someone@example.be", subject="Still waiting",
                                     body="Open http://127.0.0.1:5000/en/manage/ please.\n",
                                     language="en", attempts=2,
                                     last_error="ConnectionRefusedError: refused"))
        db.session.commit()


def test_flask_outbox_lists_waiting_and_sent_mails_with_their_links(runner, mails):
    result = runner.invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    waiting = next(line for line in lines if "Still waiting" in line)
    assert "waiting (2 attempt(s), last error: ConnectionRefusedError: refused)" in waiting
    assert "to someone@example.be (en)" in waiting
    assert "    http://127.0.0.1:5000/en/manage/" in lines  # the full stop is not the link's
    sent = next(line for line in lines if "report from a citizen" in line)
    assert " sent 20" in sent and "to editor@schaerbeek.be (en)" in sent
    assert "    http://127.0.0.1:5000/en/manage/#reports" in lines
    only_waiting = runner.invoke(args=["outbox", "--waiting"]).output
    assert "Still waiting" in only_waiting and "report from a citizen" not in only_waiting
    only_sent = runner.invoke(args=["outbox", "--sent"]).output
    assert "Still waiting" not in only_sent and "report from a citizen" in only_sent


def test_an_empty_outbox_says_so(runner):
    assert "The outbox is empty." in runner.invoke(args=["outbox"]).output


def development_app(app, **config):
    return create_app({"ENV_NAME": "development", "TESTING": True,
                       "SECRET_KEY": app.config["SECRET_KEY"], "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "LEAFLET_ASSETS": "local", **config})


def test_the_outbox_page_exists_in_development_only(app, client, mails):
    assert client.get("/dev/outbox").status_code == 404  # testing (and production): no page
    development = development_app(app)
    response = development.test_client().get("/dev/outbox")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<a href="http://127.0.0.1:5000/en/manage/#reports">' in page
    assert "Still waiting" in page and "waiting, 2 attempt(s)" in page
    with development.app_context():
        db.engine.dispose()


def test_links_in_mails_follow_the_address_served(app, make_user, make_service):
    """`make run PORT=5400` sets MEDIATION_PUBLIC_BASE_URL to http://127.0.0.1:5400."""
    make_user("editor@schaerbeek.be", lang="en")
    service_id = make_service(COMMUNE_A)
    served = development_app(app, PUBLIC_BASE_URL="http://127.0.0.1:5400")
    report(served.test_client(), service_id)
    with served.app_context():
        body = db.session.scalar(db.select(OutboxMessage.body))
        db.engine.dispose()
    assert "http://127.0.0.1:5400/en/manage/#reports" in body
    assert ":5000" not in body


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("args, base", [
    (["PORT=5400"], "http://127.0.0.1:5400"),
    ([], "http://127.0.0.1:5000"),
    (["HOST=0.0.0.0", "PORT=8080"], "http://127.0.0.1:8080"),  # every interface: this one
])
def test_make_run_serves_links_at_its_own_port(args, base):
    plan = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert f'MEDIATION_PUBLIC_BASE_URL="${{MEDIATION_PUBLIC_BASE_URL:-{base}}}"' in plan
