"""Triggers that record every change of the tables the summary counts (statistics.CountChange):
official affiliations, the members' counted fields, the events that decide full membership
(admission, re-admission, confirmation), organization versions and the organizations'
grassroots type. Whatever writes the rows — a service, an import's COPY, raw SQL, a data
migration, a restore — the database marks the provinces whose counts it can change, from
the earliest date it can change (rounded down to 1 January).

A row change marks, for each version of the organization concerned that is in force on or
after the earliest date affected, the version's province (`province_id`: the root of the
tree then), from the later of that date and the version's start:

- an affiliation: from its start (only its end changed: from the earlier end);
- a member's counted field: from the start of each official affiliation of the member
  (only the confirmation date changed: from the earlier confirmation date);
- a re-admission, and an admission or confirmation of a re-admitted member (the only events
  the count reads: others are counted by their `confirmed_on`): from its date (a
  re-admission: from the start of the member's affiliations — it changes how every date of
  the member is counted);
- an organization version: its own province, from its start (only its end changed: from
  the earlier end); an organization's grassroots type: the provinces of all its versions.

PostgreSQL: statement-level triggers with transition tables (one grouped INSERT per
statement, so a COPY of 70,000 rows costs one statement), TRUNCATE marks the province 0
(no province: every snapshot is stale). SQLite: row-level triggers, counting in one row per
(province, year) (unique index).
"""

from django.db import migrations

CHANGE = "statistics_countchange"
VERSION = "organizations_organizationversion"
AFFILIATION = "members_affiliation"
MEMBER = "members_member"
EVENT = "members_memberevent"
ORGANIZATION = "organizations_organization"
STARTS_OR_CONFIRMS = "('admitted', 'readmitted', 'confirmed')"
PROFILE = ("birth_date", "gender", "ethnicity", "religion", "general_education",
           "qualification", "political_theory")  # fmt: skip
AFFILIATION_KEY = ("organization_id", "kind", "valid_from", "member_id")
VERSION_KEY = ("organization_id", "kind", "parent_id", "path", "province_id", "valid_from")
EVENT_KEY = ("member_id", "type", '"on"')


def _row(alias: str, columns) -> str:
    return "(" + ", ".join(f"{alias}.{c}" for c in columns) + ")"


# ---------------------------------------------------------------- PostgreSQL

PG_MARK_ORGANIZATIONS = f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT COALESCE(v.province_id, 0),
           date_trunc('year', min(GREATEST(x.since, v.valid_from)))::date, 1
    FROM (SELECT organization_id, min(since) AS since FROM ({{pairs}}) p GROUP BY 1) x
    JOIN {VERSION} v ON v.organization_id = x.organization_id
        AND (v.valid_to IS NULL OR v.valid_to > x.since)
    GROUP BY 1;"""

PG_MARK_PROVINCES = f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT COALESCE(province_id, 0), date_trunc('year', min(since))::date, 1
    FROM ({{pairs}}) p GROUP BY 1;"""


def _pg_changed(key, end: str, carry: str) -> str:
    """Rows of old_rows o and new_rows n that differ in `key` or `end`, with the new row's
    `carry` column as new_<carry> and the earliest date affected: the earlier end when only
    the end changed, else the earlier start (`key` holds the start, `valid_from`)."""
    watched = (*key, end)
    return f"""
        SELECT o.*, n.{carry} AS new_{carry},
            CASE WHEN {_row("o", key)} = {_row("n", key)}
                 THEN LEAST(COALESCE(o.{end}, 'infinity'), COALESCE(n.{end}, 'infinity'))
                 ELSE LEAST(o.valid_from, n.valid_from) END AS since_changed
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE {_row("o", watched)} IS DISTINCT FROM {_row("n", watched)}"""


def _pg_counted_event(row: str) -> str:
    """A re-admission, or an admission or confirmation of a re-admitted member: the only
    events the count reads (live.full_on: the others' status is their `confirmed_on`)."""
    return (
        f"({row}.type = 'readmitted' OR ({row}.type IN {STARTS_OR_CONFIRMS} AND {row}.member_id "
        f"IN (SELECT member_id FROM {EVENT} WHERE type = 'readmitted')))"
    )


