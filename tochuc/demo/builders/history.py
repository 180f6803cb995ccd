"""What happened to Lạng Sơn's party organizations, replayed in order through the services.

- 17/10/2002: the town's committee becomes Đảng bộ thành phố Lạng Sơn (rename).
- 1/1/2020: the 2019 commune arrangement (Nghị quyết 818/NQ-UBTVQH14): Đô Lương into
  Vân Nham; Thiện Kỵ and Tân Lập form Thiện Tân; Bắc Ái dissolved between Đề Thám (main)
  and Kim Đồng (some of its village cells).
- 1/8/2021: two schools merged into primary-and-lower-secondary schools (renames).
- 2022: a cell founded in a private enterprise; 2023: an enterprise cell dissolved.
- 1/12/2024: the 2023–2025 arrangement (Vĩnh Tiến, Đại Đồng, Đồng Giáp, Tràng Các,
  Tĩnh Bắc, Sơn Hà).
- 1/1/2025: Đảng bộ tỉnh Thừa Thiên Huế becomes Đảng bộ thành phố Huế (other province).
- 1/2/2025: the bloc of agencies and enterprises is divided into Đảng bộ các cơ quan
  Đảng tỉnh and Đảng bộ Ủy ban nhân dân tỉnh (split).
- 1/3/2025: departments merged (Nông nghiệp và Môi trường, Tài chính, Xây dựng, Nội vụ,
  Khoa học và Công nghệ); district police committees go to Đảng bộ Công an tỉnh.
- 1/7/2025: every old commune committee merges into its new commune (the real
  conversion), their village cells becoming grassroots cells; district-level
  organizations move to the blocs or the new communes, or are dissolved; the 11
  district committees are dissolved.
- 15/7/2025 (and two weeks after each earlier merger): the commune's office, military
  and police cells of the merged communes are merged into one of each.

After each commune merger the cells of the same kind are merged too, two weeks later: a
same-day change is refused by the services (an organization cannot change twice in one
day), and it is how the committees did it.
"""

from __future__ import annotations

from datetime import date, timedelta

from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import (
    Decision,
    NewOrganization,
    kind_under,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
)

from . import catalog, catalog_local, langson
from .context import DemoContext
from .langson import CommuneMerger, Plan
from .naming import FORMER_NAMES, province_code, province_party_name
from .sources import conversion_2025, provinces_2025, unit_key

CELLS_MERGED_AFTER = timedelta(days=14)
SPLIT_ON = date(2025, 2, 1)
DEPARTMENTS_ON = date(2025, 3, 1)
REORGANIZED_ON = date(2025, 7, 1)
# 1/3/2025: sources → into (or a new department).
DEPARTMENT_MERGERS = (
    (("SKHDT",), "STC", None),
    (("STTTT",), "SKHCN", None),
    (("SGTVT",), "SXD", None),
    (("SLD",), "SNV", None),
    (("SNN", "STNMT"), None, ("SNNMT", "Đảng bộ Sở Nông nghiệp và Môi trường")),
)
NEW_CELL_2022 = ("DN2022", "Chi bộ Công ty TNHH Dịch vụ Logistics Xứ Lạng", date(2022, 3, 15))
DISSOLVED_2023 = ("DLN", date(2023, 9, 1))
SCHOOL_RENAMES_ON = date(2021, 8, 1)


def org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def live_children(parent: Organization) -> list[Organization]:
    return list(parent.children.filter(ended_on__isnull=True).order_by("code"))


