"""Two records of one person made one, through the timeline engine.

The kept record's acts and the other's are replayed together (`timeline.replay`): an act of
the same type on the same day is the same act, entered twice (kept once); both admissions
must be the same (a different admission date is corrected first, on the record's page); an
open transfer is finished first. Whatever the engine refuses — activity in two cells at
once, an act after an exit — refuses the merge, with the engine's reason. Accepted: the
other record's acts and everything that points at it (transfers, ratings, decisions…) move
to the kept record, the periods of activity are derived again, the personal fields take the
values chosen, the other record is deleted (django-simple-history keeps its history, and
the kept one's), and `tochuc.member.merged` is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from tochuc.core import audit
from tochuc.core.errors import ProcedureError
from tochuc.lib import paths
from tochuc.members.models import (
    ACTIVE_STATUSES,
    PERSONAL_FIELDS,
    Affiliation,
    Member,
    MemberEvent,
)
from tochuc.members.store import (
    OrgLookup,
    apply_derived,
    member_save,
    timeline_load,
    write_periods,
)
from tochuc.members.timeline import Refused, replay
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for
from tochuc.transfers.models import Transfer

from .models import OrgScore, Problem, Scan

T = MemberEvent.Type
# Admission facts kept on the record itself: taken from the other record where empty.
ADMISSION_FIELDS = ("admission_decision_no", "ceremony_on", "confirmed_on")
# What is rewritten here rather than moved.
OWN_RELATIONS = {MemberEvent, Affiliation}


def _refuse(reason: str) -> ProcedureError:
    return ProcedureError(_("Không gộp được hai hồ sơ: %(reason)s") % {"reason": reason})


def _move_references(gone: Member, kept: Member) -> None:
    """Everything that points at the other record now points at the kept one."""
    for relation in Member._meta.related_objects:
        model = relation.related_model
        if (
            model in OWN_RELATIONS
            or model.__module__.startswith("tochuc.quality")
            or not relation.one_to_many
            or model.__name__.startswith("Historical")
        ):
            continue
        field = relation.field.name
        try:
            with transaction.atomic():
                model._base_manager.filter(**{field: gone}).update(**{field: kept})
        except IntegrityError as error:
            raise _refuse(
                _("cả hai hồ sơ cùng có %(what)s cho cùng một việc; hãy hủy bản ghi thừa trước.")
                % {"what": model._meta.verbose_name}
            ) from error


def members_merge(*, keep: int, other: int, values: dict, reason: str, by=None) -> Member:
    """Merge member `other` into member `keep` (see the module). Call inside a transaction."""
    kept = Member.objects.select_for_update().get(pk=keep)
    gone = Member.objects.select_for_update().get(pk=other)
    if Transfer.objects.filter(member__in=[kept, gone], state=Transfer.State.ISSUED).exists():
        raise _refuse(_("một hồ sơ đang có giấy giới thiệu chuyển sinh hoạt chưa tiếp nhận."))
    if kept.admitted_on != gone.admitted_on:
        raise _refuse(
            _("ngày quyết định kết nạp khác nhau; hãy sửa ngày kết nạp của hồ sơ sai trước.")
        )
    orgs = OrgLookup()
    kept_events = timeline_load(kept, org=orgs).events
    seen = {(e.type, e.on) for e in kept_events}
    moved = [e for e in timeline_load(gone, org=orgs).events if (e.type, e.on) not in seen]
    try:
        timeline = replay(kept.full_name, [*kept_events, *moved], org=orgs, policies=policy_for)
    except Refused as refusal:
        raise _refuse(refusal.reason) from refusal
    for name in PERSONAL_FIELDS:
        if name in values:
            setattr(kept, name, values[name])
        elif not getattr(kept, name) and getattr(gone, name):
            setattr(kept, name, getattr(gone, name))
    for name in ADMISSION_FIELDS:
        if not getattr(kept, name) and getattr(gone, name):
            setattr(kept, name, getattr(gone, name))
    MemberEvent.objects.filter(pk__in=[e.pk for e in moved]).update(member=kept)
    _move_references(gone, kept)
    Affiliation.objects.filter(member__in=[kept, gone]).delete()
    for period in timeline.periods:
        period.pk, period.changed = None, False
    write_periods(kept, timeline.periods)
    gone_name, gone_pk = gone.full_name, gone.pk
    gone._change_reason = (_("Gộp vào hồ sơ số %(pk)s: %(reason)s") % {
        "pk": kept.pk, "reason": reason.strip()})[:255]  # fmt: skip
    gone.delete()
    apply_derived(kept, timeline)
    member_save(kept, _("Gộp hồ sơ trùng số %(pk)s: %(reason)s") % {
        "pk": gone_pk, "reason": reason.strip()})  # fmt: skip
    audit.record(
        "tochuc.member.merged", by=by, obj=kept, reason=reason.strip(), merged=gone_pk,
        merged_name=gone_name, acts_joined=len(moved),
        fields=sorted(values),
        province=audit.EVERY_PROVINCE,  # the record merged away may have been elsewhere
    )  # fmt: skip
    return kept


def refresh_scores(org_paths: Iterable[str]) -> None:
    """The latest score of every organization above these paths, counted again now (after a
    fix made here: the score rises at once, not at the next scan)."""
    prefixes = set()
    for path in org_paths:
        parts = [p for p in path.split("/") if p]
        prefixes.update("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    for org_pk, path in Organization.objects.filter(path__in=prefixes).values_list("pk", "path"):
        latest = (
            OrgScore.objects.filter(organization_id=org_pk, scan__state=Scan.State.DONE)
            .order_by("-scan_id")
            .first()
        )
        if latest is None:
            continue
        records = Member.objects.filter(
            paths.under("org_path", path), status__in=ACTIVE_STATUSES
        ).count()
        problems = Problem.objects.filter(paths.under("org_path", path))
        bad = problems.values("member_id").distinct().count()
        latest.records = records
        latest.clean = max(records - bad, 0)
        latest.by_kind = dict(
            problems.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
        )
        latest.save()
