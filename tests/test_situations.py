"""Situations understood: a kind of mediation and a place, in any of four languages, any order."""

import csv
from pathlib import Path

import pytest

from mediation.gazetteer import get_index, normalise, understand
from mediation.situations import FILLER, PRECEDENCE, read_situation, understand_search

VOCABULARY = Path(__file__).resolve().parents[1] / "mediation" / "data" / "situations.csv"

# (what a citizen types, the kind expected, the commune expected by its name, or None)
TABLE = [
    # French
    ("bruit voisin Schaerbeek", "neighbourhood", "Schaerbeek"),
    ("conflit à l'école", "school", None),
    ("amende SAC Uccle", "sac", "Uccle"),
    ("SAC fine mediation Liège", "sac", "Liège"),
    ("problème avec mon voisin à Namur", "neighbourhood", "Namur"),
    ("tapage nocturne voisins Ixelles", "neighbourhood", "Ixelles"),
    ("haie mitoyenne Wavre", "neighbourhood", "Wavre"),
    ("les chiens du voisin aboient Charleroi", "neighbourhood", "Charleroi"),
    ("médiation de quartier Mons", "neighbourhood", "Mons"),
    ("médiation de quartier", "neighbourhood", None),
    ("querelle de voisinage", "neighbourhood", None),
    ("mon fils a reçu une amende SAC", "sac", None),
    ("sanction administrative communale mineur Anderlecht", "sac", "Anderlecht"),
    ("amende administrative Tournai", "sac", "Tournai"),
    ("fonctionnaire sanctionnateur Bruxelles", "sac", "Bruxelles"),
    ("prestation citoyenne Saint-Gilles", "sac", "Saint-Gilles"),
    ("médiation SAC Etterbeek", "sac", "Etterbeek"),
    ("médiation scolaire Molenbeek-Saint-Jean", "school", "Molenbeek-Saint-Jean"),
    ("conflit avec un professeur Liège", "school", "Liège"),
    ("mon enfant a un problème à l'école Arlon", "school", "Arlon"),
    ("élève exclu école Charleroi", "school", "Charleroi"),
    ("harcèlement à l'école", "school", None),
    ("conflit entre jeunes dans le quartier Schaerbeek", "neighbourhood", "Schaerbeek"),
    ("conflit entre groupes de jeunes Sint-Jans-Molenbeek", "community", "Molenbeek-Saint-Jean"),
    ("médiation citoyenne Ixelles", "community", "Ixelles"),
    ("dispute Namur", "community", "Namur"),
    ("Uccle amende SAC", "sac", "Uccle"),
    ("1180 SAC", "sac", "Uccle"),
    ("voisin bruit 1030", "neighbourhood", "Schaerbeek"),
    ("odeurs barbecue voisins Waterloo", "neighbourhood", "Waterloo"),
    ("nuisances sonores", "neighbourhood", None),
    ("musique trop fort voisine La Hulpe", "neighbourhood", "La Hulpe"),
    ("SAC La Louvière", "sac", "La Louvière"),
    ("conflit de voisinage Eupen", "neighbourhood", "Eupen"),
    ("litige avec le propriétaire Liège", "neighbourhood", "Liège"),
    ("mediation scolaire", "school", None),
    ("j'ai besoin d'aide pour un conflit avec mon voisin Mons", "neighbourhood", "Mons"),
    # Dutch
    ("burenruzie Gent", "neighbourhood", "Gent"),
    ("GAS-boete mijn zoon", "sac", None),
    ("GAS boete Antwerpen", "sac", "Antwerpen"),
    ("geluidsoverlast buren Leuven", "neighbourhood", "Leuven"),
    ("ruzie met de buurman Aalst", "neighbourhood", "Aalst"),
    ("conflict met buren Mechelen", "neighbourhood", "Mechelen"),
    ("buurtbemiddeling Brugge", "neighbourhood", "Brugge"),
    ("buurtbemiddeling", "neighbourhood", None),
    ("haag van de buren Hasselt", "neighbourhood", "Hasselt"),
    ("blaffende hond buren Kortrijk", "neighbourhood", "Kortrijk"),
    ("lawaai", "neighbourhood", None),
    ("mijn dochter kreeg een GAS-boete Gent", "sac", "Gent"),
    ("gemeentelijke administratieve sanctie Leuven", "sac", "Leuven"),
    ("GAS-bemiddeling minderjarige Antwerpen", "sac", "Antwerpen"),
    ("sanctionerend ambtenaar Mechelen", "sac", "Mechelen"),
    ("gemeenschapsdienst GAS", "sac", None),
    ("schoolbemiddeling Gent", "school", "Gent"),
    ("ruzie op school Antwerpen", "school", "Antwerpen"),
    ("conflict met de leerkracht", "school", None),
    ("pesten op school Leuven", "school", "Leuven"),
    ("conflictbemiddeling Oostende", "community", "Oostende"),
    ("spanningen tussen jongeren in de wijk Anderlecht", "neighbourhood", "Anderlecht"),
    ("ruzie Gent", "community", "Gent"),
    ("Gent burenruzie", "neighbourhood", "Gent"),
    ("9000 buren", "neighbourhood", "Gent"),
    ("overlast van de buren Schaarbeek", "neighbourhood", "Schaerbeek"),
    ("bemiddeling tussen buren Luik", "neighbourhood", "Liège"),
    ("GAS Brussel", "sac", "Bruxelles"),
    ("buren De Panne", "neighbourhood", "De Panne"),
    ("boete Sint-Niklaas", "sac", "Sint-Niklaas"),
    ("hulp nodig bij een conflict met mijn buren in Genk", "neighbourhood", "Genk"),
    ("muziek van de bovenburen", "neighbourhood", None),
    ("geurhinder buurman Turnhout", "neighbourhood", "Turnhout"),
    # German
    ("Streit mit dem Nachbarn Eupen", "neighbourhood", "Eupen"),
    ("Nachbarschaftsstreit Sankt Vith", "neighbourhood", "Sankt Vith"),
    ("Lärm Nachbarn Kelmis", "neighbourhood", "Kelmis"),
    ("Nachbarschaftsmediation Raeren", "neighbourhood", "Raeren"),
    ("Nachbarschaftsmediation", "neighbourhood", None),
    ("Hecke Nachbar Bütgenbach", "neighbourhood", "Bütgenbach"),
    ("Ärger mit dem Nachbarn wegen dem Hund Lontzen", "neighbourhood", "Lontzen"),
    ("GAS Strafe mein Sohn Eupen", "sac", "Eupen"),
    ("Verwaltungssanktion Lüttich", "sac", "Liège"),
    ("gemeindliche Verwaltungssanktion Eupen", "sac", "Eupen"),
    ("Bußgeld Minderjähriger Brüssel", "sac", "Bruxelles"),
    ("GAS-Mediation", "sac", None),
    ("Konflikt in der Schule Eupen", "school", "Eupen"),
    ("Schulmediation Sankt Vith", "school", "Sankt Vith"),
    ("Streit mit dem Lehrer", "school", None),
    ("Mobbing Schule Kelmis", "school", "Kelmis"),
    ("Konflikt Jugendliche Gruppe Eupen", "community", "Eupen"),
    ("Streit Amel", "community", "Amel"),
    ("Eupen Nachbarn Lärm", "neighbourhood", "Eupen"),
    ("4700 Nachbar", "neighbourhood", "Eupen"),
    ("Ruhestörung Nachbarin Büllingen", "neighbourhood", "Büllingen"),
    ("Musik zu laut Nachbarn Burg-Reuland", "neighbourhood", "Burg-Reuland"),
    ("Hilfe bei einem Streit mit meinen Nachbarn in Malmedy", "neighbourhood", "Malmedy"),
    ("Schüler Konflikt Lehrerin Raeren", "school", "Raeren"),
    # English
    ("SAC fine mediation Liège", "sac", "Liège"),
    ("noisy neighbours Brussels", "neighbourhood", "Bruxelles"),
    ("neighbour dispute Ghent", "neighbourhood", "Gent"),
    ("my neighbour's dog barks all night Ixelles", "neighbourhood", "Ixelles"),
    ("hedge dispute with neighbor Antwerp", "neighbourhood", "Antwerpen"),
    ("neighbourhood mediation Leuven", "neighbourhood", "Leuven"),
    ("neighbour", "neighbourhood", None),
    ("my son got an SAC fine", "sac", None),
    ("municipal administrative sanction Schaerbeek", "sac", "Schaerbeek"),
    ("GAS fine Antwerp", "sac", "Antwerpen"),
    ("fine for my teenager Uccle", "sac", "Uccle"),
    ("community service minor Namur", "sac", "Namur"),
    ("school mediation Brussels", "school", "Bruxelles"),
    ("conflict at school", "school", None),
    ("bullying at school Liège", "school", "Liège"),
    ("problem with a teacher Ghent", "school", "Gent"),
    ("conflict between groups of youths Anderlecht", "community", "Anderlecht"),
    ("community mediation Mons", "community", "Mons"),
    ("dispute Bruges", "community", "Brugge"),
    ("Etterbeek noise neighbours", "neighbourhood", "Etterbeek"),
    ("1180 neighbour noise", "neighbourhood", "Uccle"),
    ("loud music next door Ostend", "neighbourhood", "Oostende"),
    ("help with a conflict with my neighbours in Hasselt", "neighbourhood", "Hasselt"),
    ("smell from the neighbours barbecue", "neighbourhood", None),
    ("parking dispute neighbour Kortrijk", "neighbourhood", "Kortrijk"),
]


