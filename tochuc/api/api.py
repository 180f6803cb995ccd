"""The JSON API, /api/v1/: thin endpoints over the selectors and services the pages use.

Every endpoint reads through the token user's scope (tochuc.accounts.access): out of scope
answers 404, in scope without the permission 403, as the pages do. Errors are JSON with a
stable `code` and the services' Vietnamese message."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja import errors as ninja_errors
from ninja.renderers import JSONRenderer

from tochuc.accounts.access import global_lookup
from tochuc.accounts.permissions import CHANGE_MEMBERS, EXPORT, VIEW
from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib import search
from tochuc.lib.dates import parse_query_date
from tochuc.members import selectors as members
from tochuc.members import services as member_services
from tochuc.members.timeline import CELL_KINDS
from tochuc.organizations import selectors as organizations
from tochuc.organizations.models import Organization
from tochuc.reports import periods, registry
from tochuc.selfservice.selectors import account_of
from tochuc.transfers import selectors as transfer_selectors
from tochuc.transfers import services as transfer_services

from . import schemas
from .auth import RateLimited, TokenAuth


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese readable as it is


api = NinjaAPI(
    renderer=Renderer(),
    title="tochuc API",
    version="1",
    description=_("Giao diện lập trình của hệ thống tochuc (docs/api.md)."),
    auth=TokenAuth(),
    urls_namespace="api-v1",
    docs_url="/tai-lieu/",
)

ERRORS = dict.fromkeys(
    (400, 401, 403, 404, 422, 429), schemas.Error
)  # every refusal has the same JSON shape
WRITE_ERRORS = {**ERRORS, 409: schemas.Error}
MAX_PAGE = 200


def _error(request, status: int, code: str, message: str, fields=None):
    body = {"code": code, "message": str(message), "fields": fields or {}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ninja_errors.AuthenticationError)
def _unauthorized(request, exc):
    return _error(
        request, 401, "unauthorized", _("Thiếu mã truy cập, hoặc mã sai, hết hạn, bị thu hồi.")
    )


@api.exception_handler(ninja_errors.HttpError)
def _http_error(request, exc):
    return _error(request, exc.status_code, "bad_request", _("Yêu cầu không hợp lệ."))


@api.exception_handler(ninja_errors.ValidationError)
def _malformed(request, exc):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        key = ".".join(str(part) for part in error.get("loc", ())[1:]) or "__all__"
        fields.setdefault(key, []).append(str(error.get("msg", "")))
    return _error(request, 422, "invalid", _("Dữ liệu gửi lên không đúng dạng."), fields)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", _("Đồng chí không có quyền thực hiện việc này."))


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return _error(request, 429, "rate_limited", _("Quá nhiều yêu cầu; hãy thử lại sau một phút."))


@api.exception_handler(search.QueryTooLong)
def _query_too_long(request, exc):
    return _error(request, 422, "invalid", exc.message)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    fields = {}
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    message = " ".join(str(m) for m in exc.messages)
    if isinstance(exc, ProcedureError):
        code = "stale_version" if getattr(exc, "stale", False) else "refused"
        return _error(request, 409, code, message, fields)
    return _error(request, 422, "invalid", message, fields)


def _need(request, permission: str, organization=None) -> None:
    if permission not in request.scope.permissions_for(organization):
        raise PermissionDenied


def _on(text: str | None):
    return parse_query_date(text, label=_("Ngày")) or timezone.localdate()


# ---------------------------------------------------------------- organizations

orgs = Router(tags=["organizations"])


@orgs.get("/", response={200: list[schemas.OrganizationOut], **ERRORS})
def organization_tree(request, on: str | None = None):
    """The tree as of `on` (ISO date; today by default): the caller's part of it."""
    day = _on(on)
    scope = request.scope.holding(VIEW)
    versions = organizations.versions_on(scope=scope, on=day).select_related("organization")
    parents = {}
    rows = list(versions.order_by("path"))
    codes = {v.organization_id: v.organization.code for v in rows}
    for v in rows:
        parents[v.pk] = codes.get(v.parent_id)
    return [
        {
            "code": v.organization.code,
            "name": v.name,
            "kind": v.kind,
            "parent": parents[v.pk],
            "valid_from": v.valid_from,
            "valid_to": v.valid_to,
        }
        for v in rows
    ]


@orgs.get("/{path:code}/", response={200: schemas.OrganizationDetail, **ERRORS})
def organization_detail(request, code: str):
    """One organization with its history (founding, renaming, moves, mergers…)."""
    organization = request.scope.get_organization(code=code)
    _need(request, VIEW, organization)
    parent = organization.parent
    return {
        "code": organization.code,
        "name": organization.name,
        "kind": organization.kind,
        "founded_on": organization.founded_on,
        "ended_on": organization.ended_on,
        "parent": parent.code if parent and request.scope.contains(parent) else None,
        "history": list(organizations.organization_history(organization=organization)),
    }


# ---------------------------------------------------------------- members

people = Router(tags=["members"])


