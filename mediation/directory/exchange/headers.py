"""The column names people give their own sheets, in four languages, read as template columns.

"Code postal", "Postcode", "PLZ" and "postal_code" all mean `postal_code`. A name or an
organisation's name in a column without a language ("Name", "Organisation") goes to the first
language the communes of its row require (`name`, `organization_name`). A mapping given by the
person importing ("Nom du service=name_fr", "Statut=" to leave a column out) wins.
"""

from __future__ import annotations

import re

from ...searchkeys import tokens
from .columns import COLUMNS

# Columns of people's sheets that the template has no single column for.
LOOSE_COLUMNS = ("name", "organization_name", "description", "address", "source_url",
                 "source_date")

ALIASES = {
    "communes": ("commune", "communes", "gemeente", "gemeenten", "gemeinde", "gemeinden",
                 "municipality", "municipalities", "communes covered", "communes desservies",
                 "communes couvertes", "territoire", "werkingsgebied", "bediende gemeenten",
                 "betroffene gemeinden", "ville", "stad", "localite", "commune s",
                 "gemeente n", "refnis", "code refnis", "nis", "niscode", "nis code"),
    "postal_code": ("code postal", "cp", "postcode", "plz", "postleitzahl", "postal code", "zip",
                    "code postal de l adresse", "postnummer"),
    "name_fr": ("nom", "nom du service", "service", "denomination", "nom service",
                "intitule", "nom de la mediation", "service de mediation"),
    "name_nl": ("naam", "naam van de dienst", "dienst", "naam dienst", "benaming",
                "bemiddelingsdienst"),
    "name_de": ("bezeichnung", "name des dienstes", "dienststelle"),
    "name": ("name", "name of the service", "service name"),
    "types": ("type", "types", "type de mediation", "types de mediation", "kind", "kinds",
              "soort", "soort bemiddeling", "art", "art der mediation", "type of mediation",
              "kind of mediation", "mediation", "bemiddeling", "typ", "categorie",
              "categorie de mediation", "type bemiddeling", "mediationsart"),
    "phone": ("telephone", "tel", "telefoon", "telefon", "phone", "numero de telephone",
              "telefoonnummer", "telefonnummer", "phone number", "tel nr", "telefoonnr",
              "contact telephonique"),
    "email": ("e mail", "email", "courriel", "mail", "adresse e mail", "adresse email",
              "e mailadres", "emailadres", "e mail adresse", "e mail address", "email address",
              "adresse courriel"),
    "website": ("site", "site internet", "site web", "website", "webseite", "url", "internet",
                "homepage", "web", "site de la commune", "webadres", "internetseite"),
    "address": ("adresse", "adres", "address", "adresse postale", "adresse du service",
                "postadres", "anschrift", "lieu", "locatie"),
    "street": ("rue", "straat", "strasse", "street", "straatnaam", "rue et numero"),
    "number": ("numero", "n", "nummer", "nr", "huisnummer", "hausnummer", "house number", "no"),
    "box": ("boite", "bus", "postfach", "box"),
    "commune": ("commune de l adresse", "localite de l adresse", "gemeente van het adres",
                "ort", "gemeinde der adresse", "city", "locality", "plaats", "woonplaats"),
    "organization_name": ("organisme", "organisation", "organisatie", "trager", "traeger",
                          "organization", "pouvoir organisateur", "inrichtende macht",
                          "organisateur", "beheerder", "operator", "gestionnaire",
                          "organisme gestionnaire", "organisation name"),
    "organization_name_fr": ("nom de l organisme", "nom de l organisation"),
    "organization_name_nl": ("naam van de organisatie", "naam organisatie"),
    "organization_kind": ("type d organisme", "type organisme", "organisation type",
                          "type d organisation", "organization type", "soort organisatie",
                          "type organisatie", "art des tragers", "tragerart",
                          "organisation kind"),
    "organization_kbo": ("numero d entreprise", "numero bce", "bce", "kbo", "ondernemingsnummer",
                         "kbo nummer", "kbo nr", "enterprise number", "unternehmensnummer",
                         "n bce", "numero d entreprise bce", "btw", "tva", "kbo bce",
                         "bce kbo"),
    "description_fr": ("description", "description du service", "descriptif"),
    "description_nl": ("beschrijving", "omschrijving"),
    "description_de": ("beschreibung",),
    "languages": ("langues", "talen", "sprachen", "langues parlees", "gesproken talen"),
    "update_interval_months": ("intervalle de mise a jour", "frequence de verification",
                               "update interval", "controle interval", "prufintervall",
                               "frequence de mise a jour", "controlefrequentie"),
    "source_url": ("source", "bron", "quelle", "source url", "lien source", "url source",
                   "url de la source", "bron url", "bronvermelding", "quelle url", "page source"),
    "source_date": ("date de la source", "date source", "datum bron", "bron datum",
                    "source date", "quelldatum", "datum der quelle", "date", "datum",
                    "date de la page", "datum pagina"),
    "last_verified_at": ("derniere verification", "laatste controle", "letzte prufung",
                         "last checked", "laatste update", "laatste wijziging", "mise a jour",
                         "derniere mise a jour", "date de mise a jour", "letzte aktualisierung",
                         "last update", "last updated", "bijgewerkt op", "verifie le",
                         "gecontroleerd op", "stand"),
}

