"""What a back-test reads: the input resolved to sorted Parquet files and cut into meter ranges.

Typed Parquet sorted by ``meter_id`` (as the benchmark writes it, one file per day) is read
where it lies: each chunk is a range of meters, and DuckDB skips the row groups whose
``meter_id`` statistics fall outside it. Anything else (CSV, text columns, unsorted files) is
first checked row by row and written once, sorted, into a temporary folder.
"""

import glob
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.utils.translation import gettext as _

from mains.telemetry.backtest.plan import plan_ranges
from mains.telemetry.store.schema import (
    COLUMNS,
    DUCKDB_TYPES,
    MAX_FLOW_M3H,
    MAX_PRESSURE_MPA,
    quote,
    read_parquet,
)

NUMERIC = {"DOUBLE", "FLOAT", "REAL", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"}
SORTED_ROW_GROUP = 100_000


class InputError(ValueError):
    """The input cannot be read at all (the message is translated, for the user)."""


@dataclass
class Source:
    files: list[str]
    ranges: list[tuple[str | None, str | None]]
    rows: int  # rows in the files (before bad ones are taken out)
    bad: Counter  # refused while preparing (CSV, text columns); the chunks count the rest
    sorted_copy: bool  # True when the input was checked and sorted into a temporary file


def input_files(spec: str) -> tuple[str, list[str]]:
    """("csv" | "parquet", files) of a file, a folder of Parquet files or a glob."""
    if any(c in spec for c in "*?["):
        files = sorted(f for f in glob.glob(spec, recursive=True) if Path(f).is_file())
        if not files:
            raise InputError(_("No file matches %(input)s.") % {"input": spec})
    else:
        path = Path(spec)
        if path.is_dir():
            files = sorted(str(f) for f in path.rglob("*.parquet"))
            if not files:
                raise InputError(_("No Parquet file in %(input)s.") % {"input": spec})
        elif path.is_file():
            files = [str(path)]
        else:
            raise InputError(_("Cannot read %(input)s: no such file.") % {"input": spec})
    for f in files:
        try:
            with open(f, "rb"):
                pass
        except OSError as error:
            raise InputError(
                _("Cannot read %(input)s: %(why)s") % {"input": f, "why": error.strerror}
            ) from None
    kinds = {"parquet" if f.lower().endswith(".parquet") else "csv" for f in files}
    if len(kinds) > 1:
        raise InputError(_("Give either CSV or Parquet files, not both."))
    if kinds == {"csv"} and len(files) > 1:
        raise InputError(_("Give one CSV file at a time."))
    return kinds.pop(), files


def open_source(spec: str, workdir: Path, chunk_rows: int, min_chunks: int = 1) -> Source:
    """Resolve, check and plan the input; ``workdir`` holds a sorted copy when one is needed.

    Chunks hold about ``chunk_rows`` readings, fewer when that makes less than
    ``min_chunks`` of them (so that every worker has work).
    """
    kind, files = input_files(spec)
    con = duckdb.connect(config={"temp_directory": str(workdir / "spill")})
    try:
        if kind == "csv":
            raw = _csv_relation(con, files[0])
        else:
            types = _parquet_types(con, files)
            # The store's types (any number for the values): read where it lies.
            typed = all(
                types[c] in NUMERIC if DUCKDB_TYPES[c] == "DOUBLE" else types[c] == DUCKDB_TYPES[c]
                for c in COLUMNS
            )
            if typed:
                plan = plan_ranges(con, files, chunk_rows, min_chunks)
                if plan is not None:
                    ranges, rows, nulls = plan
                    return Source(files, ranges, rows, _null_meters(con, files, nulls), False)
            as_text = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in COLUMNS)
            raw = f"SELECT {as_text} FROM {read_parquet(files)}"
        target = workdir / "sorted.parquet"
        rows, bad = _sorted_copy(con, raw, target)
        sorted_files = [str(target)]
        plan = plan_ranges(con, sorted_files, chunk_rows, min_chunks)
        ranges = plan[0] if plan is not None else [(None, None)]  # None: no statistics
        return Source(sorted_files, ranges, rows, bad, True)
    except duckdb.Error as error:
        why = str(error).splitlines()[0][:300]
        raise InputError(
            _("Cannot read %(input)s: %(why)s") % {"input": spec, "why": why}
        ) from None
    finally:
        con.close()


