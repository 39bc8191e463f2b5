"""Work done after the answer is sent: delivering mail, and the per-account work of a reset or
an invitation, so that neither a slow mail server nor the existence of an account shows in
how long a page takes.

`later(function, *args)` hands the work to one thread of the process, which runs it in an
application context of its own. With `BACKGROUND_WORK = "inline"` (the test suite) the work
runs at once, in the request. Work that is lost when a process stops is either in the outbox
(claimed mail is taken up again by `flask send-mail`, see mail.py) or a request the person
makes again (a reset link).
"""

from __future__ import annotations

import atexit
import os
import queue
import threading

from flask import current_app, g, has_request_context

_work: queue.Queue = queue.Queue()
_lock = threading.Lock()
_worker: threading.Thread | None = None
_worker_pid: int | None = None
PENDING = "background_jobs"  # in flask.g: the request's work, handed over once it is answered


def later(function, *args) -> None:
    """Run `function(*args)` after the answer, in its own application context.

    During a request the work is handed over once the request is over (its teardown), so that
    it does not compete with computing the answer. Not when the server closes the answer: a
    development server skips that when the client has already gone (a browser following a
    redirect), and the work would be lost.
    """
    app = current_app._get_current_object()
    if app.config["BACKGROUND_WORK"] == "inline":
        function(*args)
        return
    if has_request_context():
        g.setdefault(PENDING, []).append((app, function, args))
    else:
        _hand_over([(app, function, args)])


def _hand_over(jobs: list) -> None:
    _start()
    for job in jobs:
        _work.put(job)


def init_app(app) -> None:
    """Hand the request's work over when the request ends, whatever became of its answer."""

    @app.teardown_request
    def hand_over_when_done(_error=None):
        jobs = g.pop(PENDING, None)
        if jobs:
            _hand_over(jobs)


def _start() -> None:
    global _worker, _worker_pid
    with _lock:
        # A worker process forked from a parent that had a thread does not have the thread.
        if _worker is None or not _worker.is_alive() or _worker_pid != os.getpid():
            _worker = threading.Thread(target=_run, name="mediation-background", daemon=True)
            _worker_pid = os.getpid()
            _worker.start()


def _run() -> None:
    while True:
        app, function, args = _work.get()
        try:
            with app.app_context():
                function(*args)
        except Exception:  # noqa: BLE001 - one failed job must not stop the next ones
            app.logger.exception("Background work %s failed", getattr(function, "__name__", ""))
        finally:
            _work.task_done()


def wait(timeout: float = 30) -> bool:
    """Wait until the work handed over so far is done; False if it is not within `timeout`."""
    with _work.all_tasks_done:
        return _work.all_tasks_done.wait_for(lambda: not _work.unfinished_tasks, timeout)


# A process that stops normally finishes what it was handed (a mail server that hangs is cut
# off by MAIL_TIMEOUT; what stays claimed is sent again by `flask send-mail`).
atexit.register(wait, 15)
