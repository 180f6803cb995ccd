"""Demo accounts: one per role, each with a grant at a named organization.

All demo accounts share the password `tochuc2025`; `table()` lists them from the
database, so that a second `tochuc demo` prints them without rebuilding anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, user_create

from . import langson
from .context import PASSWORD, DemoContext

User = get_user_model()


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    where: str | None  # registry name of the organization (None: the whole system)
    valid_from: date


def _short(key: str) -> str:
    return key.removeprefix("xa").removeprefix("phuong")


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Quản trị Hệ thống", Role.ADMIN, None, date(2020, 1, 1)),
    DemoAccount("tinh.langson", "Hoàng Thị Thu Hà", Role.OFFICER, "province", date(2020, 1, 1)),
    DemoAccount(
        f"xa.{_short(langson.DEMO_COMMUNE)}",
        "Lương Văn Hùng",
        Role.OFFICER,
        "commune",
        date(2025, 7, 1),
    ),
    DemoAccount(
        f"xem.{_short(langson.DEMO_COMMUNE)}",
        "Nông Thị Lan",
        Role.VIEWER,
        "commune",
        date(2025, 7, 1),
    ),
    DemoAccount("bithu.naphai", "Vi Văn Thắng", Role.CELL_SECRETARY, "cell", date(2025, 7, 1)),
    DemoAccount(
        f"xa.{_short(langson.SIBLING_COMMUNE)}",
        "Lộc Thị Mai",
        Role.OFFICER,
        "sibling_commune",
        date(2025, 7, 1),
    ),
    DemoAccount(
        "canbo.langson", "Hoàng Văn Quyết", Role.CADRE_OFFICER, "province", date(2020, 1, 1)
    ),
)
USERNAMES = tuple(a.username for a in ACCOUNTS)


def build(ctx: DemoContext) -> None:
    for account in ACCOUNTS:
        user = user_create(
            username=account.username, password=PASSWORD, full_name=account.full_name
        )
        organization = ctx.registry.get(account.where) if account.where else None
        grant_create(
            user=user,
            role=account.role,
            organization=organization,
            valid_from=account.valid_from,
            note="Tài khoản dữ liệu mẫu",
        )
    ctx.write(f"  {len(ACCOUNTS)} tài khoản mẫu.")


def rows() -> list[tuple[str, str, str, str]]:
    """(tên đăng nhập, mật khẩu, vai trò, tổ chức) of the demo accounts in the database."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=USERNAMES).prefetch_related(
            "grants__organization"
        )
    }
    result = []
    for account in ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        grants = [g for g in user.grants.all() if g.revoked_at is None]
        if not grants:
            result.append((user.username, PASSWORD, "—", "—"))
        for grant in grants:
            where = grant.organization.name if grant.organization_id else "Toàn hệ thống"
            code = f" ({grant.organization.code})" if grant.organization_id else ""
            result.append((user.username, PASSWORD, grant.get_role_display(), where + code))
    # A member of the demo cell signs in with their CCCD (tochuc/selfservice).
    from tochuc.selfservice.demo import account_rows

    return result + account_rows(PASSWORD)


def table() -> str:
    header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Tổ chức")
    lines = [header, *rows()]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(line) -> str:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines[1:])])