def test_the_table_has_at_least_100_phrases_in_four_languages():
    assert len(TABLE) >= 100
    assert sum(place is None for _, _, place in TABLE) >= 15
    assert sum(place is not None for _, _, place in TABLE) >= 80


def expected_refnis(name: str) -> str:
    return understand(name).chosen.refnis


def test_the_vocabulary_table(app_ctx, figures):
    """Kind and commune of each phrase, as the search page applies them."""
    misses = []
    for text, kind, place in TABLE:
        situation, _, understood = understand_search(text)
        got = understood.chosen.refnis if understood and understood.chosen else None
        want = expected_refnis(place) if place else None
        if (situation.kind, got) != (kind, want):
            misses.append(f"{text!r}: {situation.kind}/{got}")
    hits = len(TABLE) - len(misses)
    figures.append(f"situation vocabulary: {hits}/{len(TABLE)} phrases read as expected"
                   + (f" (misses: {'; '.join(misses)})" if misses else ""))
    assert not misses


@pytest.mark.parametrize("text", ["Boom", "La Hulpe", "De Panne", "Rue Haute 12 Bruxelles",
                                  "Schaerbeek", "1040", "Sint-Jans-Molenbeek", "Ham", "Spa"])
def test_a_place_alone_is_left_as_typed(app_ctx, text):
    situation = read_situation(text)
    assert situation.kind is None and situation.place == text


def read_vocabulary():
    with VOCABULARY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_vocabulary_has_every_kind_in_every_language():
    rows = read_vocabulary()
    for lang in ("fr", "nl", "de", "en"):
        for kind in ("neighbourhood", "community", "sac", "school", FILLER):
            assert any(r["lang"] == lang and r["kind"] == kind for r in rows), (lang, kind)
    assert {r["kind"] for r in rows} <= set(PRECEDENCE) | {FILLER}


# "My" is a village of Ferrières, found when typed alone; as a word among others it is English.
VILLAGES_ALLOWED = {"my"}


def test_no_word_of_the_vocabulary_is_a_place_name(app_ctx):
    """A vocabulary word that named a commune or a village would hide it from the search."""
    exact = get_index().exact
    clashes = [r["phrase"] for r in read_vocabulary()
               if normalise(r["phrase"]) in exact and r["phrase"] not in VILLAGES_ALLOWED]
    assert not clashes
