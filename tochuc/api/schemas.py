"""What the API answers and accepts (OpenAPI 3 through django-ninja). Dates are ISO 8601."""

from datetime import date

from ninja import Schema


class Error(Schema):
    code: str  # stable: not_found, forbidden, invalid, refused, stale_version, rate_limited…
    message: str
    fields: dict[str, list[str]] = {}


class OrganizationOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None  # the parent's code, as of the date asked
    valid_from: date
    valid_to: date | None


class OrganizationEventOut(Schema):
    type: str
    effective_on: date
    decision_no: str
    decision_date: date | None
    note: str


class OrganizationDetail(Schema):
    code: str
    name: str
    kind: str
    founded_on: date
    ended_on: date | None
    parent: str | None
    history: list[OrganizationEventOut]


class MemberOut(Schema):
    id: int
    full_name: str
    gender: str
    birth_date: date
    status: str
    organization: str | None  # code of the cell of official activity
    admitted_on: date
    ceremony_on: date | None
    confirmed_on: date | None
    party_card_no: str
    row_version: int


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class MemberEventOut(Schema):
    type: str
    on: date
    decision_no: str
    decision_date: date | None
    organization: str | None
    other_organization: str | None
    other_party: str
    note: str


class MemberDetail(MemberOut):
    party_age_years: int | None
    timeline: list[MemberEventOut]


class MemberRecord(Schema):
    full_name: str
    gender: str
    birth_date: date
    ethnicity: str = "01"
    citizen_id: str = ""
    phone: str = ""
    party_card_no: str = ""


class MemberIn(Schema):
    organization: str  # the cell's code
    record: MemberRecord
    admitted_on: date
    admission_decision_no: str = ""
    ceremony_on: date | None = None
    confirmed_on: date | None = None
    since: date | None = None  # in the cell from (the admission date by default)


class MemberChange(Schema):
    row_version: int  # as read: refused (stale_version) if someone saved since
    changes: dict[str, str]
    reason: str = ""


class ReportOut(Schema):
    name: str
    title: str
    needs_period: bool
    description: str


class EventIn(Schema):
    # confirmed | exempted | exemption_ended | removed | expelled | resigned | died
    type: str
    on: date
    decision_no: str = ""
    decision_date: date | None = None
    grounds: str = ""


class TransferIn(Schema):
    on: date  # the date of the introduction letter
    to: str | None = None  # the destination cell's code, inside the system
    other_party: str = ""  # or the destination outside the system
    move_decided_on: date | None = None
    reason: str = ""


class TransferOut(Schema):
    id: int
    member: int
    kind: str
    state: str
    source: str | None
    destination: str | None
    other_party: str
    letter_no: str
    letter_on: date
    arrived_on: date | None
    row_version: int


class ReceiptIn(Schema):
    arrived_on: date
    row_version: int
