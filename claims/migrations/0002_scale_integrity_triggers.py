"""Cross-table rules a CHECK constraint cannot hold, enforced by triggers.

- statusupdate_status_on_claim_scale: an update's status is on the scale of its claim.
- statusupdate_corrects_same_claim: a correction corrects an update of the same claim.
- claim_current_status_on_claim_scale: a claim's stored current status is on its scale.

Each raises an integrity error named after the rule, on SQLite and PostgreSQL alike.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER statusupdate_status_on_claim_scale_insert BEFORE INSERT ON claims_statusupdate
    WHEN (SELECT scale FROM claims_status WHERE id = NEW.status_id)
         IS NOT (SELECT scale FROM claims_claim WHERE id = NEW.claim_id)
    BEGIN SELECT RAISE(ABORT, 'statusupdate_status_on_claim_scale'); END
    """,
    """
    CREATE TRIGGER statusupdate_status_on_claim_scale_update
    BEFORE UPDATE OF status_id, claim_id ON claims_statusupdate
    WHEN (SELECT scale FROM claims_status WHERE id = NEW.status_id)
         IS NOT (SELECT scale FROM claims_claim WHERE id = NEW.claim_id)
    BEGIN SELECT RAISE(ABORT, 'statusupdate_status_on_claim_scale'); END
    """,
    """
    CREATE TRIGGER statusupdate_corrects_same_claim_insert BEFORE INSERT ON claims_statusupdate
    WHEN NEW.corrects_id IS NOT NULL
         AND (SELECT claim_id FROM claims_statusupdate WHERE id = NEW.corrects_id) IS NOT NEW.claim_id
    BEGIN SELECT RAISE(ABORT, 'statusupdate_corrects_same_claim'); END
    """,
    """
    CREATE TRIGGER claim_current_status_on_claim_scale_insert BEFORE INSERT ON claims_claim
    WHEN (SELECT scale FROM claims_status WHERE id = NEW.current_status_id) IS NOT NEW.scale
    BEGIN SELECT RAISE(ABORT, 'claim_current_status_on_claim_scale'); END
    """,
    """
    CREATE TRIGGER claim_current_status_on_claim_scale_update
    BEFORE UPDATE OF current_status_id, scale ON claims_claim
    WHEN (SELECT scale FROM claims_status WHERE id = NEW.current_status_id) IS NOT NEW.scale
    BEGIN SELECT RAISE(ABORT, 'claim_current_status_on_claim_scale'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS statusupdate_status_on_claim_scale_insert",
    "DROP TRIGGER IF EXISTS statusupdate_status_on_claim_scale_update",
    "DROP TRIGGER IF EXISTS statusupdate_corrects_same_claim_insert",
    "DROP TRIGGER IF EXISTS claim_current_status_on_claim_scale_insert",
    "DROP TRIGGER IF EXISTS claim_current_status_on_claim_scale_update",
]

POSTGRESQL_FORWARD = [
    """
    CREATE FUNCTION claims_statusupdate_integrity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT scale FROM claims_status WHERE id = NEW.status_id)
           IS DISTINCT FROM (SELECT scale FROM claims_claim WHERE id = NEW.claim_id) THEN
            RAISE EXCEPTION 'statusupdate_status_on_claim_scale' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.corrects_id IS NOT NULL AND
           (SELECT claim_id FROM claims_statusupdate WHERE id = NEW.corrects_id) IS DISTINCT FROM NEW.claim_id THEN
            RAISE EXCEPTION 'statusupdate_corrects_same_claim' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER statusupdate_integrity BEFORE INSERT OR UPDATE OF status_id, claim_id, corrects_id
    ON claims_statusupdate FOR EACH ROW EXECUTE FUNCTION claims_statusupdate_integrity()
    """,
    """
    CREATE FUNCTION claims_claim_integrity() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT scale FROM claims_status WHERE id = NEW.current_status_id) IS DISTINCT FROM NEW.scale THEN
            RAISE EXCEPTION 'claim_current_status_on_claim_scale' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER claim_integrity BEFORE INSERT OR UPDATE OF current_status_id, scale
    ON claims_claim FOR EACH ROW EXECUTE FUNCTION claims_claim_integrity()
    """,
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS statusupdate_integrity ON claims_statusupdate",
    "DROP FUNCTION IF EXISTS claims_statusupdate_integrity()",
    "DROP TRIGGER IF EXISTS claim_integrity ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_claim_integrity()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
}


def _run(schema_editor, direction: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"No integrity triggers for {schema_editor.connection.vendor}.")
    for statement in statements[direction]:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
