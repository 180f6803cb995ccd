"""The named cast the tests share: two provinces, sibling communes, cells, and a user per role.

Tỉnh A (province)                         Tỉnh B (other_province)
  Đảng ủy xã Tân An (commune)               Đảng ủy phường Bắc Sơn (other_commune)
    Đảng ủy Trường THPT Tân An (base)
      Chi bộ Tổ Toán (cell)
    Chi bộ thôn Nà Phái (base_cell)
  Đảng ủy xã Tân Bình (sibling_commune)
    Chi bộ thôn Khòn Lèng (sibling_cell)
"""

from dataclasses import dataclass
from datetime import date

from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, user_create
from tochuc.organizations.models import GrassrootsType, Kind, Organization
from tochuc.organizations.services import NewOrganization, organization_found

FOUNDED = date(2025, 7, 1)
PASSWORD = "mat-khau-thu-nghiem"


def found(code, name, kind, parent=None, on=FOUNDED, grassroots_type=""):
    return organization_found(
        spec=NewOrganization(code=code, name=name, kind=kind, grassroots_type=grassroots_type),
        parent=parent,
        on=on,
    )


@dataclass
class Cast:
    province: Organization
    commune: Organization
    base: Organization
    cell: Organization
    village_cell: Organization
    sibling_commune: Organization
    sibling_cell: Organization
    other_province: Organization
    other_commune: Organization

    def user(self, username, role=None, organization=None):
        if role == Role.MEMBER:  # a member of `organization` who activated their account
            member = register(
                organization, f"Đảng viên {username}", citizen_id=citizen_id_for(username)
            )
            return member_account(member).user
        user = user_create(username=username, password=PASSWORD, full_name=username)
        if role:
            grant_create(user=user, role=role, organization=organization, valid_from=FOUNDED)
        return user


def build_cast() -> Cast:
    province = found("T01", "Đảng bộ tỉnh A", Kind.PROVINCE, on=date(1950, 1, 1))
    commune = found("T01.X01", "Đảng bộ xã Tân An", Kind.COMMUNE, province)
    base = found(
        "T01.X01.THPT", "Đảng bộ Trường THPT Tân An", Kind.BASE_COMMITTEE, commune,
        grassroots_type=GrassrootsType.PUBLIC_SERVICE,
    )  # fmt: skip
    cell = found("T01.X01.THPT.TOAN", "Chi bộ Tổ Toán", Kind.CELL, base)
    village_cell = found(
        "T01.X01.NAPHAI", "Chi bộ thôn Nà Phái", Kind.BASE_CELL, commune,
        grassroots_type=GrassrootsType.OTHER,
    )  # fmt: skip
    sibling_commune = found("T01.X02", "Đảng bộ xã Tân Bình", Kind.COMMUNE, province)
    sibling_cell = found(
        "T01.X02.KHONLENG", "Chi bộ thôn Khòn Lèng", Kind.BASE_CELL, sibling_commune
    )
    other_province = found("T02", "Đảng bộ tỉnh B", Kind.PROVINCE, on=date(1950, 1, 1))
    other_commune = found("T02.P01", "Đảng bộ phường Bắc Sơn", Kind.COMMUNE, other_province)
    return Cast(
        province, commune, base, cell, village_cell, sibling_commune, sibling_cell,
        other_province, other_commune,
    )  # fmt: skip


ROLES_BY_NAME = {
    "admin": (Role.ADMIN, None),
    "province_officer": (Role.OFFICER, "province"),
    "commune_officer": (Role.OFFICER, "commune"),
    "commune_viewer": (Role.VIEWER, "commune"),
    "cell_secretary": (Role.CELL_SECRETARY, "cell"),
    "sibling_officer": (Role.OFFICER, "sibling_commune"),
    "other_province_officer": (Role.OFFICER, "other_province"),
    "stranger": (None, None),
}
# A member of the cell with a self-service account (no grant: tochuc/selfservice). Apart
# from ROLES_BY_NAME, whose users every `users` fixture makes: this one adds a member to the
# cell, which the tests that count the cell's members do not expect.
MEMBER_ROLES = {"member": (Role.MEMBER, "cell")}


MEMBER_DEFAULTS = {"gender": "male", "birth_date": date(1985, 3, 15), "ethnicity": "01"}


def register(organization, full_name, *, admitted_on=date(2010, 5, 19), confirmed=True, **record):
    """A member entered into `organization` (a cell), admitted in 2010 by default (born in
    1985, or 25 years before an earlier admission: old enough to be admitted)."""
    from datetime import timedelta

    from tochuc.members.services import member_register

    born = MEMBER_DEFAULTS["birth_date"]
    if admitted_on.year - born.year < 25:
        born = born.replace(year=admitted_on.year - 25)
    return member_register(
        organization=organization,
        record={"full_name": full_name, **MEMBER_DEFAULTS, "birth_date": born, **record},
        admitted_on=admitted_on,
        ceremony_on=admitted_on + timedelta(days=14),
        confirmed_on=admitted_on + timedelta(days=380) if confirmed else None,
        since=max(admitted_on, FOUNDED) if organization.founded_on >= FOUNDED else None,
    )


def citizen_id_for(name: str) -> str:
    """A 12-digit CCCD that is the same for the same name (the cast's members have none)."""
    import hashlib

    return "0" + str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:11]


def member_account(member, password=PASSWORD):
    """The member's self-service account, activated with `password` (as the member would
    with the code their cell secretary printed)."""
    from tochuc.selfservice.accounts import account_activate, account_issue

    _account, code = account_issue(member=member)
    identifier = member.citizen_id or member.party_card_no
    return account_activate(identifier=identifier, code=code, password=password, request=None)
