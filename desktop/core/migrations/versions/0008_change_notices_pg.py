"""change notices on PostgreSQL: triggers that NOTIFY the documents a commit changed

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Two windows on one shared project see each other's edits (issue 17): every statement
that writes a table holding document ids (document, mention, fact, zone, documenttag)
queues `NOTIFY factdesk, 'd:<id>,<id>…'` with the distinct ids it touched (read from the
statement's transition table), and a write to one of the other tables queues
`'t:<table>'`. PostgreSQL delivers the notices at commit only (a rolled-back write sends
nothing) and folds identical ones of a transaction into one; a payload too long for a
notice becomes `'d:*'` (reread everything). desktop.core.store.changefeed listens.
Nothing changes on SQLite (the window polls PRAGMA data_version there).
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CHANNEL = "factdesk"
DOCUMENT_TABLES = {
    "document": "id",
    "mention": "document_id",
    "fact": "document_id",
    "zone": "document_id",
    "documenttag": "document_id",
}
OTHER_TABLES = (
    "entity",
    "alias",
    "entitydecision",
    "entitytag",
    "label",
    "tag",
    "factargument",
    "facttag",
    "mentiontag",
    "learnedname",
    "extractionrun",
)

_DOCUMENTS_FUNCTION = f"""
CREATE OR REPLACE FUNCTION factdesk_notice_documents() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT string_agg(DISTINCT %I::text, '','') FROM old_rows', TG_ARGV[0])
            INTO ids;
    ELSE
        EXECUTE format('SELECT string_agg(DISTINCT %I::text, '','') FROM new_rows', TG_ARGV[0])
            INTO ids;
    END IF;
    IF ids IS NOT NULL THEN
        IF length(ids) > 7000 THEN
            ids := '*';
        END IF;
        PERFORM pg_notify('{CHANNEL}', 'd:' || ids);
    END IF;
    RETURN NULL;
END $$;
"""

_TABLE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION factdesk_notice_table() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', 't:' || TG_TABLE_NAME);
    RETURN NULL;
END $$;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_DOCUMENTS_FUNCTION)
    op.execute(_TABLE_FUNCTION)
    for table, column in DOCUMENT_TABLES.items():
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            alias = "new_rows" if rows == "NEW" else "old_rows"
            op.execute(
                f'CREATE TRIGGER factdesk_notice_{event.lower()} AFTER {event} ON "{table}" '
                f"REFERENCING {rows} TABLE AS {alias} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION factdesk_notice_documents('{column}')"
            )
    for table in OTHER_TABLES:
        op.execute(
            f'CREATE TRIGGER factdesk_notice AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION factdesk_notice_table()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in DOCUMENT_TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f'DROP TRIGGER IF EXISTS factdesk_notice_{event} ON "{table}"')
    for table in OTHER_TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS factdesk_notice ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS factdesk_notice_documents()")
    op.execute("DROP FUNCTION IF EXISTS factdesk_notice_table()")
