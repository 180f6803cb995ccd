"""The staff's main navigation links (base.html), written once per language.

Fourteen links, each a `{% url %}` and a `{% translate %}`, rendered for every page by the
template engine were about a tenth of a search page's time; they depend only on the URL
configuration and the language. Tests compare the tag's HTML with the template's.
"""

from functools import lru_cache
from html import escape

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_noop as _noop

register = template.Library()

# (URL name, label) in the order of the bar.
MAIN_LINKS = (
    ("home", _noop("Trang chính")),
    ("organizations:search", _noop("Tổ chức đảng")),
    ("members:list", _noop("Đảng viên")),
    ("admissions:due", _noop("Kết nạp")),
    ("ratings:index", _noop("Xếp loại")),
    ("inspections:index", _noop("Kiểm tra")),
    ("committees:index", _noop("Cấp ủy")),
    ("reports:index", _noop("Báo cáo")),
    ("dues:index", _noop("Đảng phí")),
    ("documents:index", _noop("Văn bản")),
    ("programmes:index", _noop("Chương trình")),
    ("meetings:index", _noop("Sinh hoạt")),
    ("quality:index", _noop("Chất lượng dữ liệu")),
    ("awards:index", _noop("Khen thưởng")),
)


@register.simple_tag
def main_links() -> SafeString:
    return _main_links(get_language(), get_script_prefix())


@lru_cache(maxsize=32)
def _main_links(language: str | None, prefix: str) -> SafeString:
    """`language` and `prefix` (the script prefix `reverse` reads) are the cache's key."""
    return SafeString(
        "\n".join(
            f'        <li class="nav-item"><a class="nav-link text-nowrap" '
            f'href="{escape(reverse(name))}">{escape(gettext(label))}</a></li>'
            for name, label in MAIN_LINKS
        )
    )