class History:
    def __init__(self, ctx: DemoContext, plan: Plan) -> None:
        self.ctx = ctx
        self.plan = plan
        self.reg = ctx.registry
        self.d = ctx.decisions
        # Codes of the commune cells (office, military, police) by slug.
        self.commune_cells: dict[str, set[str]] = {
            s: set() for s, _, _ in catalog_local.COMMUNE_CELLS
        }
        for cells in plan.commune_cells.values():
            for slug, node in cells.items():
                self.commune_cells[slug].add(node.code)
        self.pending_cells: list[tuple[str, str, date, Decision]] = []

    # ------------------------------------------------------------ decisions
    def tu(self, on: date, **kw) -> Decision:
        return self.d.tu(on, issuer=langson.PROVINCE_CODE, **kw)

    def hu(self, district_key: str, on: date, **kw) -> Decision:
        node = self.plan.districts[district_key]
        return self.d.hu(on, district=node.code, city=district_key == langson.CITY, **kw)

    def exists(self, name: str) -> bool:
        return Organization.objects.filter(code=self.reg.code(name)).exists()

    # ------------------------------------------------------------ communes
    def merge_communes(
        self,
        *,
        sources: list[str],
        on: date,
        decision: Decision,
        into: str = "",
        new: NewOrganization | None = None,
        parent: str = "",
        part_to: dict[str, list[str]] | None = None,
        unit_name: str,
    ) -> Organization:
        """Merge commune committees; parts of divided ones go first to their other commune."""
        for source_code, targets in (part_to or {}).items():
            villages = [
                c for c in live_children(org(source_code)) if ".T" in c.code[len(source_code) :]
            ]
            share = villages[-max(1, len(villages) // 3) :] if len(villages) > 1 else []
            for index, cell in enumerate(share):
                target = org(targets[index % len(targets)])
                organization_move(
                    organization=cell,
                    parent=target,
                    on=on,
                    decision=Decision(
                        decision.number,
                        decision.date,
                        f"Điều chỉnh một phần địa giới về {target.name}.",
                    ),
                )
        result = organization_merge(
            sources=[org(c) for c in sources],
            on=on,
            decision=decision,
            into=org(into) if into else None,
            new=new,
            parent=org(parent) if parent else None,
        )
        self.pending_cells.append(
            (
                result.code,
                unit_name,
                on + CELLS_MERGED_AFTER,
                self.d.du(on + CELLS_MERGED_AFTER, committee=result.code, days_before=3),
            )
        )
        return result

    def merge_commune_cells(self) -> None:
        """The office, military and police cells of merged communes: one of each."""
        for code, unit_name, on, decision in self.pending_cells:
            commune = org(code)
            children = live_children(commune)
            for slug, template, type_ in catalog_local.COMMUNE_CELLS:
                cells = [c for c in children if c.code in self.commune_cells[slug]]
                own = next((c for c in cells if c.code == f"{code}.{slug}"), None)
                name = template.format(unit=unit_name)
                if own is not None and len(cells) > 1:
                    organization_merge(
                        sources=[c for c in cells if c is not own],
                        into=own,
                        on=on,
                        decision=decision,
                    )
                elif len(cells) > 1:
                    new = organization_merge(
                        sources=cells,
                        on=on,
                        decision=decision,
                        parent=commune,
                        new=NewOrganization(
                            code=f"{code}.{slug}",
                            name=name,
                            kind=kind_under(kind=Kind.CELL, parent=commune),
                            grassroots_type=type_,
                        ),
                    )
                    self.commune_cells[slug].add(new.code)
                elif len(cells) == 1 and cells[0].name != name:
                    organization_rename(organization=cells[0], name=name, on=on, decision=decision)
        self.pending_cells = []

    def old_mergers(self, mergers: tuple[CommuneMerger, ...], on: date, bar) -> None:
        for merger in mergers:
            if merger.district not in self.plan.districts:
                continue
            district = self.plan.districts[merger.district]
            receiver_key = langson.full_key(merger.district, merger.receiver)
            receiver = self.plan.legacy[receiver_key]
            sources = [
                self.plan.communes[langson.full_key(merger.district, unit_key(f"Xã {s}"))].code
                for s in merger.sources
            ]
            part_to = None
            if merger.part_to:
                target = langson.full_key(merger.district, merger.part_to)
                part_to = {sources[0]: [self.plan.communes[target].code]}
            new = None
            if merger.new:
                new = NewOrganization(
                    code=langson.old_commune_code(receiver),
                    name=langson.committee_name(receiver.type, receiver.short_name),
                    kind=Kind.BASE_COMMITTEE,
                    grassroots_type=langson.COMMUNE_TYPES[receiver.type],
                    admin_unit_code=receiver.code,
                )
            self.merge_communes(
                sources=sources,
                on=on,
                decision=self.hu(merger.district, on, days_before=10),
                into=self.plan.communes[receiver_key].code if merger.into else "",
                new=new,
                parent=district.code if new else "",
                part_to=part_to,
                unit_name=f"{langson.lower_type(receiver.type)} {receiver.short_name}",
            )
            bar.update(1)
        self.merge_commune_cells()

    # ------------------------------------------------------------ eras
    def before_2025(self, bar) -> None:
        city = self.plan.districts.get(langson.CITY)
        if city is not None:
            organization_rename(
                organization=org(city.code),
                name="Đảng bộ thành phố Lạng Sơn",
                on=langson.CITY_FROM,
                decision=self.tu(langson.CITY_FROM, days_before=3),
            )
        self.old_mergers(langson.MERGERS_2020, langson.MERGERS_2020_ON, bar)

        # Two commune schools became primary-and-lower-secondary schools.
        schools = [s for s in self.plan.schools if "Trường Tiểu học " in s.name]
        for school in self.ctx.rng.sample(schools, min(2, len(schools))):
            district_key = next(k for k, d in self.plan.districts.items() if d is school.parent)
            organization_rename(
                organization=org(school.code),
                name=school.name.replace("Trường Tiểu học", "Trường Tiểu học và Trung học cơ sở"),
                on=SCHOOL_RENAMES_ON,
                decision=self.hu(district_key, SCHOOL_RENAMES_ON, days_before=20),
            )

        slug, name, founded = NEW_CELL_2022
        organization_found(
            spec=NewOrganization(
                code=self.reg.code(f"khoi.{slug}"),
                name=name,
                kind=Kind.BASE_CELL,
                grassroots_type=catalog.G.PRIVATE_ENTERPRISE,
            ),
            parent=self.reg.get("khoi"),
            on=founded,
            decision=self.d.duk(founded, days_before=6),
        )
        slug, dissolved = DISSOLVED_2023
        if self.exists(f"khoi.{slug}"):
            organization_dissolve(
                organization=self.reg.get(f"khoi.{slug}"),
                on=dissolved,
                decision=self.d.duk(
                    dissolved,
                    days_before=4,
                    note="Doanh nghiệp giải thể, đảng viên chuyển sinh hoạt.",
                ),
            )
        self.old_mergers(langson.MERGERS_2024, langson.MERGERS_2024_ON, bar)

    def other_provinces(self) -> None:
        for province in provinces_2025():
            if province.key not in FORMER_NAMES:
                continue
            found = Organization.objects.filter(code=province_code(province)).first()
            if found is None:
                continue
            on = FORMER_NAMES[province.key][1]
            organization_rename(
                organization=found,
                name=province_party_name(province),
                on=on,
                decision=self.d.tw(on, days_before=20),
            )

    def first_half_2025(self) -> None:
        khoi = self.reg.get("khoi")
        parts: dict[str, list[Organization]] = {"CQD": [], "UBND": []}
        dest = {f"{khoi.code}.{u.slug}": u.dest for u in catalog.KHOI_UNITS}
        for child in live_children(khoi):
            parts[dest.get(child.code, "UBND")].append(child)
        organization_split(
            source=khoi,
            on=SPLIT_ON,
            decision=self.tu(SPLIT_ON, days_before=2),
            parts=[
                NewOrganization(
                    code=self.reg.code("bloc.CQD"),
                    name="Đảng bộ các cơ quan Đảng tỉnh",
                    kind=Kind.BLOC,
                    children=parts["CQD"],
                ),
                NewOrganization(
                    code=self.reg.code("bloc.UBND"),
                    name="Đảng bộ Ủy ban nhân dân tỉnh",
                    kind=Kind.BLOC,
                    children=parts["UBND"],
                ),
            ],
        )

        decision = self.tu(DEPARTMENTS_ON, days_before=3)
        for sources, into, new in DEPARTMENT_MERGERS:
            names = [f"khoi.{s}" for s in sources]
            if not all(self.exists(n) for n in names) or (into and not self.exists(f"khoi.{into}")):
                continue
            spec = None
            if new:
                spec = NewOrganization(
                    code=self.reg.code(f"khoi.{new[0]}"),
                    name=new[1],
                    kind=Kind.BASE_COMMITTEE,
                    grassroots_type=catalog.G.ADMINISTRATIVE,
                )
            organization_merge(
                sources=[self.reg.get(n) for n in names],
                on=DEPARTMENTS_ON,
                decision=decision,
                into=self.reg.get(f"khoi.{into}") if into else None,
                new=spec,
                parent=self.reg.get("bloc.UBND") if new else None,
            )
        police = self.reg.get("bloc.CA")
        decision = self.tu(DEPARTMENTS_ON, days_before=3)
        for node in self.plan.district_units:
            if node.dest == "bloc:CA":
                organization_move(
                    organization=org(node.code),
                    parent=police,
                    on=DEPARTMENTS_ON,
                    decision=decision,
                )

    def reorganization(self, bar) -> None:
        on = REORGANIZED_ON
        conversion = conversion_2025(langson.PROVINCE_KEY)
        lang_son = next(p for p in provinces_2025() if p.key == langson.PROVINCE_KEY)
        new_names = {w.key: w.name for w in lang_son.wards}
        new_sources: dict[str, list[str]] = {key: [] for key in new_names}
        part_to: dict[str, dict[str, list[str]]] = {key: {} for key in new_names}
        present = {node.code for node in self.plan.communes.values()} | {
            self.reg.code(f"old.{k}") for k in self._formed_later()
        }
        for full_key, target in sorted(conversion.items()):
            code = self.reg.code(f"old.{full_key}")
            if code not in present:
                continue
            new_sources[target.main].append(code)
            others = [k for k in target.others if not self._same_name_elsewhere(full_key, k)]
            if others:
                part_to[target.main][code] = [self.reg.code(f"new.{k}") for k in others]

        for key in sorted(new_sources, key=lambda k: self.reg.code(f"new.{k}")):
            if not new_sources[key]:
                continue
            self.merge_communes(
                sources=new_sources[key],
                on=on,
                into=self.reg.code(f"new.{key}"),
                decision=self.tu(on),
                part_to=part_to[key],
                unit_name=new_names[key][0].lower() + new_names[key][1:],
            )
            bar.update(1)

        blocs = {
            "bloc:QS": self.reg.get("bloc.QS"),
            "bloc:UBND": self.reg.get("bloc.UBND"),
        }
        for node in self.plan.district_units:
            unit = org(node.code)
            if unit.ended_on is not None or node.dest == "bloc:CA":
                continue
            decision = self.tu(on)
            if node.dest == "dissolve":
                for child in live_children(unit):
                    organization_dissolve(organization=child, on=on, decision=decision)
                organization_dissolve(organization=unit, on=on, decision=decision)
            elif node.dest in blocs:
                organization_move(
                    organization=unit, parent=blocs[node.dest], on=on, decision=decision
                )
            elif node.dest.startswith("under:"):
                name = f"khoi.{node.dest[len('under:') :]}"
                target = self.reg.get(name) if self.exists(name) else blocs["bloc:UBND"]
                organization_move(organization=unit, parent=target, on=on, decision=decision)
            else:  # "seat" or "commune": the new commune of the old commune it stands in
                target = self.reg.get(f"new.{conversion[node.where].main}")
                organization_move(organization=unit, parent=target, on=on, decision=decision)
            bar.update(1)

        for district in self.plan.districts.values():
            organization_dissolve(
                organization=org(district.code),
                on=on,
                decision=self.tu(on, note="Kết thúc hoạt động của đảng bộ cấp huyện."),
            )
            bar.update(1)
        self.merge_commune_cells()

    def _formed_later(self) -> list[str]:
        return [
            langson.full_key(m.district, m.new)
            for m in langson.MERGERS_2020
            if m.new and m.district in self.plan.districts
        ]

    @staticmethod
    def _same_name_elsewhere(full_key: str, new_key: str) -> bool:
        """A divided-commune entry that is really a same-named commune of another district.

        The converter lists Xã Hồng Phong (Bình Gia) as partly going to Xã Đồng Đăng, which
        received Xã Hồng Phong of Cao Lộc: such a part is left out.
        """
        _, district, key = full_key.split("_")
        sources = [
            old
            for old, target in conversion_2025(langson.PROVINCE_KEY).items()
            if target.main == new_key
        ]
        return any(s.split("_")[2] == key and s.split("_")[1] != district for s in sources)


def replay(ctx: DemoContext, plan: Plan) -> None:
    history = History(ctx, plan)
    receivers = {
        conversion_2025(langson.PROVINCE_KEY)[k].main
        for k in plan.communes
        if k in conversion_2025(langson.PROVINCE_KEY)
    }
    steps = (
        len(langson.MERGERS_2020)
        + len(langson.MERGERS_2024)
        + len(receivers)
        + len(plan.district_units)
        + len(plan.districts)
    )
    with ctx.bar(desc="Lịch sử đến nay", total=steps) as bar:
        history.before_2025(bar)
        history.other_provinces()
        history.first_half_2025()
        history.reorganization(bar)
    ctx.write("  Lịch sử: sáp nhập xã 2020, 2024; chia Khối 2/2025; sắp xếp 1/7/2025.")
