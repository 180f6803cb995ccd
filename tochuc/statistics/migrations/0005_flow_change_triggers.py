"""Triggers that record the changes of the member events the movement summary counts
(statistics.CountChange, as migration 0003 does for the membership summary): any insert,
delete or update of a movement event (admission, re-admission, confirmation, transfers,
restructuring, exits), whoever writes it, marks the provinces of the organizations on both
of its sides (its organization, the other organization, and the one whose affiliation an
arrival closed). Affiliations and organization versions are marked by 0003 already.

These marks are dated `9999-01-01` (`flows.FLOWS_ONLY`): after any snapshot's date, so the
membership summary, which counts no such event, is not made stale by them, while the
movement summary sums every change of a province whatever its date.
"""

from django.db import migrations

CHANGE = "statistics_countchange"
VERSION = "organizations_organizationversion"
AFFILIATION = "members_affiliation"
EVENT = "members_memberevent"
FLOWS_ONLY = "'9999-01-01'"
MOVEMENT_TYPES = ("('admitted', 'readmitted', 'confirmed', 'transferred_in', "
                  "'transferred_out', 'reorganized', 'died', 'removed', 'expelled', "
                  "'resigned')")  # fmt: skip
WATCHED = ("member_id", "type", '"on"', "organization_id", "other_organization_id")


def _sides(rows: str) -> str:
    """The organizations on either side of the movement events of `rows`."""
    return f"""
        SELECT organization_id FROM {rows} r WHERE r.type IN {MOVEMENT_TYPES}
        UNION SELECT other_organization_id FROM {rows} r WHERE r.type IN {MOVEMENT_TYPES}
        UNION SELECT a.organization_id FROM {rows} r JOIN {AFFILIATION} a
            ON a.member_id = r.member_id AND a.kind = 'official' AND a.valid_to = r."on"
            WHERE r.type = 'transferred_in'"""


PG_MARK = f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT DISTINCT COALESCE(v.province_id, 0), DATE {FLOWS_ONLY}, 1
    FROM ({{sides}}) s JOIN {VERSION} v ON v.organization_id = s.organization_id;"""


def _pg_changed() -> str:
    differ = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in WATCHED)
    return (
        f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differ} "
        f"UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differ})"
    )


PG_TRIGGERS = {
    "INSERT": ("NEW TABLE AS new_rows", "new_rows"),
    "DELETE": ("OLD TABLE AS old_rows", "old_rows"),
    "UPDATE": ("OLD TABLE AS old_rows NEW TABLE AS new_rows", _pg_changed()),
}


def _pg_name(operation: str) -> str:
    return f"flow_change_{EVENT}_{operation.lower()}"


def postgresql_create() -> list[str]:
    statements = []
    for operation, (tables, rows) in PG_TRIGGERS.items():
        name = _pg_name(operation)
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{PG_MARK.format(sides=_sides(rows))} RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER {operation} ON {EVENT} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    return statements


def postgresql_drop() -> list[str]:
    statements = []
    for operation in PG_TRIGGERS:
        name = _pg_name(operation)
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {EVENT}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
    return statements


def _sqlite_mark(row: str) -> str:
    return f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT DISTINCT COALESCE(v.province_id, 0), {FLOWS_ONLY}, 1 FROM {VERSION} v
    WHERE v.organization_id IN ({row}.organization_id, {row}.other_organization_id)
       OR ({row}.type = 'transferred_in' AND v.organization_id IN (SELECT a.organization_id
           FROM {AFFILIATION} a WHERE a.member_id = {row}.member_id AND a.kind = 'official'
           AND a.valid_to = {row}."on"))
    ON CONFLICT (province_id, since) DO UPDATE SET n = n + 1;"""


def _sqlite_triggers() -> dict[str, tuple[str, str, str]]:
    movement = "{row}.type IN " + MOVEMENT_TYPES
    differ = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
    return {
        "insert": (f"INSERT ON {EVENT}", movement.format(row="NEW"), _sqlite_mark("NEW")),
        "delete": (f"DELETE ON {EVENT}", movement.format(row="OLD"), _sqlite_mark("OLD")),
        "update": (
            f"UPDATE ON {EVENT}",
            f"({movement.format(row='OLD')} OR {movement.format(row='NEW')}) AND ({differ})",
            _sqlite_mark("OLD") + _sqlite_mark("NEW"),
        ),
    }


def sqlite_create() -> list[str]:
    return [
        f"CREATE TRIGGER flow_change_{name} AFTER {event} FOR EACH ROW "
        f"WHEN {condition} BEGIN {body} END"
        for name, (event, condition, body) in _sqlite_triggers().items()
    ]


def sqlite_drop() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS flow_change_{name}" for name in _sqlite_triggers()]


def _run(statements_for):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = statements_for.get(vendor)
        if statements is None:
            raise NotImplementedError(f"flow change triggers: {vendor}")
        for statement in statements():
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0004_flow_summary"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": postgresql_create, "sqlite": sqlite_create}),
            _run({"postgresql": postgresql_drop, "sqlite": sqlite_drop}),
        ),
    ]
