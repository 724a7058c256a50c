"""PostgreSQL only: the audit tables refuse UPDATE, DELETE and TRUNCATE; entries are
stamped with their inserting transaction (for the sealer); a BRIN index on time.

SQLite has no triggers of this kind (see README, "What the SQLite default lacks").
TRUNCATE is allowed only when the session sets ``ptsp.audit_allow_truncate = on``:
the test suite's flush does; a production session has no reason to.
"""

from django.db import migrations

TABLES = ("audit_auditentry", "audit_auditseal", "audit_auditcheckpoint")

FORWARD = [
    # Entries written before this migration were committed long ago.
    "UPDATE audit_auditentry SET txid = 0 WHERE txid IS NULL",
    """
    CREATE FUNCTION audit_stamp_txid() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.txid := pg_current_xact_id()::text::bigint;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER audit_entry_stamp_txid BEFORE INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_stamp_txid()
    """,
    """
    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE'
           AND current_setting('ptsp.audit_allow_truncate', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit trail is append-only: % on % refused',
            TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    *(
        sql
        for table in TABLES
        for sql in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()",
        )
    ),
    # Time-ordered appends: a BRIN index is tiny and fast for time ranges.
    "CREATE INDEX audit_occurred_brin ON audit_auditentry USING brin (occurred_at)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS audit_occurred_brin",
    *(
        sql
        for table in TABLES
        for sql in (
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        )
    ),
    "DROP TRIGGER IF EXISTS audit_entry_stamp_txid ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
    "DROP FUNCTION IF EXISTS audit_stamp_txid()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_seals_and_checkpoints")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
