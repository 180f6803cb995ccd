"""The organization tree of the demo: today's provinces and communes, and Lạng Sơn in depth.

1. Today's 34 provincial organizations and their 3,321 commune, ward and special-zone
   organizations (`vietnam_provinces`), founded on 1/7/2025 — the provinces that were
   not merged that day keep an older founding date.
2. Lạng Sơn before 1/7/2025 (`langson.plan_langson`): 11 districts, their communes with
   village and other cells, district agencies, schools, enterprises, police and military
   units, and the province's blocs — founded in bulk.
3. Its history to today (`history.replay`): dated events through the services.
"""

from __future__ import annotations

from datetime import date

from tochuc.organizations.bulk import Founding, organizations_found_bulk
from tochuc.organizations.models import GrassrootsType, Kind, Organization
from tochuc.organizations.services import Decision, NewOrganization

from . import history, langson
from .context import DemoContext
from .naming import (
    FORMER_NAMES,
    commune_code,
    number,
    party_name,
    province_code,
    province_party_name,
)
from .registry import Registry, register_named
from .sources import Province, old_provinces_of, provinces_2025

NEW_UNITS_ON = date(2025, 7, 1)
# Provinces not merged on 1/7/2025 keep their party organization's (approximate) founding.
OLD_FOUNDING = {
    "tinhlangson": langson.PROVINCE_FOUNDED,
    "tinhcaobang": date(1979, 1, 1),
    "tinhdienbien": date(2004, 1, 1),
    "tinhlaichau": date(2004, 1, 1),
    "thanhphohue": date(1989, 7, 1),
    "tinhnghean": date(1991, 8, 12),
    "tinhhatinh": date(1991, 8, 12),
    "tinhquangninh": date(1963, 10, 30),
}
OLD_FOUNDING_DEFAULT = date(1976, 1, 1)
SMALL_PROVINCES = ("tinhlangson", "tinhcaobang", "thanhphohue")
WARD_TYPES = {
    "xã": GrassrootsType.COMMUNE,
    "phường": GrassrootsType.WARD,
    "đặc khu": GrassrootsType.SPECIAL_ZONE,
}


def demo_provinces(small: bool) -> list[Province]:
    provinces = list(provinces_2025())
    if small:
        provinces = [p for p in provinces if p.key in SMALL_PROVINCES]
    return provinces


def build(ctx: DemoContext) -> None:
    found_national(ctx)
    plan = langson.plan_langson(rng=ctx.rng, small=ctx.small)
    ctx.data["plan"] = plan
    found_plan(ctx, plan)
    register_named(ctx.registry)
    history.replay(ctx, plan)
    ctx.registry = Registry.load()


def found_national(ctx: DemoContext) -> None:
    foundings: list[Founding] = []
    for province in demo_provinces(ctx.small):
        merged = len(old_provinces_of(province.key)) > 1
        founded = NEW_UNITS_ON if merged else OLD_FOUNDING.get(province.key, OLD_FOUNDING_DEFAULT)
        name = FORMER_NAMES.get(province.key, (province_party_name(province),))[0]
        parent = Founding(
            NewOrganization(
                code=province_code(province),
                name=name,
                kind=Kind.PROVINCE,
                admin_unit_code=province.official_code,
            ),
            on=founded,
            decision=ctx.decisions.tw(founded) if merged else Decision(),
        )
        foundings.append(parent)
        for ward in province.wards:
            foundings.append(
                Founding(
                    NewOrganization(
                        code=commune_code(province, ward),
                        name=party_name(ward.name),
                        kind=Kind.COMMUNE,
                        grassroots_type=WARD_TYPES[ward.division_type],
                        admin_unit_code=ward.official_code,
                    ),
                    on=NEW_UNITS_ON,
                    parent=parent,
                    decision=ctx.decisions.tu(NEW_UNITS_ON, issuer=province_code(province)),
                )
            )
    with ctx.bar(desc="Tỉnh và xã, phường (2025)", total=len(foundings)) as bar:
        organizations_found_bulk(foundings, progress=bar.update)
    ctx.write(
        f"  {sum(1 for f in foundings if f.parent is None)} đảng bộ tỉnh, thành phố và "
        f"{number(sum(1 for f in foundings if f.parent is not None))} đảng bộ xã, phường, đặc khu."
    )


def found_plan(ctx: DemoContext, plan: langson.Plan) -> None:
    province = Organization.objects.get(code=langson.PROVINCE_CODE)
    foundings: dict[int, Founding] = {}
    for node in plan.nodes:
        parent = foundings[id(node.parent)] if node.parent is not None else province
        foundings[id(node)] = Founding(
            NewOrganization(
                code=node.code,
                name=node.name,
                kind=node.kind,
                grassroots_type=node.grassroots_type,
                admin_unit_code=node.admin_unit_code,
            ),
            on=node.on,
            parent=parent,
            decision=_founding_decision(ctx, node),
        )
    with ctx.bar(desc="Lạng Sơn trước 1/7/2025", total=len(foundings)) as bar:
        organizations_found_bulk(list(foundings.values()), progress=bar.update)
    ctx.write(f"  Lạng Sơn trước sắp xếp: {number(len(foundings))} tổ chức.")


def _founding_decision(ctx: DemoContext, node: langson.Node) -> Decision:
    parent = node.parent
    if parent is None:  # districts and blocs: the provincial committee
        return ctx.decisions.tu(node.on, issuer=langson.PROVINCE_CODE, days_before=7)
    if node.kind in (Kind.CELL, Kind.SUB_COMMITTEE):  # by the grassroots committee
        return ctx.decisions.du(node.on, committee=parent.code, days_before=5)
    if parent.kind == Kind.DISTRICT:
        city = parent.name.startswith("Đảng bộ thị xã")
        return ctx.decisions.hu(node.on, district=parent.code, city=city, days_before=10)
    if parent.code.endswith(".KCQ"):
        return ctx.decisions.duk(node.on, days_before=10)
    return ctx.decisions.du(node.on, committee=parent.code, days_before=10)
