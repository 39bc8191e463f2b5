"""Helpers the test modules import (never from conftest: tests/ and tests/browser/ each have
one, and a module named conftest is whichever pytest loaded first)."""

from mediation.extensions import db


def translated(app, lang: str, msgid: str, **values) -> str:
    """The interface text as a reader of `lang` sees it."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(msgid, **values)


PASSWORD = "correct horse battery"
# Test apps hash passwords with argon2's lowest costs: the suite creates and signs in hundreds of
# accounts. tests/test_auth.py checks the production costs separately.
CHEAP_PASSWORD_HASHES = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024}
COMMUNE_A, COMMUNE_B = "21015", "62063"  # Schaerbeek (Brussels), Liège (Wallonia)


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def set_user(app, email, **values):
    """Change an account's columns directly (its language, its password, its activity)."""
    from mediation.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


def service_fields(refnis=COMMUNE_A, organization_id=None, **changes) -> dict:
    """The fields of a complete service of a commune, as the form would save them."""
    from mediation.directory.fields import TEXT_FIELDS
    from mediation.models import Commune

    commune = db.session.get(Commune, refnis)
    fields = {
        "organization_id": organization_id,
        "texts": {name: {"fr": "", "nl": "", "de": "", "en": ""} for name in TEXT_FIELDS},
        "types": ["neighbourhood"], "communes": [refnis], "languages": ["fr", "nl"],
        "update_interval_months": 6, "phone": "+3222222222", "email": "mediation@example.be",
        "website": "", "contact_name": "", "contact_email": "", "contact_phone": "",
        "free_of_charge": True, "handles_sac_minors": False,
        "location": {
            "street": "Place Colignon", "number": "1", "box": "",
            "postal_code": commune.postal_codes[0].code, "refnis": refnis,
            "lat": commune.lat, "lon": commune.lon, "geocode_source": "commune-centroid",
            "geocode_precision": "commune", "geocode_pending": False,
            "wheelchair_access": None, "opening_hours": {}, "by_appointment": False,
            "note": {},
        },
    }
    for lang in ("fr", "nl", "de"):
        fields["texts"]["name"][lang] = f"Médiation {commune.name_fr} ({lang})"
        fields["texts"]["description"][lang] = f"Description {lang}"
    fields.update(changes)
    return fields
