"""Many rows updated in one statement, fast: `UPDATE … FROM (VALUES …)`.

Django's `bulk_update` writes one `CASE WHEN id = … THEN …` per row and field and resolves
each as an expression in Python: a weekly grid of 162 groups × 12 fields spent 1.2 s of CPU
there (bench/load.py, province scale) while the database took 80 ms. Here each row is one
tuple of parameters. PostgreSQL and SQLite ≥ 3.33 both take a CTE of VALUES joined in
UPDATE … FROM; in PostgreSQL each value is cast to its column's type (a column of NULLs).
No signals are sent (as with bulk_update): callers refresh what depends on the rows.
"""
from django.db import connections, router
from django.db.models import Model

MAX_PARAMETERS = 30_000  # under SQLite's 32,766 and PostgreSQL's 65,535 per statement


def update_rows(objs, fields, *, using=None):
    """Write `fields` (names) of each of `objs` (instances of one model, saved) to its row."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    assert all(type(o) is model for o in objs) and issubclass(model, Model)
    using = using or router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    q = connection.ops.quote_name
    # PostgreSQL types a column of VALUES from its values (NULLs alone: text); SQLite must not
    # cast (a date column's NUMERIC affinity would turn '2014-10-31' into 2014).
    casts = [f"CAST(%s AS {field.db_type(connection)})" if connection.vendor == "postgresql" else "%s"
             for field in [pk, *columns]]
    row_sql = "(" + ", ".join(casts) + ")"
    names = ", ".join(q(f"v_{field.column}") for field in [pk, *columns])
    assignments = ", ".join(f"{q(field.column)} = v.{q(f'v_{field.column}')}" for field in columns)
    table = q(meta.db_table)
    per_batch = max(1, MAX_PARAMETERS // (len(columns) + 1))
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start:start + per_batch]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_value(obj.pk, connection))
                params.extend(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns)
            cursor.execute(
                f"WITH v ({names}) AS (VALUES {', '.join([row_sql] * len(batch))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{q(pk.column)} = v.{q(f'v_{pk.column}')}",
                params)
            updated += cursor.rowcount if cursor.rowcount >= 0 else len(batch)  # SQLite: -1 after a CTE
    return updated


def update_rows_with_history(objs, fields, *, default_user=None, default_change_reason=""):
    """update_rows, then one 修改历史 row per object (what simple_history's
    bulk_update_with_history does around Django's bulk_update)."""
    objs = list(objs)
    if not objs:
        return 0
    updated = update_rows(objs, fields)
    type(objs[0]).history.bulk_history_create(objs, update=True, default_user=default_user,
                                              default_change_reason=default_change_reason)
    return updated
