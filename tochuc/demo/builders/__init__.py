"""Builders of the demo database, run in order by `tochuc demo`.

Each step is a function taking the `DemoContext`; a later step (the member registry,
admissions…) appends itself to `STEPS` and looks organizations up in `ctx.registry`.
"""

from __future__ import annotations

from collections.abc import Callable

from . import accounts, members, organizations
from .context import DEFAULT_SEED, PASSWORD, DemoContext
from .registry import Registry

Step = Callable[[DemoContext], None]

STEPS: list[tuple[str, Step]] = [
    ("Cây tổ chức đảng", organizations.build),
    ("Đảng viên", members.build),
    ("Tài khoản", accounts.build),
]

__all__ = ["DEFAULT_SEED", "PASSWORD", "STEPS", "DemoContext", "Registry", "build"]


def build(ctx: DemoContext) -> None:
    for title, step in STEPS:
        ctx.write(f"{title}…")
        step(ctx)
