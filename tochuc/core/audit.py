"""The audit log: every write, export and bulk read of personal data leaves an entry.

The request's address is carried in a context variable set by `AuditContextMiddleware`,
so services record it without being handed the request.
"""

import contextlib
import contextvars
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models
from django.utils import timezone

from tochuc.core.models import AuditEntry
from tochuc.lib.rows import Table

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip() -> str | None:
    """The address of the request being served (None outside a request)."""
    return _client_ip.get()


@contextlib.contextmanager
def acting_from(address: str | None) -> Iterator[None]:
    """Record entries made in the block with `address`: a background job audits its work
    with the address of the request that started it."""
    token = _client_ip.set(address)
    try:
        yield
    finally:
        _client_ip.reset(token)


def jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """`data` as the audit log stores it (dates, decimals and the like as JSON text)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


class _FromObject:
    def __repr__(self) -> str:
        return "FROM_OBJECT"


FROM_OBJECT: Any = _FromObject()  # `record`'s default province: the object's, when it tells
EVERY_PROVINCE = None  # a change that may touch more than one province's data (or none)
_HOLDERS = ("organization", "member")  # a loaded one tells the object's province


def province_of(obj: models.Model | None) -> int | None:
    """The province whose data a change of `obj` touches, read without a query: the object's
    own `province_id` (members, organizations, candidates…), or that of its `organization` or
    `member` when already loaded (a meeting, a dues sheet, a badge case…); None otherwise."""
    if obj is None:
        return None
    if any(f.attname == "province_id" for f in obj._meta.concrete_fields):
        return obj.province_id
    for name in _HOLDERS:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.is_relation and field.many_to_one and field.is_cached(obj):
            holder = field.get_cached_value(obj)
            return getattr(holder, "province_id", None) if holder is not None else None
    return None


def shared_province(*places: models.Model | int | None) -> int | None:
    """The one province of all `places` (objects, read as `province_of` reads them, or
    province ids), or EVERY_PROVINCE when they are not all in the same one: the `province`
    of a change that reaches more than one place (a transfer, a move, a merger)."""
    provinces = {p if p is None or isinstance(p, int) else province_of(p) for p in places}
    return provinces.pop() if len(provinces) == 1 else EVERY_PROVINCE


def record(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    reason: str = "",
    province: int | None = FROM_OBJECT,
    **data: Any,
) -> AuditEntry:
    """Write one entry. `province`: the one province whose data alone the change touched;
    by default the object's (`province_of`). A service whose change may reach another
    province's data (a transfer between two provinces, an organization moved or merged, two
    records merged) says `province=EVERY_PROVINCE`: the home pages of every province are
    then computed again (`last_write_id`)."""
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        reason=reason[:255],
        data=jsonable(data),
        ip=_client_ip.get(),
        province_id=province_of(obj) if province is FROM_OBJECT else province,
    )


def record_many(
    action: str,
    entries: Iterable[tuple[models.Model | None, str, dict[str, Any]]],
    *,
    by=None,
    province: int | None = FROM_OBJECT,
    batch_size: int = 2000,
) -> int:
    """One entry per `(object, reason, data)`, exactly as `record(action, by=by, obj=object,
    reason=reason, province=province, **data)` writes it, with plain multi-row inserts
    (`lib.rows.Table`): the audit of every bulk path (imports, demo data). Returns the number
    of entries written."""
    user = by if getattr(by, "is_authenticated", False) else None
    table = Table(
        AuditEntry,
        with_pk=False,
        now=timezone.now(),
        constants={
            "user_id": user.pk if user else None,
            "username": user.get_username() if user else "",
            "action": action,
            "ip": _client_ip.get(),
        },
        ready=("data",),
    )
    batch: list[dict[str, Any]] = []
    count = 0
    for obj, reason, data in entries:
        batch.append({
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "object_repr": str(obj)[:255] if obj is not None else "",
            "reason": (reason or "")[:255],
            "data": json.dumps(data, cls=DjangoJSONEncoder, default=str),
            "province_id": province_of(obj) if province is FROM_OBJECT else province,
        })  # fmt: skip
        if len(batch) == batch_size:
            table.insert(batch)
            count, batch = count + len(batch), []
    table.insert(batch)
    return count + len(batch)


# Entries that change no data: sign-ins, denials, backups, and reads (exports, printed
# documents, views of personal data, downloads of attached files).
NOT_WRITES = ("tochuc.auth.", "tochuc.access.", "tochuc.system.backup", "tochuc.job.")
READ_SUFFIXES = ("exported", "printed", "viewed", "checked", "downloaded", "downloaded_by_member")


def _writes():
    writes = AuditEntry.objects.all()
    for prefix in NOT_WRITES:
        writes = writes.exclude(action__startswith=prefix)
    for suffix in READ_SUFFIXES:
        writes = writes.exclude(action__endswith=suffix)
    return writes


def last_write_id(province: int | None = None) -> int:
    """The id of the latest entry that records a change of data (0 before any): what was
    computed from the data since that entry is still right. With `province`, only the
    changes that may touch that province's data: its own and those of no one province
    (`record`), in one query of two index look-ups."""
    if province is None:
        return _writes().order_by("-id").values_list("id", flat=True).first() or 0
    own, any_province = (
        _writes().filter(province_id=value).order_by("-id").values("id")[:1].query
        for value in (province, None)
    )
    own_sql, own_params = own.sql_with_params()
    any_sql, any_params = any_province.sql_with_params()
    with connections[AuditEntry.objects.db].cursor() as cursor:
        cursor.execute(
            f"SELECT MAX(id) FROM (SELECT id FROM ({own_sql}) o UNION ALL "
            f"SELECT id FROM ({any_sql}) a) latest",
            (*own_params, *any_params),
        )
        return cursor.fetchone()[0] or 0


# Denials: at most this many entries per user and minute, then one saying that more
# were left out (a scanner must not flood the log, nor hide in it).
DENIALS_PER_MINUTE = 20


class AuditContextMiddleware:
    """Carry the client's address to `record`; record each access denial of a signed-in
    user (a 403 or a 404 raised by the gate), once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        token = _client_ip.set(request.META.get(settings.TOCHUC_CLIENT_IP_HEADER) or None)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if not isinstance(exception, PermissionDenied | Http404):
            return None
        user = getattr(request, "user", None)
        if not getattr(user, "is_authenticated", False):
            return None
        status = 403 if isinstance(exception, PermissionDenied) else 404
        _record_denial(user, request.method, request.get_full_path()[:500], status)
        return None


def _record_denial(user, method: str, path: str, status: int) -> None:
    import time

    from django.core.cache import cache

    key = f"tochuc:audit:denied:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted meanwhile
        cache.set(key, 1, timeout=120)
        count = 1
    if count <= DENIALS_PER_MINUTE:
        record("tochuc.access.denied", by=user, method=method, path=path, status=status)
    elif count == DENIALS_PER_MINUTE + 1:
        record("tochuc.access.denied_throttled", by=user, method=method, path=path,
               status=status, limit=DENIALS_PER_MINUTE)  # fmt: skip
