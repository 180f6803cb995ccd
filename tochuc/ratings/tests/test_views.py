"""The pages: an officer runs the 2025 rating of the commune through the forms (with the
cell secretary entering the cell's proposals), the results and their XLSX/DOCX, the cap
refused on the page, the screening list, votes of confidence, and scope."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.lib.documents import docx_text
from tochuc.members.services import member_exempt
from tochuc.ratings import services
from tochuc.ratings.models import ConfidenceVote, Level, RatingSession, Step, SubjectKind

from .conftest import SCORES, carry, subject_of

pytestmark = pytest.mark.django_db


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def scores(level) -> dict:
    return {f"c{i}": value.replace(".", ",") for i, value in enumerate(SCORES[level])}


def self_assess(client, subject, level, on="10/12/2025"):
    url = reverse("ratings:step", args=[subject.pk, "tu-danh-gia"])
    return client.post(url, {**scores(level), "comment": "Tự nhận xét", "on": on})


def propose(client, subject, level, on="15/12/2025"):
    url = reverse("ratings:step", args=[subject.pk, "de-xuat"])
    return client.post(url, {"level": level, "note": "Chi bộ thống nhất", "on": on})


def decide(client, subject, level, no="45-QĐ/ĐU", on="22/12/2025"):
    url = reverse("ratings:decide", args=[subject.pk])
    return client.post(url, {"level": level, "decision_no": no, "decided_on": on})


@time_machine.travel(date(2025, 12, 28))
def test_an_officer_runs_the_2025_rating_of_the_commune_through_the_pages(
    client, cast, users, school, village
):
    member_exempt(member=village[2], on=date(2025, 10, 1), decision_no="03-NQ/CB")
    client.force_login(users.commune_officer)
    response = client.post(
        reverse("ratings:open", args=[cast.commune.code]), {"kind": "year", "year": "2025"}
    )
    session = RatingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('ratings:subjects', args=[cast.commune.code])}?ky={session.pk}"
    )
    page = client.get(response["Location"])
    listed = {s.name for s in page.context["rows"] if s.kind == SubjectKind.MEMBER}
    assert len(listed) == 15 and village[2].full_name not in listed  # exempted: not listed
    assert page.context["total"] == 18  # 15 members and 3 organizations
    assert village[2].full_name not in page.content.decode()

    # The school: five "tốt", one "xuất sắc", two "hoàn thành", one "không hoàn thành".
    plan = [Level.GOOD] * 5 + [Level.EXCELLENT, Level.DONE, Level.DONE, Level.NOT_DONE]
    cell_secretary = client.__class__()
    cell_secretary.force_login(users.cell_secretary)
    for member, level in zip(school, plan, strict=False):
        subject = subject_of(session, member)
        assert self_assess(client, subject, level).status_code == 302
        # The cell's proposal is the cell secretary's.
        assert propose(cell_secretary, subject, level).status_code == 302
        assert decide(client, subject, level).status_code == 302
    subject = subject_of(session, school[0])
    assert (subject.self_score, subject.self_level, subject.step) == (
        Decimal("80.00"), Level.GOOD, Step.DECIDED,
    )  # fmt: skip
    assert subject.decision_no == "45-QĐ/ĐU" and subject.decided_on == date(2025, 12, 22)

    # A second "xuất sắc" with five "tốt" is refused beside the field, and changes nothing.
    second = subject_of(session, school[9])
    self_assess(client, second, Level.EXCELLENT)
    propose(cell_secretary, second, Level.EXCELLENT)
    refused = decide(client, second, Level.EXCELLENT)
    assert refused.status_code == 200
    assert "tối đa là 1" in " ".join(errors_of(refused)["level"])
    second.refresh_from_db()
    assert (second.step, second.final_level) == (Step.PROPOSED, "")

    results = client.get(reverse("ratings:results", args=[cast.commune.code]), {"ky": session.pk})
    rows = {row.label: row for row in results.context["results"].members}
    school_row = rows["Đảng bộ Trường THPT Tân An"]
    assert (school_row.subjects, school_row.decided) == (13, 9)
    assert school_row.display() == [
        ("1", "11,11%"), ("5", "55,56%"), ("2", "22,22%"), ("1", "11,11%"),
    ]  # fmt: skip
    assert rows["Chi bộ thôn Nà Phái"].subjects == 2
    assert "55,56%" in results.content.decode()

    export = client.get(
        reverse("ratings:results_xlsx", args=[cast.commune.code]), {"ky": session.pk}
    )
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    by_org = list(book.worksheets[0].iter_rows(values_only=True))
    assert by_org[0][:6] == ("STT", "Tổ chức", "Số được đánh giá", "Đã xếp loại", "Xuất sắc",
                             "Xuất sắc (%)")  # fmt: skip
    school_line = next(r for r in by_org if r[1] == "Đảng bộ Trường THPT Tân An")
    assert school_line[2:] == (13, 9, 1, 0.1111, 5, 0.5556, 2, 0.2222, 1, 0.1111)
    assert by_org[-1][1:4] == ("Tổng cộng", 15, 9)
    members_sheet = list(book.worksheets[2].iter_rows(values_only=True))
    assert len(members_sheet) == 1 + 15
    hai = next(r for r in members_sheet if r[1] == "Hoàng Văn Hải")
    assert hai[2:9] == ("Chi bộ Tổ Toán", 80.0, "Hoàn thành tốt nhiệm vụ",
                        "Hoàn thành tốt nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "45-QĐ/ĐU",
                        hai[8])  # fmt: skip
    assert hai[8].date() == date(2025, 12, 22)
    assert AuditEntry.objects.filter(action="tochuc.rating.results_exported").count() == 1

    report = client.get(
        reverse("ratings:results_docx", args=[cast.commune.code]), {"ky": session.pk}
    )
    text = docx_text(report.content)
    assert "BÁO CÁO" in text and "ĐẢNG ỦY XÃ TÂN AN" in text
    assert "Tổng số đảng viên được đánh giá, xếp loại: 15; đã có quyết định xếp loại: 9" in text
    assert "5 hoàn thành tốt nhiệm vụ (55,56%)" in text


def test_a_cell_secretary_works_on_the_cell_s_members_only(client, cast, users, school, village):
    session = services.rating_session_open(organization=cast.commune, kind="year", year=2025)
    client.force_login(users.cell_secretary)
    page = client.get(reverse("ratings:subjects", args=[cast.cell.code]), {"ky": session.pk})
    assert page.status_code == 200
    names = {s.name for s in page.context["rows"]}
    assert names == {m.full_name for m in school} | {"Chi bộ Tổ Toán"}
    # The commune's page, the village cell's subjects and the committee's decision are not hers.
    assert client.get(reverse("ratings:subjects", args=[cast.commune.code])).status_code == 404
    village_subject = subject_of(session, village[0])
    assert propose(client, village_subject, Level.GOOD).status_code == 404
    mine = carry(subject_of(session, school[0]), Level.GOOD, decide="")
    assert decide(client, mine, Level.GOOD).status_code == 403


def test_out_of_scope_sessions_and_subjects_are_not_found(client, cast, users, school):
    session = services.rating_session_open(organization=cast.commune, kind="year", year=2025)
    client.force_login(users.sibling_officer)
    subject = subject_of(session, school[0])
    for url in (
        reverse("ratings:step", args=[subject.pk, "tu-danh-gia"]),
        reverse("ratings:decide", args=[subject.pk]),
        reverse("ratings:subjects", args=[cast.commune.code]),
        reverse("ratings:results_xlsx", args=[cast.commune.code]),
        reverse("ratings:member", args=[school[0].pk]),
    ):
        assert client.get(url).status_code == 404, url
    # A session that does not cover the organization asked for is not found either.
    response = client.get(
        reverse("ratings:results", args=[cast.sibling_commune.code]), {"ky": session.pk}
    )
    assert response.status_code == 404
    assert (
        client.get(
            reverse("ratings:subjects", args=[cast.sibling_commune.code]), {"ky": "x"}
        ).status_code
        == 404
    )
    assert self_assess(client, subject, Level.GOOD).status_code == 404
    subject.refresh_from_db()
    assert subject.step == Step.PENDING


def test_bad_input_is_shown_beside_the_fields_and_changes_nothing(client, cast, users, school):
    session = services.rating_session_open(organization=cast.commune, kind="year", year=2025)
    client.force_login(users.commune_officer)
    subject = subject_of(session, school[0])
    response = client.post(
        reverse("ratings:step", args=[subject.pk, "tu-danh-gia"]),
        {"c0": "31", "c1": "abc", "c2": "5", "c3": "5", "on": "10/12/2025"},
    )
    errors = errors_of(response)
    assert set(errors) == {"c0", "c1"}
    subject.refresh_from_db()
    assert subject.step == Step.PENDING and subject.self_score is None
    # A decision before the proposal: back to the list with a message.
    response = decide(client, subject, Level.GOOD)
    assert response.status_code == 302
    response = client.post(reverse("ratings:open", args=[cast.commune.code]),
                           {"kind": "quarter", "year": "2025"})  # fmt: skip
    assert "quarter" in errors_of(response)
    assert RatingSession.objects.count() == 1


def test_the_screening_list_and_the_flag_on_the_session_page(client, cast, users, school):
    y2024 = services.rating_session_open(
        organization=cast.commune, kind="year", year=2024, listed_on=date(2025, 7, 1)
    )
    carry(subject_of(y2024, school[0]), Level.NOT_DONE)
    y2025 = services.rating_session_open(organization=cast.commune, kind="year", year=2025)
    carry(subject_of(y2025, school[0]), Level.NOT_DONE)
    client.force_login(users.commune_officer)
    page = client.get(reverse("ratings:screening", args=[cast.commune.code]))
    assert [(r["member"], r["years"]) for r in page.context["rows"]] == [(school[0], (2024, 2025))]
    listing = client.get(reverse("ratings:subjects", args=[cast.commune.code]), {"ky": y2025.pk})
    assert listing.context["flagged"] == {school[0].pk}
    assert "Sàng lọc" in listing.content.decode()
    earlier = client.get(reverse("ratings:subjects", args=[cast.commune.code]), {"ky": y2024.pk})
    assert earlier.context["flagged"] == set()


def test_votes_of_confidence_are_recorded_listed_and_exported(client, cast, users, school):
    client.force_login(users.commune_officer)
    url = reverse("ratings:vote_add", args=[cast.commune.code])
    data = {
        "member_id": school[0].pk, "position": "Bí thư Đảng ủy xã", "held_on": "20/11/2025",
        "ballots_issued": "152", "ballots_valid": "150", "high": "101", "medium": "37",
        "low": "12",
    }  # fmt: skip
    bad = client.post(url, {**data, "low": "13"})
    assert "low" in errors_of(bad)
    assert not ConfidenceVote.objects.exists()
    assert client.post(url, data).status_code == 302
    client.post(url, {**data, "member_id": school[1].pk, "position": "Phó Bí thư",
                      "high": "60", "medium": "10", "low": "80"})  # fmt: skip
    page = client.get(reverse("ratings:votes", args=[cast.commune.code]))
    html = page.content.decode()
    assert "67,33%" in html and "24,67%" in html and "8%" in html
    assert "Tín nhiệm thấp trên 50%" in html
    export = client.get(reverse("ratings:votes_xlsx", args=[cast.commune.code]), {"nam": "2025"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(
        values_only=True))  # fmt: skip
    assert len(rows) == 3
    first = next(r for r in rows if r[1] == school[0].full_name)
    assert first[5:13] == (152, 150, 101, 0.6733, 37, 0.2467, 12, 0.08)
    history = client.get(reverse("ratings:member", args=[school[0].pk]))
    assert [v for v, _f, _p in history.context["votes"]] == [ConfidenceVote.objects.get(
        member=school[0])]  # fmt: skip


def test_the_report_engine_counts_levels_for_a_year(cast, school):
    from tochuc.reports.periods import Period
    from tochuc.reports.registry import build

    session = services.rating_session_open(organization=cast.commune, kind="year", year=2025)
    for member, level in zip(school, [Level.GOOD] * 5 + [Level.EXCELLENT, Level.DONE],
                             strict=False):  # fmt: skip
        carry(subject_of(session, member), level)
    carry(session.subjects.get(rated_organization=cast.cell), Level.GOOD)
    data = build("ratings", cast.commune, Period(date(2025, 1, 1), date(2025, 12, 31), "year"))
    members = data.table("members")
    assert [(r["key"], r["count"], r["share"]) for r in members.rows] == [
        ("excellent", 1, Decimal("14.29")), ("good", 5, Decimal("71.43")),
        ("done", 1, Decimal("14.29")), ("not_done", 0, Decimal("0.00")),
    ]  # fmt: skip
    assert members.totals["count"] == 7
    assert data.table("organizations").totals["count"] == 1
    other_year = build("ratings", cast.commune, Period(date(2026, 1, 1), date(2026, 12, 31),
                                                       "year"))  # fmt: skip
    assert other_year.table("members").totals["count"] == 0
    from tochuc.reports import renderers

    for fmt in ("json", "text", "xlsx", "docx"):
        assert renderers.render(data, fmt, today=date(2026, 1, 5))
    assert "71,43%" in renderers.render(data, "text").decode()


def test_the_index_lists_the_user_s_organizations(client, cast, users):
    client.force_login(users.commune_officer)
    page = client.get(reverse("ratings:index"))
    assert [org for org, _s in page.context["homes"]] == [cast.commune]
