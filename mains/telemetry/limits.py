"""The reading format and the limits of a plausible reading (docs/telemetry.md).

Without Django, so the back-test's checks in DuckDB use the same numbers as ingestion.
"""

COLUMNS = ["meter_id", "ts", "flow_m3h", "pressure_mpa"]
MAX_FLOW_M3H = 100_000.0
MAX_PRESSURE_MPA = 2.0
