"""Fixtures of the browser tests (marker ``browser``): Debian's headless Chromium, logged in to the
test server as its admin, and the gallery of screenshots a lead opens to see what annotators see.

The browser is required, never skipped, under CI or ``make test`` (``NISBA_REQUIRE_BROWSER=1``):
a machine without /usr/bin/chromium fails, saying how to install it. A bare ``pytest`` elsewhere
skips with the same words.

Screenshots go to ``$NISBA_BROWSER_REPORT`` (default ``artifacts/report/browser``), numbered in
the order they were taken, with ``index.html`` showing them in that order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def require_browser() -> None:
    from annotation.labelstudio.ui_check import browser_available

    reason = browser_available()
    if reason is None:
        return
    how = f"{reason} (or `make ui-deps` as root; `make test` does it)"
    if os.environ.get("CI") or os.environ.get("NISBA_REQUIRE_BROWSER"):
        pytest.fail(f"the browser tests need Debian's chromium: {how}", pytrace=False)
    pytest.skip(f"no browser: {how}")


def admin_credentials(tmp_path_factory) -> tuple[str, str]:
    """The admin login of the test server: NISBA_TEST_LS_USERNAME/PASSWORD for a reused server,
    else the credentials file annotation.labelstudio.server wrote into the fixture's data dir, else .env."""
    from annotation.labelstudio.ui_check import env_value

    if os.environ.get("NISBA_TEST_LS_URL"):
        user, password = os.environ.get("NISBA_TEST_LS_USERNAME"), os.environ.get("NISBA_TEST_LS_PASSWORD")
        if user and password:
            return user, password
    from annotation.labelstudio.server import CREDENTIALS_FILE

    for path in Path(tmp_path_factory.getbasetemp()).glob(f"labelstudio*/data/{CREDENTIALS_FILE}"):
        creds = json.loads(path.read_text(encoding="utf-8"))
        return creds["username"], creds["password"]
    user, password = env_value("LABEL_STUDIO_USERNAME"), env_value("LABEL_STUDIO_PASSWORD")
    if not (user and password):
        pytest.fail("no admin login for the test server (set NISBA_TEST_LS_USERNAME/PASSWORD)", pytrace=False)
    return user, password


@pytest.fixture(scope="session")
def browser_gallery():
    """Screenshots of every browser test, in order, and their index.html (written after each test)."""
    from annotation.labelstudio.browser import Gallery

    folder = Path(os.environ.get("NISBA_BROWSER_REPORT") or REPO / "artifacts" / "report" / "browser")
    if folder.exists():
        for old in list(folder.glob("*.png")) + [folder / "index.html"]:
            old.unlink(missing_ok=True)
    gallery = Gallery(folder)
    yield gallery
    gallery.write()


@pytest.fixture(scope="module")
def labeling_browser(ls_server, tmp_path_factory):
    """One logged-in headless Chromium for a test module."""
    require_browser()
    from annotation.labelstudio.browser import LabelingBrowser

    user, password = admin_credentials(tmp_path_factory)
    with LabelingBrowser(ls_server.url, user, password, timeout=120) as browser:
        yield browser
