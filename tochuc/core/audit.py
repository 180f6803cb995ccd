"""The audit log: every write, export and bulk read of personal data leaves an entry.

The request's address is carried in a context variable set by `AuditContextMiddleware`,
so services record it without being handed the request.
"""

import contextlib
import contextvars
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
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


def record(
    action: str,
    *,
    by=None,
    obj: models.Model | None = None,
    reason: str = "",
    **data: Any,
) -> AuditEntry:
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
    )


def record_many(
    action: str,
    entries: Iterable[tuple[models.Model | None, str, dict[str, Any]]],
    *,
    by=None,
    batch_size: int = 2000,
) -> int:
    """One entry per `(object, reason, data)`, exactly as `record(action, by=by, obj=object,
    reason=reason, **data)` writes it, with plain multi-row inserts (`lib.rows.Table`): the audit
    of every bulk path (imports, demo data). Returns the number of entries written."""
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
        })  # fmt: skip
        if len(batch) == batch_size:
            table.insert(batch)
            count, batch = count + len(batch), []
    table.insert(batch)
    return count + len(batch)


# Entries that change no data: sign-ins, denials, backups, and reads (exports, printed
# documents, views of personal data).
NOT_WRITES = ("tochuc.auth.", "tochuc.access.", "tochuc.system.backup", "tochuc.job.")
READ_SUFFIXES = ("exported", "printed", "viewed", "checked")


def last_write_id() -> int:
    """The id of the latest entry that records a change of data (0 before any): what was
    computed from the data since that entry is still right."""
    writes = AuditEntry.objects.all()
    for prefix in NOT_WRITES:
        writes = writes.exclude(action__startswith=prefix)
    for suffix in READ_SUFFIXES:
        writes = writes.exclude(action__endswith=suffix)
    return writes.order_by("-id").values_list("id", flat=True).first() or 0


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
