"""The map's bodies (GeoJSON and compact points), kept per process and rebuilt off the request
after a change.

The whole country's map takes seconds to read and encode at 100,000 services. A worker that has
a body of an older version of the directory goes on serving it (with its own ETag and
Last-Modified, so that caches stay consistent) while one thread of the process builds the body
of the current version; the next visitor gets the new one. Only a worker that has never built
this map builds it in the request. With `BACKGROUND_WORK = "inline"` (the test suite) the new
body is built in the request, so that an answer always reflects the last write.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from ..directory.reading.search import directory_version, version_moment


@dataclass(frozen=True)
class MapBody:
    version: str  # the directory's version the body was read at (or after)
    etag: str
    last_modified: datetime | None
    data: bytes


class MapBodies:
    """One body per kind of map (language, filters, compression), at most `size` kinds."""

    def __init__(self, size: int = 32):
        self.size = size
        self.bodies: dict[tuple, MapBody] = {}
        self.building: dict[tuple, threading.Thread] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple, version: str, build: Callable[[], bytes]) -> MapBody:
        """Return the body of this version, or the previous one while the new one is built."""
        known = self.bodies.get(key)
        if known is not None and known.version == version:
            return known
        app = current_app._get_current_object()
        if known is None or app.config["BACKGROUND_WORK"] == "inline":
            return self._store(key, version, build())
        self._build_later(app, key, build)
        return known

    def wait(self, timeout: float = 30) -> None:
        """Wait for the bodies being built (tests, and a process that stops)."""
        with self.lock:
            threads = list(self.building.values())
        for thread in threads:
            thread.join(timeout)

    def _store(self, key: tuple, version: str, data: bytes) -> MapBody:
        body = MapBody(version, hashlib.sha1(repr((version, key)).encode()).hexdigest(),
                       version_moment(version), data)
        with self.lock:
            known = self.bodies.get(key)
            if known is not None and _order(known.version) > _order(version):
                return known  # a newer one was stored meanwhile
            while len(self.bodies) >= self.size and key not in self.bodies:
                self.bodies.pop(next(iter(self.bodies)))
            self.bodies[key] = body
        return body

    def _build_later(self, app: Flask, key: tuple, build: Callable[[], bytes]) -> None:
        with self.lock:
            if key in self.building:
                return
            thread = threading.Thread(target=self._build, args=(app, key, build),
                                      name="mediation-map", daemon=True)
            self.building[key] = thread
        thread.start()

    def _build(self, app: Flask, key: tuple, build: Callable[[], bytes]) -> None:
        try:
            with app.app_context():
                # The version first: the body then holds at least what it names, and a write
                # made while it is read only means one more build.
                version = directory_version()
                self._store(key, version, build())
        except Exception:  # the previous body goes on being served
            app.logger.exception("Building the map's GeoJSON failed")
        finally:
            with self.lock:
                self.building.pop(key, None)


def _order(version: str) -> str:
    """Versions in the order of time: ISO moments sort as text, "empty" comes first."""
    return "" if version == "empty" else version
