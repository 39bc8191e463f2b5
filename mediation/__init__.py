"""The national directory of local public mediation services in Belgium."""

import os

from flask import Flask, jsonify
from sqlalchemy import text

from . import config as settings

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(PACKAGE_DIR)


def resource_dir(name: str) -> str:
    """Return the folder of templates/, static/ or translations/.

    The built package carries a copy inside itself (setup.py); a checkout has them at its top.
    """
    packaged = os.path.join(PACKAGE_DIR, name)
    return packaged if os.path.isdir(packaged) else os.path.join(ROOT, name)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure one instance of the application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=resource_dir("templates"),
        static_folder=resource_dir("static"),
    )

    # 1. Defaults, then MEDIATION_* environment variables, then instance/config.py — or,
    #    under test, the mapping the test passes instead of the instance file.
    app.config.from_object(settings.Defaults)
    app.config.update(settings.from_environment())
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        db_path = os.path.join(app.instance_path, "mediation.sqlite")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = resource_dir("translations")
    settings.check(app.config)
    settings.complete(app.config)
    app.json.sort_keys = False  # keep the documented order of API fields

    # 2. Extensions: database and migrations, CSRF, rate limits, login.
    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .extensions import (
        babel,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
        rate_limits_available,
        rollback_quietly,
    )

    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
        render_as_batch=True,  # SQLite can only alter tables by copying them
    )
    @app.before_request
    def allow_large_uploads():
        # Before the CSRF check, which reads the body: the import takes files up to 20 MB,
        # every other request keeps the global cap.
        from flask import request

        from .directory.exchange.files import MAX_BYTES

        if request.endpoint == "admin.import_services" and request.method == "POST":
            request.max_content_length = MAX_BYTES + 64 * 1024

    csrf.init_app(app)
    limiter.init_app(app)
    # Behind reverse proxies: the citizen's address and scheme, from as many hops as trusted.
    hops = {k: app.config[f"PROXY_FIX_{k.upper()}"] for k in ("x_for", "x_proto", "x_host")}
    if any(hops.values()):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
    from . import proxies

    proxies.init_app(app)  # warns when trusted proxies' headers are missing
    login_manager.init_app(app)
    from .auth import sessions

    sessions.init_app(app)  # sessions that end: versions, idle time, absolute lifetime
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to see this page.")

    # 3. Languages: locale selection and the /<lang>/ URL processors.
    from . import i18n

    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    from . import elision

    elision.init_app(app)  # "habitants d’Amay": French elides before a name's vowel

    # 4. Request logs and ids, caching, security headers, template helpers, error pages.
    from . import caching, requestlog, web

    requestlog.init_app(app)
    caching.init_app(app)
    web.init_app(app)

    # 5. Mail: what a request's transaction put in the outbox is sent once it has committed.
    from . import mail

    mail.init_app(app)

    # 6. Blueprints, one per audience.
    from .api.catalog import bp as catalog_bp
    from .api.hsds import bp as hsds_bp
    from .api.routes import bp as api_bp
    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .manage.routes import bp as manage_bp
    from .public.crawlers import bp as crawlers_bp
    from .public.routes import bp as public_bp
    from .public.routes import root_redirect

    app.add_url_rule("/", "root", root_redirect)
    app.register_blueprint(public_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(hsds_bp)
    app.register_blueprint(catalog_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(crawlers_bp)
    csrf.exempt(api_bp)  # read-only JSON, no session state
    csrf.exempt(hsds_bp)
    if app.config["ENV_NAME"] == "development":  # never served outside development
        from .web import development_outbox

        app.add_url_rule("/dev/outbox", "development_outbox", development_outbox)

    # 7. Command-line interface: flask --app mediation <command>.
    from .cli import register

    register(app)

    @app.get("/healthz")
    @limiter.exempt
    def healthz():
        """Answer 200 when the database answers (degraded without the rate limits' store),
        503 otherwise."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # any database failure means "not healthy", never a 500 page
            rollback_quietly()
            response = jsonify(status="unavailable", unavailable=["database"])
            response.headers["Retry-After"] = str(app.config["RETRY_AFTER"])
            return response, 503
        warnings = {"warnings": proxies.warnings()} if proxies.warnings() else {}
        if not rate_limits_available():
            return jsonify(status="degraded", unavailable=["rate_limits"], **warnings)
        return jsonify(status="ok", **warnings)

    return app
