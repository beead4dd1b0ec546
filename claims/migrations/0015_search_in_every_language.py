"""Full-text search over the record in every language (claims/search.py).

The search document now holds each language's summary (``summary_en``, ``summary_uk``,
``summary_ru``), the quote, the quote's original-language text and the claimant's name.

- PostgreSQL stems English with ``english`` and Russian with ``russian``; it has no Ukrainian
  stemmer, so Ukrainian text (and an original quote in any other language) is indexed word for
  word with ``simple`` and found by prefix (claims/search.py trims the query's endings).
- SQLite's FTS5 table gains the new columns; Cyrillic is tokenised by unicode61 and found by the
  same prefix terms.
"""

# ruff: noqa: S608 -- the SQL is built from this file's own constants, never from input.
import importlib

from django.db import migrations

_first_search = importlib.import_module("claims.migrations.0010_claim_full_text_search")

SQLITE_COLUMNS = "summary_en, summary_uk, summary_ru, claimant_name, quote, original_text"
SQLITE_VALUES = (
    "NEW.summary_en, NEW.summary_uk, NEW.summary_ru, "
    "(SELECT name FROM people_person WHERE id = NEW.claimant_id), NEW.quote, NEW.original_text"
)
SQLITE_FORWARD = [
    *_first_search.SQLITE_BACKWARD,
    f"""
    CREATE VIRTUAL TABLE claims_claim_fts USING fts5(
        {SQLITE_COLUMNS}, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    # Delete before insert: an id left behind by a flush that bypassed the triggers is replaced.
    f"""
    CREATE TRIGGER claims_claim_fts_insert AFTER INSERT ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = NEW.id;
        INSERT INTO claims_claim_fts (rowid, {SQLITE_COLUMNS}) VALUES (NEW.id, {SQLITE_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER claims_claim_fts_update
    AFTER UPDATE OF summary_en, summary_uk, summary_ru, quote, original_text, claimant_id ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = OLD.id;
        INSERT INTO claims_claim_fts (rowid, {SQLITE_COLUMNS}) VALUES (NEW.id, {SQLITE_VALUES});
    END
    """,
    """
    CREATE TRIGGER claims_claim_fts_delete AFTER DELETE ON claims_claim BEGIN
        DELETE FROM claims_claim_fts WHERE rowid = OLD.id;
    END
    """,
    f"""
    CREATE TRIGGER people_person_claim_fts_rename AFTER UPDATE OF name ON people_person
    WHEN NEW.name IS NOT OLD.name BEGIN
        DELETE FROM claims_claim_fts WHERE rowid IN (SELECT id FROM claims_claim WHERE claimant_id = NEW.id);
        INSERT INTO claims_claim_fts (rowid, {SQLITE_COLUMNS})
        SELECT id, summary_en, summary_uk, summary_ru, NEW.name, quote, original_text
        FROM claims_claim WHERE claimant_id = NEW.id;
    END
    """,
    f"""
    INSERT INTO claims_claim_fts (rowid, {SQLITE_COLUMNS})
    SELECT claims_claim.id, claims_claim.summary_en, claims_claim.summary_uk, claims_claim.summary_ru,
           people_person.name, claims_claim.quote, claims_claim.original_text
    FROM claims_claim JOIN people_person ON people_person.id = claims_claim.claimant_id
    """,
]
SQLITE_BACKWARD = [*_first_search.SQLITE_BACKWARD, *_first_search.SQLITE_FORWARD]

POSTGRESQL_FORWARD = [
    "DROP TRIGGER IF EXISTS claims_claim_search_document ON claims_claim",
    """
    CREATE OR REPLACE FUNCTION claims_claim_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        claimant text := coalesce((SELECT name FROM people_person WHERE id = NEW.claimant_id), '');
    BEGIN
        NEW.search_document :=
            setweight(to_tsvector('english', coalesce(NEW.summary_en, '')), 'A')
            || setweight(to_tsvector('russian', coalesce(NEW.summary_ru, '')), 'A')
            || setweight(to_tsvector('simple', coalesce(NEW.summary_uk, '')), 'A')
            || setweight(to_tsvector('english', claimant), 'A')
            || setweight(to_tsvector('english', coalesce(NEW.quote, '')), 'B')
            || setweight(to_tsvector(
                CASE WHEN lower(split_part(NEW.original_language, '-', 1)) = 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END,
                coalesce(NEW.original_text, '')), 'B');
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER claims_claim_search_document
    BEFORE INSERT OR UPDATE OF summary_en, summary_uk, summary_ru, quote, original_text, original_language, claimant_id
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_search_document()
    """,
    # A rename re-fires the claim trigger on that person's claims.
    """
    CREATE OR REPLACE FUNCTION people_person_claim_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE claims_claim SET claimant_id = claimant_id WHERE claimant_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    "UPDATE claims_claim SET claimant_id = claimant_id",
]
POSTGRESQL_BACKWARD = [
    *_first_search.POSTGRESQL_BACKWARD,
    *_first_search.POSTGRESQL_FORWARD,
]


# Runs each database's statements on that database only, as 0010 does.
_run = _first_search._run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0014_translations"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
