"""The API's URL patterns, open past the login requirement: a request authenticates with its
bearer token (tochuc.api.auth), not a session; the schema and the documentation page are
public (they describe the interface, no data)."""

from django.urls import URLPattern, URLResolver

from .api import api


def urls():
    patterns, app_name, namespace = api.urls
    _open(patterns)
    return patterns, app_name, namespace


def _open(patterns) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _open(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False
