"""What the accounts app asks of higher apps, as plain functions they append in `ready()`.

- `home_pages`: `f(request) -> str | None`, the page a signed-in user without any grant goes
  to instead of the staff dashboard (selfservice: a member's own page), or None.
"""

from collections.abc import Callable

home_pages: list[Callable] = []


def home_page_for(request) -> str | None:
    for follower in home_pages:
        url = follower(request)
        if url:
            return url
    return None
