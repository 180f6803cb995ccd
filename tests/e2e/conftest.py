"""End-to-end fixtures: Debian's chromium driven by Playwright's sync API.

Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM
calls from a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is
set here while the browser runs (end-to-end tests only); the browser starts after and
stops before the test database and the live server.
"""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(django_db_setup, live_server):
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: run `make e2e-browser` (apt-get install chromium).")
    with sync_playwright() as playwright, pytest.MonkeyPatch.context() as env:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # while Playwright's loop runs
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    """A fresh browser profile that records every request it makes."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.requested = []
    context.broken_assets = []

    def on_response(response):
        if response.status >= 400 and "/static/" in response.url:
            context.broken_assets.append(response.url)

    context.on("request", lambda request: context.requested.append(request.url))
    context.on("response", on_response)
    yield context
    context.close()
    # Offline networks: nothing may leave for another host (no CDN, no fonts, no calls home).
    elsewhere = [url for url in context.requested if not url.startswith(live_server.url + "/")]
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert context.requested, "the browser made no request at all"
    assert not context.broken_assets, f"static files not served: {context.broken_assets}"
