"""Flask extensions, created here without an app and bound in create_app."""

import hashlib
from datetime import datetime

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm import DeclarativeBase, registry


class Base(DeclarativeBase):
    registry = registry(
        # Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
        # Every timestamp is stored with its time zone (UTC) on PostgreSQL.
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def hashed_remote_address() -> str:
    """Return the key the rate limits count a visitor by: a keyed hash of the IP address.

    The limits' store (Redis in production) then never holds an address itself.
    """
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hashlib.blake2b(get_remote_address().encode(), key=key[:64], digest_size=16).hexdigest()


limiter = Limiter(key_func=hashed_remote_address)


def rate_limits_available() -> bool:
    """Return whether the rate limits' store answers (the in-memory one always does)."""
    if not (limiter.enabled and limiter.initialized):
        return True
    try:
        return bool(limiter.storage.check())
    except Exception:  # a store that cannot even be asked is not available
        return False


# What a database that does not answer raises: pages say 503 (web.py), never 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, SQLAlchemyTimeoutError)


def rollback_quietly() -> None:
    """Roll the session back; a connection that is gone has nothing left to roll back."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database is unreachable: the pool forgets it
        db.session.close()


def refresh_planner_statistics() -> None:
    """Let the database's query planner see how the data is spread (after bulk loads).

    Without statistics SQLite takes `status = 'published'` for a selective condition and reads
    every service instead of the few near a point. PostgreSQL's autovacuum does this too, later;
    vacuuming now also marks the new rows visible, so searches read the indexes alone.
    """
    from sqlalchemy import text

    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # VACUUM cannot run inside a transaction.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
