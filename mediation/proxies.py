"""What PROXY_FIX_X_FOR trusts, checked: a request that arrives without X-Forwarded-For while
proxies are trusted means a client reached the app around the proxy (or the proxy does not
set the header), and the address counted by the rate limits is then the proxy's or a forged
one. /healthz says so and the log says it once.
"""

from __future__ import annotations

from flask import Flask, current_app, request

MISSING = "proxy_fix_x_for_without_header"


def init_app(app: Flask) -> None:
    app.extensions["proxy_header_missing"] = 0
    if not app.config["PROXY_FIX_X_FOR"]:
        return

    @app.before_request
    def note_missing_forwarded_for():
        if request.path == "/healthz":  # a load balancer's probe may come straight in
            return
        if not request.headers.get("X-Forwarded-For"):
            if not app.extensions["proxy_header_missing"]:
                app.logger.warning(
                    "PROXY_FIX_X_FOR=%s trusts %s proxy hop(s), but a request came without "
                    "X-Forwarded-For: the rate limits count the proxy's address (or one a client "
                    "chose). Let only the proxy reach the app, or set PROXY_FIX_X_FOR=0.",
                    app.config["PROXY_FIX_X_FOR"], app.config["PROXY_FIX_X_FOR"])
            app.extensions["proxy_header_missing"] += 1


def warnings() -> list[str]:
    """The configuration warnings /healthz reports."""
    return [MISSING] if current_app.extensions.get("proxy_header_missing") else []