def _member_out(member) -> dict:
    return {
        "id": member.pk,
        "full_name": member.full_name,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "status": member.status,
        "organization": member.organization.code if member.organization_id else None,
        "admitted_on": member.admitted_on,
        "ceremony_on": member.ceremony_on,
        "confirmed_on": member.confirmed_on,
        "party_card_no": member.party_card_no,
        "row_version": member.row_version,
    }


@people.get("/", response={200: schemas.MemberPage, **ERRORS})
def member_list(
    request,
    q: str = "",
    organization: str | None = None,
    status: str | None = None,
    gender: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    """Members in scope, in Vietnamese order; `q` searches names, CCCD or card number.
    Paged by cursor: pass `next_cursor` back as `cursor`."""
    scope = request.scope.holding(VIEW)
    if VIEW not in scope.permissions_for(None):
        raise Http404
    filters = members.MemberFilters(text=q[:200])
    if organization:
        filters.organization = scope.get_organization(code=organization)
    if status:
        filters.statuses = [status]
    if gender:
        filters.gender = gender
    qs = members.member_list(scope=scope, filters=filters)
    page = members.keyset_page(qs, after=(cursor or "")[:700], size=max(1, min(limit, MAX_PAGE)))
    return {"items": [_member_out(m) for m in page.rows], "next_cursor": page.next_cursor}


def _member(request, pk: int, permission: str):
    if not 0 < pk < 2**62:
        raise Http404
    member = members.member_get(scope=request.scope, pk=pk)
    _need(request, permission, member.organization)
    return member


def _event_out(event) -> dict:
    return {
        "type": event.type,
        "on": event.on,
        "decision_no": event.decision_no,
        "decision_date": event.decision_date,
        "organization": event.organization.code if event.organization_id else None,
        "other_organization": (
            event.other_organization.code if event.other_organization_id else None
        ),
        "other_party": event.other_party,
        "note": event.note,
    }


@people.get("/{pk}/", response={200: schemas.MemberDetail, **ERRORS})
def member_detail(request, pk: int):
    """One member with their timeline and party age today."""
    member = _member(request, pk, VIEW)
    age = members.member_party_age(member=member)
    return {
        **_member_out(member),
        "party_age_years": age.years if age else None,
        "timeline": [_event_out(e) for e in members.member_timeline(member=member)],
    }


@people.post("/", response={201: schemas.MemberOut, **WRITE_ERRORS})
def member_create(request, payload: schemas.MemberIn):
    """Record a member in a cell (member_register: the same checks as the page)."""
    organization = request.scope.get_organization(code=payload.organization)
    _need(request, CHANGE_MEMBERS, organization)
    member = member_services.member_register(
        organization=organization,
        record=payload.record.dict(),
        admitted_on=payload.admitted_on,
        admission_decision_no=payload.admission_decision_no,
        ceremony_on=payload.ceremony_on,
        confirmed_on=payload.confirmed_on,
        since=payload.since,
        by=request.user,
    )
    return Status(201, _member_out(member))


@people.patch("/{pk}/", response={200: schemas.MemberOut, **WRITE_ERRORS})
def member_correct(request, pk: int, payload: schemas.MemberChange):
    """Correct a member's personal record; refused with `stale_version` when someone saved it
    after `row_version` was read."""
    member = _member(request, pk, CHANGE_MEMBERS)
    if member.row_version != payload.row_version:
        error = ProcedureError(
            _("Hồ sơ đã được người khác sửa sau khi đồng chí đọc nó; hãy đọc lại rồi sửa.")
        )
        error.stale = True
        raise error
    changes = dict(payload.changes)
    if "birth_date" in changes:
        changes["birth_date"] = parse_query_date(changes["birth_date"], label=_("Ngày sinh"))
    updated = member_services.member_update(
        member=member,
        changes=changes,
        expected_version=payload.row_version,
        reason=payload.reason,
        by=request.user,
    )
    return _member_out(updated)


EXITS = ("removed", "expelled", "resigned", "died")


@people.post("/{pk}/events/", response={200: schemas.MemberDetail, **WRITE_ERRORS})
def member_event(request, pk: int, payload: schemas.EventIn):
    """Record an act on the member's timeline through the timeline services: confirmation,
    exemption (or its end), removal, expulsion, resignation, death."""
    member = _member(request, pk, CHANGE_MEMBERS)
    act = {"on": payload.on, "decision_no": payload.decision_no, "by": request.user}
    if payload.type == "confirmed":
        member_services.member_confirm(member=member, decision_date=payload.decision_date, **act)
    elif payload.type in ("exempted", "exemption_ended"):
        end = payload.type == "exemption_ended"
        member_services.member_exempt(member=member, end=end, grounds=payload.grounds, **act)
    elif payload.type in EXITS:
        member_services.member_exit(
            member=member, type=payload.type, decision_date=payload.decision_date,
            grounds=payload.grounds, **act,
        )  # fmt: skip
    else:
        raise ValidationError(
            {"type": _("Loại sự kiện không hợp lệ: %(type)s.") % {"type": payload.type[:40]}}
        )
    return member_detail(request, pk)


# ---------------------------------------------------------------- transfers

moves = Router(tags=["transfers"])


def _transfer_out(transfer) -> dict:
    return {
        "id": transfer.pk,
        "member": transfer.member_id,
        "kind": transfer.kind,
        "state": transfer.state,
        "source": transfer.source.code if transfer.source_id else None,
        "destination": transfer.destination.code if transfer.destination_id else None,
        "other_party": transfer.other_party,
        "letter_no": transfer.letter_no,
        "letter_on": transfer.letter_on,
        "arrived_on": transfer.arrived_on,
        "row_version": transfer.row_version,
    }


@people.post("/{pk}/transfers/", response={201: schemas.TransferOut, **WRITE_ERRORS})
def member_transfer_issue(request, pk: int, payload: schemas.TransferIn):
    """The official introduction letter: to a cell of the system (`to`, its code) or out of
    it (`other_party`), as on the member's page."""
    member = _member(request, pk, CHANGE_MEMBERS)
    to = None
    if payload.to:
        to = global_lookup(
            "transfers.forms: destination cell by code",
            Organization.objects.filter(
                code=payload.to[:40], kind__in=CELL_KINDS, ended_on__isnull=True
            ),
        ).first()
        if to is None:
            raise ValidationError(
                {
                    "to": _("Không có chi bộ đang hoạt động mã “%(code)s”.")
                    % {"code": payload.to[:40]}
                }
            )
    elif not payload.other_party.strip():
        raise ValidationError({"to": _("Hãy nhập mã chi bộ nơi đến hoặc nơi đến ngoài hệ thống.")})
    transfer = transfer_services.transfer_issue(
        member=member, on=payload.on, to=to, other_party=payload.other_party[:255],
        move_decided_on=payload.move_decided_on, reason=payload.reason[:255], by=request.user,
    )  # fmt: skip
    return Status(201, _transfer_out(transfer))


@moves.post("/{pk}/receive/", response={200: schemas.TransferOut, **WRITE_ERRORS})
def transfer_receive(request, pk: int, payload: schemas.ReceiptIn):
    """The destination records the arrival; refused (stale_version) when the letter changed
    after `row_version` was read."""
    if not 0 < pk < 2**62:
        raise Http404
    transfer = get_object_or_404(
        transfer_selectors.transfers_visible(scope=request.scope).select_related("destination"),
        pk=pk,
    )
    if transfer.destination is None or not request.scope.contains(transfer.destination):
        raise PermissionDenied
    _need(request, CHANGE_MEMBERS, transfer.destination)
    if transfer.row_version != payload.row_version:
        error = ProcedureError(_("Giấy giới thiệu đã thay đổi sau khi đồng chí đọc; hãy đọc lại."))
        error.stale = True
        raise error
    done = transfer_services.transfer_receive(
        transfer=transfer, arrived_on=payload.arrived_on,
        expected_version=payload.row_version, by=request.user,
    )  # fmt: skip
    return _transfer_out(done)


# ---------------------------------------------------------------- reports

reports = Router(tags=["reports"])


@reports.get("/", response={200: list[schemas.ReportOut], **ERRORS})
def report_list(request):
    """Every registered report (tochuc/reports/registry.py)."""
    return [
        {
            "name": d.name,
            "title": str(d.title),
            "needs_period": d.needs_period,
            "description": str(d.description),
        }
        for d in registry.definitions_for(request.scope.permissions_for(None))
    ]


@reports.get("/{path:name}/", response={200: dict, **ERRORS})
def report_dataset(
    request,
    name: str,
    organization: str,
    on: str | None = None,
    year: str | None = None,
    quarter: str | None = None,
    start: str | None = None,
    end: str | None = None,
):
    """A report's dataset, the same JSON as the report's JSON download (docs/reports.md).
    One of `on`, `year`, `quarter` (2026-Q1), or `start` and `end`; today by default."""
    if registry.get(name) is None:
        raise Http404
    place = request.scope.get_organization(code=organization)
    registry.visible(name, scope=request.scope, organization=place)
    _need(request, EXPORT, place)
    period = periods.parse(
        on=on, year_text=year, quarter_text=quarter, start=start, end=end
    ) or periods.at(timezone.localdate())
    dataset = registry.build(name, place, period)
    audit.record(
        "tochuc.report.exported",
        by=request.user,
        obj=place,
        report=dataset.report,
        period=dataset.period.as_dict(),
        format="api",
    )
    return dataset.as_dict()


api.add_router("/organizations/", orgs)
api.add_router("/members/", people)
api.add_router("/reports/", reports)
api.add_router("/transfers/", moves)

# A member's own record (tochuc/selfservice): a member's token has no scope over organizations
# (every list is empty, every object 404), and this one object — theirs.
me = Router(tags=["self-service"])


@me.get("/", response={200: schemas.MemberDetail, **ERRORS})
def my_record(request):
    """The token user's own member record with their timeline (a member's account); 404 for
    anyone else."""
    account = account_of(request.user)
    if account is None:
        raise Http404
    member = account.member
    age = members.member_party_age(member=member)
    return {
        **_member_out(member),
        "party_age_years": age.years if age else None,
        "timeline": [_event_out(e) for e in members.member_timeline(member=member)],
    }


api.add_router("/me/", me)
