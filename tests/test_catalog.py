"""The DCAT-AP catalogue: it conforms to the DCAT-AP 3.0.0 SHACL shapes kept in
../shared/data/dcat-ap-3.0 (European Union, CC BY 4.0; read by the tests only), and says in four
languages what the open data is, who publishes it, under which licence, since when."""

import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest


rdflib = pytest.importorskip("rdflib")

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SHAPES = SHARED / "dcat-ap-3.0" / "dcat-ap-SHACL.ttl"
VCARD = "http://www.w3.org/2006/vcard/ns#"
# The vocabularies, held apart: pytest would inspect them as test candidates at module level.
NS = SimpleNamespace(DCAT=rdflib.namespace.DCAT, DCTERMS=rdflib.namespace.DCTERMS,
                     FOAF=rdflib.namespace.FOAF, RDF=rdflib.namespace.RDF)


@pytest.fixture(scope="module")
def shapes():
    if not SHAPES.is_file():
        pytest.skip(f"the DCAT-AP shapes are not at {SHAPES}")
    return rdflib.Graph().parse(SHAPES)


def catalog(client, fmt="ttl") -> "rdflib.Graph":
    response = client.get(f"/open-data/catalog.{fmt}")
    assert response.status_code == 200
    if fmt == "ttl":
        return rdflib.Graph().parse(data=response.data, format="turtle")
    # rdflib's own JSON-LD parser still calls its deprecated ConjunctiveGraph: not ours to fix.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = rdflib.Graph().parse(data=response.data, format="json-ld")
    return graph


def conforms(graph, shapes) -> tuple[bool, str]:
    pyshacl = pytest.importorskip("pyshacl")
    result, _, text = pyshacl.validate(graph, shacl_graph=shapes)
    return result, text


def test_the_catalogue_conforms_to_dcat_ap_3(client, demo, shapes):
    for fmt in ("ttl", "jsonld"):
        graph = catalog(client, fmt)
        result, text = conforms(graph, shapes)
        assert result, text


def test_the_shapes_catch_a_catalogue_without_title_or_publisher(client, demo, shapes):
    graph = catalog(client)
    catalogue = graph.value(predicate=NS.RDF.type, object=NS.DCAT.Catalog)
    graph.remove((catalogue, NS.DCTERMS.title, None))
    graph.remove((catalogue, NS.DCTERMS.publisher, None))
    result, text = conforms(graph, shapes)
    assert not result and "title" in text and "publisher" in text


def test_turtle_and_json_ld_say_the_same(client, demo):
    from rdflib.compare import isomorphic

    assert isomorphic(catalog(client, "ttl"), catalog(client, "jsonld"))


def test_the_catalogue_describes_datasets_and_distributions_in_four_languages(client, demo):
    graph = catalog(client)
    catalogues = list(graph.subjects(NS.RDF.type, NS.DCAT.Catalog))
    assert len(catalogues) == 1
    datasets = list(graph.objects(catalogues[0], NS.DCAT.dataset))
    assert len(datasets) == 2
    distributions = list(graph.subjects(NS.RDF.type, NS.DCAT.Distribution))
    assert len(distributions) >= 3
    formats = {str(graph.value(d, NS.DCAT.mediaType)).rsplit("media-types/", 1)[1]
               for d in distributions}
    assert formats == {"application/json", "text/csv", "application/geo+json",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    urls = {str(graph.value(d, NS.DCAT.accessURL)) for d in distributions}
    assert {"http://127.0.0.1:5000/api/hsds/services", "http://127.0.0.1:5000/api/v1/services.csv",
            "http://127.0.0.1:5000/api/v1/services.xlsx",
            "http://127.0.0.1:5000/api/v1/services.geojson",
            "http://127.0.0.1:5000/api/v1/datapackage.json"} <= urls
    for subject in [catalogues[0], *datasets, *distributions]:
        titles = {t.language: str(t) for t in graph.objects(subject, NS.DCTERMS.title)}
        assert set(titles) == {"fr", "nl", "de", "en"}, subject
        assert len(set(titles.values())) == 4, titles  # translated, not copied
        assert {d.language for d in graph.objects(subject, NS.DCTERMS.description)} == set(titles)
    csv = next(d for d in distributions if str(graph.value(d, NS.DCAT.accessURL)).endswith(".csv")
               and "services" in str(graph.value(d, NS.DCAT.accessURL)))
    assert int(graph.value(csv, NS.DCAT.byteSize)) == len(client.get("/api/v1/services.csv").data)
    assert str(graph.value(csv, NS.DCTERMS.license)) == \
        "http://creativecommons.org/publicdomain/zero/1.0/"
    assert "Statbel" in " ".join(str(label) for label in graph.objects(
        graph.value(csv, NS.DCTERMS.rights), rdflib.RDFS.label))
    for dataset in datasets:
        assert str(graph.value(dataset, NS.DCTERMS.spatial)).endswith("/country/BEL")
        assert graph.value(dataset, NS.DCTERMS.accrualPeriodicity) is not None
        assert graph.value(dataset, NS.DCTERMS.modified) is not None


def test_publisher_and_contact_come_from_the_settings(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLISHER_NAME", {
        "fr": "SPP Intégration sociale", "nl": "POD Maatschappelijke Integratie",
        "de": "ÖPD Sozialeingliederung", "en": "PPS Social Integration"})
    monkeypatch.setitem(app.config, "PUBLISHER_EMAIL", "mediation@mi-is.be")
    monkeypatch.setitem(app.config, "OPEN_DATA_LICENSE",
                        "http://creativecommons.org/licenses/by/4.0/")
    graph = catalog(client)
    catalogue = graph.value(predicate=NS.RDF.type, object=NS.DCAT.Catalog)
    agent = graph.value(catalogue, NS.DCTERMS.publisher)
    names = {n.language: str(n) for n in graph.objects(agent, NS.FOAF.name)}
    assert names["nl"] == "POD Maatschappelijke Integratie"
    assert names["fr"] == "SPP Intégration sociale"
    contact = next(graph.objects(predicate=NS.DCAT.contactPoint))
    email = graph.value(contact, rdflib.URIRef(VCARD + "hasEmail"))
    assert str(email) == "mailto:mediation@mi-is.be"
    assert str(graph.value(catalogue, NS.DCTERMS.license)) == \
        "http://creativecommons.org/licenses/by/4.0/"


def test_the_catalogue_is_open_to_other_sites_and_cacheable(client, demo):
    response = client.get("/open-data/catalog.ttl")
    assert response.mimetype == "text/turtle"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/open-data/catalog.ttl",
                      headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert client.get("/open-data/catalog.jsonld").mimetype == "application/ld+json"
