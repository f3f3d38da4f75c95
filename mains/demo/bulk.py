"""Fast inserts of plain rows for the demo history (a million of them in seconds).

`bulk_create` spends most of its time preparing each value through the generic field
machinery (and SQLite caps it at 999 parameters a statement); here each column's
adapter is chosen once and rows go to `executemany` in batches. Values are adapted by
the backend's own `adapt_*` functions, so the rows are the ones Django would write;
PostgreSQL gets them through COPY.
Columns a caller leaves out get their field's default.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

BATCH = 5000


def _adapter(field):
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence], batch: int = BATCH
) -> int:
    """Insert `rows` (tuples in the order of `columns`, attribute names); returns the count."""
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    given = {f.attname for f in fields}
    rest = [f for f in meta.concrete_fields if f.attname not in given and not f.primary_key]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not None]
    quote = connection.ops.quote_name
    names = [quote(str(f.column)) for f in fields + rest]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table), ", ".join(names), ", ".join(["%s"] * len(names))
    )

    def adapted():
        for row in rows:
            values = list(row)
            for i, adapt in adapters:
                if values[i] is not None:
                    values[i] = adapt(values[i])
            yield (*values, *defaults)

    if connection.vendor == "postgresql":
        return _copy(meta.db_table, names, adapted())
    count, chunk = 0, []
    with connection.cursor() as cursor:
        for values in adapted():
            chunk.append(values)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _copy(table: str, names: list[str], rows: Iterable[tuple]) -> int:
    """PostgreSQL: COPY is an order of magnitude faster than INSERTs (psycopg 3)."""
    quote = connection.ops.quote_name
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count