def _pg_events(rows: str) -> str:
    return f"""
        SELECT a.organization_id, GREATEST(a.valid_from, e.floor) AS since
        FROM (SELECT member_id, CASE WHEN type = 'readmitted' THEN '-infinity'::date
                                     ELSE "on" END AS floor
              FROM {rows} r WHERE {_pg_counted_event("r")}) e
        JOIN {AFFILIATION} a ON a.member_id = e.member_id AND a.kind = 'official'
            AND (a.valid_to IS NULL OR a.valid_to > e.floor)"""


def _pg_changed_events() -> str:
    changed = f"{_row('o', EVENT_KEY)} IS DISTINCT FROM {_row('n', EVENT_KEY)}"
    return (
        f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed} "
        f"UNION ALL SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed})"
    )


def _pg_affiliation_update() -> str:
    """Both organizations of each changed affiliation that is official before or after."""
    changed = _pg_changed(AFFILIATION_KEY, "valid_to", "organization_id").replace(
        "FROM old_rows o", ", n.kind AS new_kind FROM old_rows o"
    )
    return (
        f"SELECT s.organization_id, c.since_changed AS since FROM ({changed}) c "
        "CROSS JOIN LATERAL (VALUES (c.organization_id), (c.new_organization_id)) "
        "s(organization_id) WHERE c.kind = 'official' OR c.new_kind = 'official'"
    )


def _pg_member_update() -> str:
    watched = (*PROFILE, "confirmed_on")
    return f"""
        SELECT a.organization_id, GREATEST(a.valid_from, c.floor) AS since
        FROM (SELECT n.id, CASE WHEN {_row("o", PROFILE)} IS NOT DISTINCT FROM {_row("n", PROFILE)}
                  THEN LEAST(COALESCE(o.confirmed_on, 'infinity'),
                             COALESCE(n.confirmed_on, 'infinity'))
                  ELSE '-infinity'::date END AS floor
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE {_row("o", watched)} IS DISTINCT FROM {_row("n", watched)}) c
        JOIN {AFFILIATION} a ON a.member_id = c.id AND a.kind = 'official'
            AND (a.valid_to IS NULL OR a.valid_to > c.floor)"""


def _pg_version_update() -> str:
    changed = _pg_changed(VERSION_KEY, "valid_to", "province_id")
    return (
        f"SELECT s.province_id, c.since_changed AS since FROM ({changed}) c "
        "CROSS JOIN LATERAL (VALUES (c.province_id), (c.new_province_id)) s(province_id)"
    )


# (table, operation) → (what marks, the pairs it marks from)
PG_TRIGGERS = {
    (AFFILIATION, "INSERT"): (
        PG_MARK_ORGANIZATIONS,
        "SELECT organization_id, valid_from AS since FROM new_rows WHERE kind = 'official'",
    ),
    (AFFILIATION, "DELETE"): (
        PG_MARK_ORGANIZATIONS,
        "SELECT organization_id, valid_from AS since FROM old_rows WHERE kind = 'official'",
    ),
    (AFFILIATION, "UPDATE"): (PG_MARK_ORGANIZATIONS, _pg_affiliation_update()),
    (MEMBER, "UPDATE"): (PG_MARK_ORGANIZATIONS, _pg_member_update()),
    (MEMBER, "DELETE"): (
        PG_MARK_ORGANIZATIONS,
        f"SELECT a.organization_id, a.valid_from AS since FROM old_rows o "
        f"JOIN {AFFILIATION} a ON a.member_id = o.id AND a.kind = 'official'",
    ),
    (EVENT, "INSERT"): (PG_MARK_ORGANIZATIONS, _pg_events("new_rows")),
    (EVENT, "DELETE"): (PG_MARK_ORGANIZATIONS, _pg_events("old_rows")),
    (EVENT, "UPDATE"): (PG_MARK_ORGANIZATIONS, _pg_events(_pg_changed_events())),
    (VERSION, "INSERT"): (
        PG_MARK_PROVINCES,
        "SELECT province_id, valid_from AS since FROM new_rows",
    ),
    (VERSION, "DELETE"): (
        PG_MARK_PROVINCES,
        "SELECT province_id, valid_from AS since FROM old_rows",
    ),
    (VERSION, "UPDATE"): (PG_MARK_PROVINCES, _pg_version_update()),
    (ORGANIZATION, "UPDATE"): (
        PG_MARK_ORGANIZATIONS,
        "SELECT n.id AS organization_id, '-infinity'::date AS since FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id WHERE o.grassroots_type IS DISTINCT FROM "
        "n.grassroots_type",
    ),
}
PG_TRUNCATED = (AFFILIATION, MEMBER, EVENT, VERSION, ORGANIZATION)


