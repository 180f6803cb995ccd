"""Search queries: one parser and one cap for every search box.

Each typed word becomes one condition on the folded name, so the number of words (and the
length of the text) is what a query costs the database. A hostile or careless query of
thousands of words once tied a worker up for minutes; every search goes through `parse`
(views: the message is shown beside the box and nothing is listed) and `name_condition`
(selectors: refuses an uncapped query outright, a second line behind the views).
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _

from .vntext import fold, search_terms

MAX_CHARS = 120  # a full name with its citizen ID, an organization's name with its commune
MAX_WORDS = 12  # the longest organization names run to about ten words


class QueryTooLong(ValueError):
    """A search query over the caps; `message` is for the user, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal(text: str) -> str:
    """The Vietnamese message for a query over a cap, or "" when it is within both."""
    if len(text) > MAX_CHARS:
        return _("Từ khóa quá dài (tối đa %(n)d ký tự).") % {"n": MAX_CHARS}
    if len(text.split(maxsplit=MAX_WORDS)) > MAX_WORDS:
        return _("Từ khóa có quá nhiều từ (tối đa %(n)d từ).") % {"n": MAX_WORDS}
    return ""


def words(text: str | None) -> list[str]:
    """The folded words of a query; QueryTooLong when it is over a cap."""
    text = (text or "").strip()
    message = refusal(text)
    if message:
        raise QueryTooLong(message)
    return fold(text).split()


def name_condition(text: str | None, field: str = "name_folded", *, synonyms: bool = False) -> Q:
    """Every typed word starts a word of the folded name (`Q()` for an empty query); with
    `synonyms`, a word may be any of its usual synonyms (lib.vntext.search_terms:
    "đảng ủy" finds "Đảng bộ", "p." finds "phường")."""
    typed = words(text)  # QueryTooLong over the caps, before any condition is built
    terms = search_terms(text) if synonyms else [(word,) for word in typed]
    condition = Q()
    for alternatives in terms:
        term = Q()
        for phrase in alternatives:
            term |= Q(**{f"{field}__startswith": phrase}) | Q(
                **{f"{field}__contains": f" {phrase}"}
            )
        condition &= term
    return condition


@dataclass(frozen=True)
class Query:
    """What a user typed, stripped; `error` says why it is refused ("" when it is not).
    A refused query searches for nothing: `text` is then empty and `typed` keeps it."""

    typed: str
    error: str

    @property
    def text(self) -> str:
        return "" if self.error else self.typed

    @property
    def shown(self) -> str:
        """What the box shows again (a refused query cut to the cap, not kilobytes back)."""
        return self.typed[:MAX_CHARS]


def parse(raw: str | None) -> Query:
    typed = (raw or "").strip()
    return Query(typed=typed, error=refusal(typed))


def from_request(request, name: str = "q") -> Query:
    return parse(request.GET.get(name, ""))


class SearchField(forms.CharField):
    """A search box in a form: stripped, refused over the caps with the same message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        message = refusal(value or "")
        if message:
            raise forms.ValidationError(message, code="too_long")
