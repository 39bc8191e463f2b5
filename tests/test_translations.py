"""The four interface catalogs are complete: every string of the code is translated, and well.

The strings are extracted afresh, as `flask --app mediation translate extract` does, so a string
added to a template or a module without `translate update` (and its translations) fails here.
The catalogs are read as .po files: the compiled .mo files play no part.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "translations"
LANGS = ["fr", "nl", "de", "en"]
SHOWN = 10  # offending msgids printed per failure

# `%(name)s`-style placeholders (with optional flags, width and precision), and bare %s / %d.
NAMED = re.compile(r"%\((\w+)\)[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[sd]")


class Extraction(list):
    """The messages of a fresh extraction (a short repr keeps failure reports readable)."""

    def __repr__(self):
        return f"<{len(self)} messages extracted afresh>"


def _read(path: Path, **kwargs):
    with path.open("rb") as f:
        return read_po(f, **kwargs)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Return the messages of a fresh extraction, with the settings of `translate extract`."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "--no-location", "--project", "mediation", "-o", str(pot), "."],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, f"extraction failed:\n{result.stderr}"
    messages = Extraction(message for message in _read(pot) if message.id)
    assert messages, "the extraction found no message at all"
    return messages


@pytest.fixture(scope="module", params=LANGS)
def catalog(request):
    path = TRANSLATIONS / request.param / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing"
    return request.param, _read(path, locale=request.param)


def _msgid(message) -> str:
    return message.id[0] if message.pluralizable else message.id


def _report(lang: str, problem: str, offending: list[str], hint: str = "") -> str:
    lines = [f"{lang}: {len(offending)} message(s) {problem}:"]
    lines += [f"  - {msgid!r}" for msgid in offending[:SHOWN]]
    if len(offending) > SHOWN:
        lines.append(f"  … and {len(offending) - SHOWN} more")
    if hint:
        lines.append(hint)
    return "\n".join(lines)


UPDATE_HINT = ("Run `flask --app mediation translate update`, translate the new entries, then "
               "`flask --app mediation translate compile`.")


def _placeholders(text: str) -> tuple[frozenset, tuple]:
    """Return the named placeholders of a text, and its positional ones in order."""
    text = text.replace("%%", "")
    return frozenset(NAMED.findall(text)), tuple(POSITIONAL.findall(text))


def test_catalog_has_every_extracted_message(catalog, extracted):
    lang, translations = catalog
    missing = []
    for message in extracted:
        found = translations.get(message.id, context=message.context)
        if found is None or found.id != message.id:
            missing.append(_msgid(message))
    assert not missing, _report(lang, "extracted from the code but missing from the catalog",
                                missing, UPDATE_HINT)


def test_catalog_is_fully_translated(catalog):
    lang, translations = catalog
    assert not translations.fuzzy, f"{lang}: the catalog's header is marked fuzzy"
    assert translations.num_plurals == 2, f"{lang}: unexpected Plural-Forms header"
    untranslated, fuzzy = [], []
    for message in translations:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(_msgid(message))
        if message.pluralizable:
            forms = message.string if isinstance(message.string, (tuple, list)) else ()
            if len(forms) < translations.num_plurals or not all(forms):
                untranslated.append(_msgid(message))
        elif not message.string:
            untranslated.append(_msgid(message))
    reports = []
    if untranslated:
        reports.append(_report(lang, "untranslated", untranslated))
    if fuzzy:
        reports.append(_report(lang, "marked fuzzy (check them, then remove the flag)", fuzzy))
    assert not reports, "\n".join(reports + [UPDATE_HINT])


def test_translations_keep_the_placeholders_of_their_source(catalog):
    lang, translations = catalog
    wrong = []
    for message in translations:
        if not message.id or not message.string:
            continue
        if message.pluralizable and not isinstance(message.string, (tuple, list)):
            continue  # reported as untranslated
        if message.pluralizable:
            # A language may leave the number out of a form (“one commune”), never add a name.
            sources = [_placeholders(text) for text in message.id]
            names = frozenset().union(*(named for named, _ in sources))
            forms = [_placeholders(text) for text in message.string if text]
            ok = all(named <= names for named, _ in forms)
            ok = ok and frozenset().union(*(named for named, _ in forms)) == names
            ok = ok and all(positional in {p for _, p in sources} for _, positional in forms)
        else:
            ok = _placeholders(message.string) == _placeholders(message.id)
        if not ok:
            wrong.append(_msgid(message))
    assert not wrong, _report(lang, "whose placeholders differ from those of the source", wrong)
