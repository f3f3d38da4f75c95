"""Where an Open311 request is: the community at lat/long, or named in the address."""

import math

from mains.areas.models import Community

NEAR_METRES = 1500


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.radians
    dlat, dlon = rad(lat2 - lat1), rad(lon2 - lon1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(dlon / 2) ** 2
    )
    return 6_371_000 * 2 * math.asin(math.sqrt(min(1.0, a)))


def community_near(lat: float, lon: float) -> Community | None:
    """The nearest community with coordinates, if it is within 1.5 km."""
    best, best_distance = None, float(NEAR_METRES)
    for community in Community.objects.exclude(latitude=None).exclude(longitude=None):
        if community.latitude is None or community.longitude is None:
            continue
        distance = _metres(lat, lon, float(community.latitude), float(community.longitude))
        if distance <= best_distance:
            best, best_distance = community, distance
    return best


def community_named_in(address: str) -> Community | None:
    """The community whose name the address contains (the longest name wins)."""
    if not address:
        return None
    named = [c for c in Community.objects.only("pk", "name", "address") if c.name in address]
    return max(named, key=lambda c: len(c.name), default=None)