_KNOWN = {key: key for key in (*COLUMNS, *LOOSE_COLUMNS)}
for _column, _names in ALIASES.items():
    for _name in _names:
        _KNOWN.setdefault(_name, _column)


def header_key(label) -> str:
    """A header cell's search key: no case, accents, punctuation ("Code postal" → "code postal")."""
    text = str(label or "").lstrip("\ufeff").replace("°", " ").replace("º", " ")
    return " ".join(tokens(text))


def column_for(label, mapping: dict[str, str] | None = None) -> str | None:
    """The template column a header means; "" for a column to leave out; None when unknown."""
    text = str(label or "").strip().lstrip("\ufeff").strip()
    if mapping:
        for given in (text, text.lower(), header_key(text)):
            if given in mapping:
                return mapping[given]
    exact = re.sub(r"[\s\-]+", "_", text.lower())
    if exact in _KNOWN and exact == _KNOWN[exact]:
        return exact  # the template's own key
    key = header_key(text)
    if not key:
        return None
    if key in _KNOWN:
        return _KNOWN[key]
    if key.replace(" ", "_") in _KNOWN:
        return _KNOWN[key.replace(" ", "_")]
    return None


def parse_mapping(text: str) -> dict[str, str]:
    """Read "Nom du service=name_fr, Statut=" into {header key: column}; raise ValueError
    naming a column that does not exist."""
    mapping = {}
    for pair in filter(None, (p.strip() for p in re.split(r"[,;]\s*(?=[^=,;]+=)", text or ""))):
        header, sep, column = pair.partition("=")
        column = column.strip()
        if not sep or (column and column not in _KNOWN.values()):
            raise ValueError(pair)
        mapping[header_key(header)] = column
    return mapping


def header_score(row) -> int:
    """How many cells of a row are recognised column names (to find the header row)."""
    return sum(1 for cell in row if isinstance(cell, str) and column_for(cell))


def choices() -> list[str]:
    """Every column a header may be mapped to."""
    return list(dict.fromkeys((*COLUMNS, *LOOSE_COLUMNS)))


def signature(header: list[str]) -> str:
    """A short key of a header row: files with the same headers share their mapping."""
    import hashlib

    text = "\x1f".join(header_key(label) for label in header)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def saved_mapping(header: list[str]) -> dict[str, str] | None:
    """The mapping last saved for files with this header row (kept in the audit trail)."""
    from sqlalchemy import select

    from ...extensions import db
    from ...models import AuditEvent

    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "import_mapping",
                                 AuditEvent.entity_id == signature(header),
                                 AuditEvent.action == "import.mapping_saved")
        .order_by(AuditEvent.id.desc()).limit(1))
    mapping = (event.after or {}).get("mapping") if event is not None else None
    return mapping if isinstance(mapping, dict) else None


def save_mapping(user, header: list[str], mapping: dict[str, str]) -> None:
    """Remember a mapping for the next file with the same header row; audited, committed."""
    from ...extensions import db
    from ...models import AuditEvent

    db.session.add(AuditEvent(user_id=getattr(user, "id", None), action="import.mapping_saved",
                              entity_type="import_mapping", entity_id=signature(header),
                              after={"header": header, "mapping": mapping}))
    db.session.commit()
