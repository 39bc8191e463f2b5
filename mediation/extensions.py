"""Flask extensions, created here without an app and bound in create_app."""

from datetime import datetime

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData
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
limiter = Limiter(key_func=get_remote_address)


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
