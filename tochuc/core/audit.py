"""The audit log: every write, export and bulk read of personal data leaves an entry.

The request's address is carried in a context variable set by `AuditContextMiddleware`,
so services record it without being handed the request.
"""

import contextvars
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from tochuc.core.models import AuditEntry

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    import json

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
        data=_jsonable(data),
        ip=_client_ip.get(),
    )


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