def _pg_name(table: str, operation: str) -> str:
    return f"count_change_{table}_{operation.lower()}"


def postgresql_create() -> list[str]:
    statements = []
    for (table, operation), (mark, pairs) in PG_TRIGGERS.items():
        name = _pg_name(table, operation)
        tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows"}.get(
            operation, "OLD TABLE AS old_rows NEW TABLE AS new_rows"
        )
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{mark.format(pairs=pairs)} RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER {operation} ON {table} REFERENCING {tables} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    statements.append(
        "CREATE FUNCTION count_change_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN INSERT INTO {CHANGE} (province_id, since, n) VALUES (0, '0001-01-01', 1); "
        "RETURN NULL; END $$"
    )
    for table in PG_TRUNCATED:
        statements.append(
            f"CREATE TRIGGER count_change_{table}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION count_change_truncated()"
        )
    return statements


def postgresql_drop() -> list[str]:
    statements = []
    for table, operation in PG_TRIGGERS:
        name = _pg_name(table, operation)
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
    for table in PG_TRUNCATED:
        statements.append(f"DROP TRIGGER IF EXISTS count_change_{table}_truncate ON {table}")
    statements.append("DROP FUNCTION IF EXISTS count_change_truncated()")
    return statements


# ---------------------------------------------------------------- SQLite

INFINITY, NEVER = "'9999-12-31'", "'0001-01-01'"
UPSERT = "ON CONFLICT (province_id, since) DO UPDATE SET n = n + 1;"


