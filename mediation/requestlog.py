"""Logs as JSON lines, one per request: its id, method, path, status and duration.

Never the query string (it may hold a position or what a citizen typed), nor an IP address,
nor a form. The request id is sent back in `X-Request-Id` and shown on error pages, so a
citizen can quote it; a proxy's own `X-Request-Id` is kept when it looks like one.
"""

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

logger = logging.getLogger("mediation.requests")
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The application's own loggers, and the extensions' whose warnings an operator needs.
LOGGERS = ("mediation", "flask-limiter")


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object: time, level, logger, message and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if request_id := _current_request_id():
            entry.setdefault("request_id", request_id)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _current_request_id() -> str | None:
    try:
        return g.get("request_id")
    except RuntimeError:  # outside a request
        return None


class StderrHandler(logging.StreamHandler):
    """Write to whatever `sys.stderr` is at the time (servers and test runners replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def install_handler() -> None:
    """Send the application's logs to standard error as JSON lines (once per process)."""
    for name in LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(h.formatter, JsonFormatter) for h in target.handlers):
            handler = StderrHandler()
            handler.setFormatter(JsonFormatter())
            target.addHandler(handler)
        target.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    if app.config["LOG_FORMAT"] == "json":
        from flask.logging import default_handler

        app.logger.removeHandler(default_handler)
        install_handler()
    logger.setLevel(logging.INFO)

    @app.before_request
    def start():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-Id"] = request_id
        started = g.get("request_started")
        logger.info("request", extra={"fields": {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "endpoint": request.endpoint,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "bytes": response.calculate_content_length(),
        }})
        return response
