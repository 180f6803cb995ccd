"""Builders of the demo database, run in order by `tochuc demo`.

Each step is a function taking the `DemoContext`; a later step (the member registry,
admissions…) appends itself to `STEPS` and looks organizations up in `ctx.registry`.
"""

from __future__ import annotations

from collections.abc import Callable

from tochuc.admissions import demo as admissions_demo
from tochuc.awards import demo as awards_demo
from tochuc.cadres import demo as cadres_demo
from tochuc.committees import demo as committees_demo
from tochuc.documents import demo as documents_demo
from tochuc.dues import demo as dues_demo
from tochuc.inspections import demo as inspections_demo
from tochuc.meetings import demo as meetings_demo
from tochuc.members.models import ACTIVE_STATUSES, Member
from tochuc.programmes import demo as programmes_demo
from tochuc.quality import demo as quality_demo
from tochuc.ratings import demo as ratings_demo
from tochuc.selfservice import demo as selfservice_demo
from tochuc.transfers.demo import add_demo_transfers

from . import accounts, members, organizations
from .context import DEFAULT_SEED, PASSWORD, DemoContext
from .registry import Registry

Step = Callable[[DemoContext], None]


def transfers(ctx: DemoContext) -> None:
    """Letters between the demo accounts' two communes: received, waiting, overdue, temporary,
    out of the system, and a member working away."""
    communes = [ctx.registry.get(name) for name in ("commune", "sibling_commune")]
    province = ctx.registry.get("province")
    made = add_demo_transfers(province, communes=communes)
    active = Member.objects.filter(province=province, status__in=ACTIVE_STATUSES).count()
    active_text = f"{active:,}".replace(",", ".")
    ctx.write(
        f"  {sum(made.values())} thủ tục chuyển sinh hoạt, đi làm ăn xa; "
        f"{active_text} đảng viên đang sinh hoạt."
    )


STEPS: list[tuple[str, Step]] = [
    ("Cây tổ chức đảng", organizations.build),
    ("Đảng viên", members.build),
    ("Tài khoản", accounts.build),
    ("Kết nạp đảng viên", admissions_demo.build),
    ("Chuyển sinh hoạt đảng", transfers),
    ("Kiểm tra, giám sát, kỷ luật", inspections_demo.build),
    ("Đánh giá, xếp loại chất lượng", ratings_demo.build),
    ("Đảng phí", dues_demo.build),
    ("Sổ văn bản", documents_demo.build),
    ("Chương trình hành động, giao ban", programmes_demo.build),
    ("Cấp ủy, nhiệm kỳ, đại hội", committees_demo.build),
    ("Sinh hoạt chi bộ", meetings_demo.build),
    ("Chất lượng dữ liệu", quality_demo.build),
    ("Khen thưởng, Huy hiệu Đảng", awards_demo.build),
    ("Công tác cán bộ, biên chế", cadres_demo.build),
    ("Đảng viên tự phục vụ", selfservice_demo.build),
]


__all__ = ["DEFAULT_SEED", "PASSWORD", "STEPS", "DemoContext", "Registry", "build"]


def build(ctx: DemoContext) -> None:
    for title, step in STEPS:
        ctx.write(f"{title}…")
        step(ctx)
