"""The Content-Security-Policy allows scripts only from the app's static files: no template
may hold an inline <script> or an on…= event handler (behaviour goes in
tochuc/static/tochuc/app.js, wired by data- attributes)."""

import re
from pathlib import Path

import tochuc

ROOT = Path(tochuc.__file__).parent
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
HTMX_EVAL = re.compile(r"""\shx-on[:-]|\shx-vals\s*=\s*["']\s*js:""", re.IGNORECASE)


def templates():
    return sorted(p for p in ROOT.rglob("templates/**/*.html"))


def offences(text: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on…= handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
        ("htmx eval", HTMX_EVAL),
    ):
        found += [f"{name}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    return found


def test_the_checker_catches_each_kind_of_inline_script():
    assert offences('<script>alert(1)</script><script src="/static/x.js"></script>') == [
        "inline <script>: <script>"
    ]
    assert offences('<button class="b" onclick="go()">') == [
        'on…= handler: <button class="b" onclick='
    ]
    assert offences('<a href="javascript:void(0)">') == ['javascript: URL: href="javascript:']
    assert offences('<div hx-on:click="x()">') == ["htmx eval:  hx-on:"]
    assert offences('<input data-autosubmit name="online" value="one">') == []


def test_no_template_has_an_inline_script_or_event_handler():
    assert len(templates()) > 20
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates()
        if (problems := offences(path.read_text(encoding="utf-8")))
    }
    assert found == {}
