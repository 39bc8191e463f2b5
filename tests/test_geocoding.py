"""Geocoding never blocks a save: the offline provider ends every chain."""

from mediation.extensions import db
from mediation.geocoding import (
    Address,
    NominatimGeocoder,
    OfflineGeocoder,
    chain_from_config,
    geocode,
)
from mediation.models import Commune, GeocodeCache


def test_offline_provider_gives_the_commune_point(app_ctx):
    position = OfflineGeocoder().geocode(Address("Rue de la Poste", "12", "1030", "21015"))
    commune = db.session.get(Commune, "21015")
    assert (position.lat, position.lon) == (commune.lat, commune.lon)
    assert (position.source, position.precision) == ("commune-centroid", "commune")


def test_offline_provider_knows_no_unknown_commune(app_ctx):
    assert OfflineGeocoder().geocode(Address("", "", "0000", "00000")) is None


def test_a_geocoder_that_is_down_falls_back_to_the_commune(app_ctx):
    # A closed local port stands for an unreachable Nominatim: refused at once, no internet.
    down = NominatimGeocoder("mediation-tests", timeout=1, domain="127.0.0.1:9", scheme="http")
    position = geocode(Address("Stadhuisplein", "1", "9000", "44021"), [down, OfflineGeocoder()])
    assert position.source == "commune-centroid"
    # A failure is not remembered: a later run may still find the address.
    assert db.session.scalar(db.select(db.func.count()).select_from(GeocodeCache)) == 0


def test_the_configured_chain_always_ends_offline(app_ctx):
    chain = chain_from_config()
    assert isinstance(chain[-1], OfflineGeocoder)
