"""Open311 GeoReport v2 at /open311/v2/: the categories as services, work orders as requests."""
