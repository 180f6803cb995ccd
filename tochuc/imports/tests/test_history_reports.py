"""A generated ten-year history imported through the four imports: the report engine's
counts at every year end and quarter equal the counts computed from the source rows."""

from collections import Counter
from datetime import date, timedelta

import pytest

from tochuc.imports import registry
from tochuc.imports.history_fixture import LABELS, generate, workbook
from tochuc.lib.dates import parse_date
from tochuc.members.models import Member
from tochuc.organizations.models import Organization
from tochuc.reports import periods
from tochuc.reports import registry as reports

pytestmark = pytest.mark.django_db

CODES = {label: code for code, label in LABELS.items()} | {code: code for code in LABELS}
ORDER = ("organizations", "org-events", "members", "events", "targets")


def import_all(history):
    outcomes = {}
    for name, rows in zip(
        ORDER,
        (history.organizations, history.org_events, history.members, history.events,
         history.targets),
        strict=True,
    ):  # fmt: skip
        outcome = registry.run_import(
            registry.get(name), workbook(name, rows), scope=registry.SystemScope()
        )
        assert outcome.ok, [str(e) for e in outcome.errors[:10]]
        outcomes[name] = outcome
    return outcomes


@pytest.fixture(scope="module")
def history():
    return generate(300, seed=7)


def day(text):
    return parse_date(text) if text else None


class Source:
    """Counts computed from the rows of the files alone, without the database."""

    def __init__(self, history):
        self.members = history.members
        self.by_key = {}
        for m in history.members:
            self.by_key[("party_card_no", m["party_card_no"])] = m
            self.by_key[("citizen_id", m["citizen_id"])] = m
        self.timelines = {m["party_card_no"]: [] for m in history.members}
        for row in history.events:
            key = ("party_card_no", row["party_card_no"]) if "party_card_no" in row else (
                "citizen_id", row["citizen_id"])  # fmt: skip
            member = self.by_key[key]
            entry = (CODES[row["type"]], day(row["on"]), row)
            self.timelines[member["party_card_no"]].append(entry)

    def counted_on(self, member, on) -> bool:
        """Official activity in the province on `on` (a period [from, to) counts on `from`)."""
        inside = day(member["admitted_on"]) <= on  # from the decision, as party age
        for type_, when, row in self.timelines[member["party_card_no"]]:
            if when > on:
                break
            left_system = type_ == "transferred_out" and not row.get("organization")
            if type_ in ("died", "removed", "expelled", "resigned") or left_system:
                inside = False
            elif type_ in ("transferred_in", "readmitted"):
                inside = True
        return inside

    def total_on(self, on) -> int:
        return sum(self.counted_on(m, on) for m in self.members)

    def movement(self, start, end) -> Counter:
        counts = Counter()
        for m in self.members:
            if start <= day(m["admitted_on"]) <= end:
                counts["admitted"] += 1
            if m["confirmed_on"] and start <= day(m["confirmed_on"]) <= end:
                counts["confirmed"] += 1
            for type_, when, row in self.timelines[m["party_card_no"]]:
                if not start <= when <= end:
                    continue
                if type_ == "transferred_out" and not row.get("organization"):
                    counts["transferred_out"] += 1
                elif type_ in ("transferred_in", "died", "removed", "readmitted", "confirmed"):
                    counts[type_] += 1
        counts["start"] = self.total_on(start - timedelta(days=1))
        counts["end"] = self.total_on(end)
        return counts


def quarters():
    for year in range(2016, 2026):
        for number in range(1, 5):
            yield periods.quarter(year, number)


def test_reports_on_the_imported_history_equal_the_counts_of_the_source_rows(history):
    import_all(history)
    province = Organization.objects.get(code=history.province)
    source = Source(history)
    assert Member.objects.count() == len(history.members)
    decade = source.movement(date(2016, 1, 1), date(2025, 12, 31))
    for key in ("admitted", "confirmed", "transferred_in", "transferred_out", "died", "removed"):
        assert decade[key] > 0, key  # the sample exercises every figure compared
    for year in range(2016, 2026):
        on = date(year, 12, 31)
        report = reports.build("membership", province, periods.at(on))
        total = report.table("members").rows[0]["count"]
        assert total == source.total_on(on), on
    for period in quarters():
        report = reports.build("movement", province, period)
        counts = {row["key"]: row["count"] for row in report.table("movement").rows}
        expected = source.movement(period.start, period.end)
        for key in ("start", "admitted", "readmitted", "confirmed", "transferred_in",
                    "transferred_out", "died", "removed", "end"):  # fmt: skip
            assert counts[key] == expected[key], (period.label(), key)
