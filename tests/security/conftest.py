import datetime

from django.utils import timezone

from tests.api.conftest import api_as  # noqa: F401 - the API client fixture for these modules


def EVERY_FIELD(city) -> dict:  # noqa: N802 - a table, named like one
    """A body with a valid value for every field any action reads."""
    return {
        "version": 1,
        "note": "说明",
        "specialist": city.tom.specialist.pk,
        "until": (timezone.now() + datetime.timedelta(days=30)).isoformat(),
        "approve": True,
        "result": "satisfied",
    }
