"""Inserting many rows of plain values at once: the one place the imports go around bulk_create.

Measured on the 10,000-row task table (README, "Importing and exporting the task table", Scale):
bulk_create spent most of the import building model instances; these rows go in as plain values instead.
"""

import io
from datetime import date

from django.db import connection


def insert_rows(model, field_names, rows):
    """INSERT rows of plain values, given in field_names order; every column must be given.

    bulk_create builds a model instance and compiles every value for each of
    tens of thousands of rows, which costs far more than the database work.
    Values still go through their field's get_db_prep_save (an aware datetime
    becomes what the database expects), once per distinct value in a column,
    since most repeat; foreign keys are ids read from the database and go as they are.
    """
    if not rows:
        return
    # psycopg2 runs executemany as a round trip per row, hence COPY there; SQLite steps executemany in C.
    copy = connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"
    fields = [model._meta.get_field(name) for name in field_names]
    prepared_columns = []
    for f, values in zip(fields, zip(*rows, strict=False), strict=False):
        prepared = {value: value if f.is_relation else f.get_db_prep_save(value, connection) for value in set(values)}
        if copy:
            prepared = {value: _copy_text(db_value) for value, db_value in prepared.items()}
        prepared_columns.append([prepared[value] for value in values])
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if copy:
            _copy_from(cursor, f"COPY {table} ({columns}) FROM STDIN", zip(*prepared_columns, strict=False))
        else:
            one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {one_row}", list(zip(*prepared_columns, strict=False))
            )


def _copy_text(value):
    """A database value as COPY's text format writes it (https://www.postgresql.org/docs/current/sql-copy.html)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, (int, date)):  # datetime is a date; aware ones print with their offset
        return str(value)
    raise TypeError(f"no COPY text for {type(value).__name__}")


def _copy_from(cursor, sql, rows):
    """COPY rows of text into PostgreSQL: it reads them several times faster than it parses
    a VALUES list of the same rows, and in one statement whatever their number.

    Django's debug cursor logs copy_expert itself (DEBUG, CaptureQueriesContext); the raw cursor's errors
    are translated to django.db's (an IntegrityError of a concurrent import) here, as execute would.
    """
    data = io.StringIO("".join("\t".join(row) + "\n" for row in rows))
    with connection.wrap_database_errors:
        cursor.copy_expert(sql, data)