def _sqlite_mark_organization(organization: str, since: str, source="(SELECT 1) one",
                              where="1") -> str:  # fmt: skip
    """Mark the provinces of `organization`'s versions in force from `since` on."""
    return f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT COALESCE(v.province_id, 0), strftime('%Y-01-01', max({since}, v.valid_from)), 1
    FROM {source} JOIN {VERSION} v ON v.organization_id = {organization}
        AND (v.valid_to IS NULL OR v.valid_to > {since})
    WHERE {where} {UPSERT}"""


def _sqlite_mark_member(member: str, floor: str, where="1") -> str:
    """Mark the provinces where `member` counts on `floor` or later."""
    return _sqlite_mark_organization(
        "a.organization_id",
        f"max(a.valid_from, {floor})",
        source=f"{AFFILIATION} a",
        where=f"a.member_id = {member} AND a.kind = 'official' "
        f"AND (a.valid_to IS NULL OR a.valid_to > {floor}) AND {where}",
    )


def _sqlite_mark_province(province: str, since: str) -> str:
    return f"""
    INSERT INTO {CHANGE} (province_id, since, n)
    SELECT COALESCE({province}, 0), strftime('%Y-01-01', {since}), 1 WHERE 1 {UPSERT}"""


def _differ(columns) -> str:
    return " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)


def _same(columns) -> str:
    return " AND ".join(f"OLD.{c} IS NEW.{c}" for c in columns)


def _sqlite_since_changed(key, end: str) -> str:
    return (
        f"CASE WHEN {_same(key)} THEN min(COALESCE(OLD.{end}, {INFINITY}), "
        f"COALESCE(NEW.{end}, {INFINITY})) ELSE min(OLD.valid_from, NEW.valid_from) END"
    )


def _sqlite_event_floor(row: str) -> str:
    return f"CASE WHEN {row}.type = 'readmitted' THEN {NEVER} ELSE {row}.\"on\" END"


def _sqlite_triggers() -> dict[str, tuple[str, str, str]]:
    """name → (event and table, condition, body)."""
    affiliation_since = _sqlite_since_changed(AFFILIATION_KEY, "valid_to")
    version_since = _sqlite_since_changed(VERSION_KEY, "valid_to")
    member_floor = (
        f"CASE WHEN {_same(PROFILE)} THEN min(COALESCE(OLD.confirmed_on, {INFINITY}), "
        f"COALESCE(NEW.confirmed_on, {INFINITY})) ELSE {NEVER} END"
    )

    def counted(row: str) -> str:  # as _pg_counted_event
        return (
            f"({row}.type = 'readmitted' OR ({row}.type IN {STARTS_OR_CONFIRMS} AND EXISTS "
            f"(SELECT 1 FROM {EVENT} r WHERE r.member_id = {row}.member_id "
            "AND r.type = 'readmitted')))"
        )

    return {
        "affiliation_insert": (
            f"INSERT ON {AFFILIATION}",
            "NEW.kind = 'official'",
            _sqlite_mark_organization("NEW.organization_id", "NEW.valid_from"),
        ),
        "affiliation_delete": (
            f"DELETE ON {AFFILIATION}",
            "OLD.kind = 'official'",
            _sqlite_mark_organization("OLD.organization_id", "OLD.valid_from"),
        ),
        "affiliation_update": (
            f"UPDATE OF {', '.join((*AFFILIATION_KEY, 'valid_to'))} ON {AFFILIATION}",
            f"(OLD.kind = 'official' OR NEW.kind = 'official') "
            f"AND ({_differ((*AFFILIATION_KEY, 'valid_to'))})",
            _sqlite_mark_organization("OLD.organization_id", affiliation_since)
            + _sqlite_mark_organization("NEW.organization_id", affiliation_since),
        ),
        "member_update": (
            f"UPDATE OF {', '.join((*PROFILE, 'confirmed_on'))} ON {MEMBER}",
            _differ((*PROFILE, "confirmed_on")),
            _sqlite_mark_member("NEW.id", member_floor),
        ),
        "member_delete": (f"DELETE ON {MEMBER}", "1", _sqlite_mark_member("OLD.id", NEVER)),
        "event_insert": (
            f"INSERT ON {EVENT}",
            counted("NEW"),
            _sqlite_mark_member("NEW.member_id", _sqlite_event_floor("NEW")),
        ),
        "event_delete": (
            f"DELETE ON {EVENT}",
            counted("OLD"),
            _sqlite_mark_member("OLD.member_id", _sqlite_event_floor("OLD")),
        ),
        "event_update": (
            f'UPDATE OF member_id, type, "on" ON {EVENT}',
            f"({counted('OLD')} OR {counted('NEW')}) AND ({_differ(EVENT_KEY)})",
            _sqlite_mark_member("OLD.member_id", _sqlite_event_floor("OLD"), counted("OLD"))
            + _sqlite_mark_member("NEW.member_id", _sqlite_event_floor("NEW"), counted("NEW")),
        ),  # fmt: skip
        "version_insert": (
            f"INSERT ON {VERSION}",
            "1",
            _sqlite_mark_province("NEW.province_id", "NEW.valid_from"),
        ),
        "version_delete": (
            f"DELETE ON {VERSION}",
            "1",
            _sqlite_mark_province("OLD.province_id", "OLD.valid_from"),
        ),
        "version_update": (
            f"UPDATE OF {', '.join((*VERSION_KEY, 'valid_to'))} ON {VERSION}",
            _differ((*VERSION_KEY, "valid_to")),
            _sqlite_mark_province("OLD.province_id", version_since)
            + _sqlite_mark_province("NEW.province_id", version_since),
        ),
        "organization_update": (
            f"UPDATE OF grassroots_type ON {ORGANIZATION}",
            "OLD.grassroots_type IS NOT NEW.grassroots_type",
            _sqlite_mark_organization("NEW.id", NEVER),
        ),
    }


def sqlite_create() -> list[str]:
    statements = [
        f"CREATE UNIQUE INDEX count_change_key ON {CHANGE} (province_id, since)",
    ]
    for name, (event, condition, body) in _sqlite_triggers().items():
        statements.append(
            f"CREATE TRIGGER count_change_{name} AFTER {event} FOR EACH ROW "
            f"WHEN {condition} BEGIN {body} END"
        )
    return statements


def sqlite_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS count_change_{name}" for name in _sqlite_triggers()]
    return [*statements, "DROP INDEX IF EXISTS count_change_key"]


# ---------------------------------------------------------------- the operation


def _run(statements_for):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = statements_for.get(vendor)
        if statements is None:
            raise NotImplementedError(f"count change triggers: {vendor}")
        for statement in statements():
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0002_count_changes"),
        ("members", "0009_transfer_models_move_to_transfers"),
        ("organizations", "0002_grassroots_village_and_residential"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": postgresql_create, "sqlite": sqlite_create}),
            _run({"postgresql": postgresql_drop, "sqlite": sqlite_drop}),
        ),
    ]
