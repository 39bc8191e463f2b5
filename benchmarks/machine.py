"""What every benchmark report says of the code it measured and of the machine's load."""

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def code_version() -> str:
    """The commit measured, and whether the application's files differ from it (a report
    written by an earlier run does not count)."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = " plus uncommitted changes" if git("status", "--porcelain", "mediation").strip() else ""
    return f"commit {git('rev-parse', '--short', 'HEAD').strip() or 'unknown'}{dirty}"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def load_span(before: tuple, after: tuple) -> str:
    """The load averages at the start and the end of a run, as the reports give them."""
    def averages(values):
        return ", ".join(f"{x:.2f}" for x in values)
    return (f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) before: {averages(before)}, "
            f"after: {averages(after)}")


@contextmanager
def fresh_directory():
    """Inside the application and a request (in English) of a directory of its own: SQLite in a
    temporary folder, migrated, the communes loaded, no service."""
    from flask_migrate import upgrade

    from mediation import create_app
    from mediation.gazetteer_loader import load_communes

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-" * 8,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context(), app.test_request_context("/en/"):
            upgrade()
            load_communes()
            yield app