def _parquet_types(con, files: list[str]) -> dict[str, str]:
    described = con.execute(f"DESCRIBE SELECT * FROM {read_parquet(files)}").fetchall()
    types = {row[0]: row[1] for row in described}
    missing = [c for c in COLUMNS if c not in types]
    if missing:
        raise InputError(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    return types


def _csv_relation(con, path: str) -> str:
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    if [c.strip() for c in header.strip().split(",")] != COLUMNS:
        raise InputError(_("The first line must be: %(header)s") % {"header": ",".join(COLUMNS)})
    columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS) + "}"
    con.execute(
        "CREATE TEMP TABLE csv_rows AS SELECT * FROM read_csv("
        f"{quote(path)}, header = true, auto_detect = false, delim = ',', quote = '\"',"
        f" escape = '\"', columns = {columns}, store_rejects = true)"
    )
    return "SELECT * FROM csv_rows"


ZONE = r"([Zz]|[+-]\d{2}(:?\d{2})?)$"


def _sorted_copy(con, raw: str, target: Path) -> tuple[int, Counter]:
    """Check every row as ingestion does, write the good ones sorted; (rows, bad by reason)."""
    con.execute(
        f"""
        CREATE TEMP TABLE checked AS
        WITH raw AS (
            SELECT row_number() OVER () AS n, trim(meter_id) AS m, trim(ts) AS t,
                   nullif(trim(flow_m3h), '') AS f, nullif(trim(pressure_mpa), '') AS p
            FROM ({raw})
        ), typed AS (
            SELECT *, epoch_us(try_cast(t AS TIMESTAMPTZ)) AS ts_us,
                   try_cast(f AS DOUBLE) AS fv, try_cast(p AS DOUBLE) AS pv
            FROM raw
        ), classified AS (
            SELECT *, CASE
                WHEN m IS NULL OR m = '' THEN 'meter_id'
                WHEN ts_us IS NULL THEN 'time'
                WHEN NOT regexp_matches(t, {quote(ZONE)}) THEN 'zone'
                WHEN f IS NOT NULL AND (fv IS NULL OR NOT isfinite(fv)) THEN 'flow_nan'
                WHEN p IS NOT NULL AND (pv IS NULL OR NOT isfinite(pv)) THEN 'pressure_nan'
                WHEN fv IS NULL AND pv IS NULL THEN 'neither'
                WHEN fv < 0 OR fv > {MAX_FLOW_M3H} THEN 'flow_range'
                WHEN pv < 0 OR pv > {MAX_PRESSURE_MPA} THEN 'pressure_range'
            END AS reason
            FROM typed
        )
        SELECT m, ts_us, fv, pv, CASE
            WHEN reason IS NULL AND row_number() OVER (
                PARTITION BY m, ts_us, reason IS NULL ORDER BY n) > 1 THEN 'duplicate'
            ELSE reason END AS reason
        FROM classified
        """
    )
    bad: Counter = Counter(
        dict(
            con.execute(
                "SELECT reason, count(*) FROM checked GROUP BY 1 HAVING reason NOTNULL"
            ).fetchall()
        )
    )
    rejected = _csv_rejects(con)
    if rejected:
        bad["columns"] += rejected
    rows = con.execute("SELECT count(*) FROM checked").fetchone()[0] + rejected
    con.execute(
        "COPY (SELECT m AS meter_id, make_timestamptz(ts_us) AS ts,"
        " fv AS flow_m3h, pv AS pressure_mpa FROM checked WHERE reason IS NULL"
        f" ORDER BY m, ts_us) TO {quote(str(target))}"
        f" (FORMAT parquet, ROW_GROUP_SIZE {SORTED_ROW_GROUP})"
    )
    return rows, bad


def _csv_rejects(con) -> int:
    try:
        found = con.execute("SELECT count(DISTINCT line) FROM reject_errors").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(found[0])


def _null_meters(con, files: list[str], nulls: int | None) -> Counter:
    """Rows without a meter_id, from the footers' statistics (None: the files have none)."""
    count = nulls or 0
    if nulls is None:  # no statistics: count them
        count = con.execute(
            f"SELECT count(*) FROM {read_parquet(files)} WHERE meter_id IS NULL"
        ).fetchone()[0]
    return Counter({"meter_id": count} if count else {})
