"""Two editors press Submit at the same moment, over real HTTP (DESIGN §6, STYLE §18).

On SQLite the app serves from a threaded server; on PostgreSQL from gunicorn with several
worker processes. Each round both editors open the form at the same version, then post at
once: exactly one is thanked, the other gets the conflict page with their text; never a 5xx,
never a proposal credited to someone who did not write it. Bounded: a few rounds, timeouts on
every request, the server stopped at the end.
"""

import os
import re
import subprocess
import sys
import threading
import time

import pytest
import requests
from werkzeug.serving import make_server

from support import COMMUNE_A, PASSWORD, free_port
from mediation.extensions import db
from mediation.models import Revision, RevisionState, Service, User
from test_manage import form_data

ROUNDS = 8
TIMEOUT = 30  # seconds for any one request
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STAMP = re.compile(r'name="stamp" type="hidden" value="([^"]*)"')


@pytest.fixture
def server(app):
    """The app served over HTTP on 127.0.0.1, with CSRF checks on as in production."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    port = free_port()
    if url.startswith("sqlite"):
        app.config["WTF_CSRF_ENABLED"] = True
        http = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=http.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            http.shutdown()
            app.config["WTF_CSRF_ENABLED"] = False
        return
    env = dict(os.environ,
               MEDIATION_ENV_NAME="testing", MEDIATION_SECRET_KEY="s" * 64,
               MEDIATION_SQLALCHEMY_DATABASE_URI=url,
               MEDIATION_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
               MEDIATION_BIND=f"127.0.0.1:{port}", MEDIATION_WORKERS="3",
               MEDIATION_LOG_FORMAT="text")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:mediation.deploy.gunicorn_conf",
         "mediation:create_app()"], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # workers start within a minute, even on a busy machine
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def signed_in(base, email):
    session = requests.Session()
    page = session.get(f"{base}/en/account/login", timeout=TIMEOUT).text
    response = session.post(f"{base}/en/account/login", timeout=TIMEOUT, allow_redirects=False,
                            data={"email": email, "password": PASSWORD,
                                  "csrf_token": CSRF.search(page).group(1)})
    assert response.status_code == 302, response.text[:500]
    return session


def race(base, sessions, service_id, action, names):
    """Both open the form, then post at the same moment; return their status codes."""
    url = f"{base}/en/manage/services/{service_id}/edit"
    forms = []
    for session, name in zip(sessions, names):
        page = session.get(url, timeout=TIMEOUT).text
        forms.append(form_data(stamp=STAMP.search(page).group(1), action=action, name_fr=name,
                               csrf_token=CSRF.search(page).group(1)))
    start = threading.Barrier(len(sessions))
    answers = [None] * len(sessions)
    pages = [""] * len(sessions)

    def post(i):
        start.wait(timeout=TIMEOUT)
        response = sessions[i].post(url, data=forms[i], timeout=TIMEOUT, allow_redirects=False)
        answers[i], pages[i] = response.status_code, response.text

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    return answers, pages


@pytest.mark.parametrize("status, action", [("published", "submit"), ("draft", "save")])
def test_of_two_simultaneous_saves_exactly_one_is_accepted(app, server, make_user, make_service,
                                                           figures, status, action):
    service_id = make_service(COMMUNE_A, status)
    emails = ["anne@schaerbeek.be", "bert@schaerbeek.be"]
    for email in emails:
        make_user(email, name=email.split("@")[0].capitalize())
    sessions = [signed_in(server, email) for email in emails]
    outcomes = []
    for round_number in range(ROUNDS):
        names = [f"Version {round_number} de {email.split('@')[0]}" for email in emails]
        answers, pages = race(server, sessions, service_id, action, names)
        outcomes.append(tuple(answers))
        assert sorted(answers) == [302, 409], (round_number, answers)
        winner, loser = (0, 1) if answers[0] == 302 else (1, 0)
        assert names[loser] in pages[loser]  # what the loser typed is kept
        assert "saved this service at" in pages[loser]
        with app.app_context():
            if status == "published":
                [pending] = db.session.scalars(db.select(Revision).filter_by(
                    service_id=service_id, state=RevisionState.pending)).all()
                author = db.session.get(User, pending.author_id).email
                assert (author, pending.fields["texts"]["name"]["fr"]) == \
                    (emails[winner], names[winner])
            else:
                service = db.session.get(Service, service_id)
                assert service.name_fr == names[winner]
    figures.append(f"simultaneous saves ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, "
                   f"{status}): {ROUNDS} rounds, answers {outcomes}")
