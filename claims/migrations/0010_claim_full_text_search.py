"""Full-text search over a claim's quote, summary and claimant name (claims/search.py).

PostgreSQL: a ``search_document`` tsvector column on claims_claim, filled by a trigger (it reads
the claimant's name, which a generated column cannot), refreshed when a person is renamed, and a
GIN index for ``@@``. SQLite: an FTS5 table kept in sync by triggers. Other databases get nothing
and search falls back to substring matching. Neither object is part of Django's model state.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE claims_claim_fts USING fts5(
        summary, claimant_name, quote, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    # Delete before insert: an id left behind by a flush that bypassed the triggers is replaced.
    """
    CREATE TRIGGER claims_claim_fts_insert AFTER INSERT ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = NEW.id;
        INSERT INTO claims_claim_fts (rowid, summary, claimant_name, quote)
        VALUES (NEW.id, NEW.summary, (SELECT name FROM people_person WHERE id = NEW.claimant_id), NEW.quote);
    END
    """,
    """
    CREATE TRIGGER claims_claim_fts_update AFTER UPDATE OF summary, quote, claimant_id ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = OLD.id;
        INSERT INTO claims_claim_fts (rowid, summary, claimant_name, quote)
        VALUES (NEW.id, NEW.summary, (SELECT name FROM people_person WHERE id = NEW.claimant_id), NEW.quote);
    END
    """,
    """
    CREATE TRIGGER claims_claim_fts_delete AFTER DELETE ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = OLD.id;
    END
    """,
    """
    CREATE TRIGGER people_person_claim_fts_rename AFTER UPDATE OF name ON people_person
    WHEN NEW.name IS NOT OLD.name BEGIN
        DELETE FROM claims_claim_fts WHERE rowid IN (SELECT id FROM claims_claim WHERE claimant_id = NEW.id);
        INSERT INTO claims_claim_fts (rowid, summary, claimant_name, quote)
        SELECT id, summary, NEW.name, quote FROM claims_claim WHERE claimant_id = NEW.id;
    END
    """,
    """
    INSERT INTO claims_claim_fts (rowid, summary, claimant_name, quote)
    SELECT claims_claim.id, claims_claim.summary, people_person.name, claims_claim.quote
    FROM claims_claim JOIN people_person ON people_person.id = claims_claim.claimant_id
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS people_person_claim_fts_rename",
    "DROP TRIGGER IF EXISTS claims_claim_fts_delete",
    "DROP TRIGGER IF EXISTS claims_claim_fts_update",
    "DROP TRIGGER IF EXISTS claims_claim_fts_insert",
    "DROP TABLE IF EXISTS claims_claim_fts",
]

POSTGRESQL_FORWARD = [
    "ALTER TABLE claims_claim ADD COLUMN search_document tsvector",
    """
    CREATE FUNCTION claims_claim_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'A')
            || setweight(to_tsvector('english', coalesce(
                (SELECT name FROM people_person WHERE id = NEW.claimant_id), '')), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'B');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER claims_claim_search_document
    BEFORE INSERT OR UPDATE OF summary, quote, claimant_id ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document()
    """,
    # A rename re-fires the claim trigger on that person's claims.
    """
    CREATE FUNCTION people_person_claim_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE claims_claim SET summary = summary WHERE claimant_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER people_person_claim_search_document
    AFTER UPDATE OF name ON people_person
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION people_person_claim_search_document()
    """,
    "UPDATE claims_claim SET summary = summary",
    # Claim.objects.search(): search_document @@ websearch_to_tsquery(...).
    "CREATE INDEX claim_search_document_idx ON claims_claim USING gin (search_document)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS claim_search_document_idx",
    "DROP TRIGGER IF EXISTS people_person_claim_search_document ON people_person",
    "DROP FUNCTION IF EXISTS people_person_claim_search_document()",
    "DROP TRIGGER IF EXISTS claims_claim_search_document ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_claim_search_document()",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_claim_must_act"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
