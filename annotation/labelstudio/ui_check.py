"""A real-browser check of a pre-annotated task: headless Chromium logs in to Label Studio,
opens the task, checks that the Arabic text runs right to left and that the predicted regions
are drawn, and saves a screenshot.

Uses Debian's ``chromium`` and ``chromium-driver`` packages (``/usr/bin/chromium``,
``/usr/bin/chromedriver``) through selenium, with the driver given explicitly and
``SE_OFFLINE=1`` so selenium never fetches a browser or driver of its own. Install them with
``apt-get install -y chromium chromium-driver``.

Credentials: ``LABEL_STUDIO_USERNAME`` / ``LABEL_STUDIO_PASSWORD`` from the environment, then
from ``.env`` (where ``nisba server start`` keeps them).

Not handled here: other browsers, Label Studio Enterprise login (SSO).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from annotation.errors import NisbaError
from annotation.labelstudio.settings import read_env_file

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROME_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=en-US",
]

# The Arabic text element of the labeling view: the nearest ancestor of a drawn region that
# holds the start of the task text (the Data Manager's table also shows the text, left to
# right, so the text alone is not enough), and the direction the browser computed for it.
JS_TEXT_DIRECTION = """
const needle = arguments[0];
let el = document.querySelector('.htx-highlight');
if (!el) {
  const cands = Array.from(document.querySelectorAll('[class*=richtext], [class*=RichText]'));
  el = cands.find(c => (c.textContent || '').includes(needle)) || null;
}
while (el && !(el.textContent || '').includes(needle)) el = el.parentElement;
if (!el) return null;
return {direction: getComputedStyle(el).direction, tag: el.tagName,
        cls: String(el.className || '').slice(0, 80)};
"""
JS_REGIONS = """
return Array.from(document.querySelectorAll('.htx-highlight'))
  .map(e => e.textContent).filter(t => t && t.trim().length > 0);
"""


def env_value(name: str, env_file: str | Path = ".env") -> str | None:
    """A setting from the environment, then from a KEY=VALUE .env file."""
    if os.environ.get(name):
        return os.environ[name]
    return read_env_file(env_file).get(name)


def browser_available() -> str | None:
    """None when the Debian browser and driver are installed; else why not."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        return f"{' and '.join(missing)} missing: apt-get install -y chromium chromium-driver"
    return None


def _driver(profile_dir: str):
    os.environ.setdefault("SE_OFFLINE", "true")   # selenium manager must not download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS + [f"--user-data-dir={profile_dir}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _wait(driver, timeout: float, check, what: str):
    """selenium's WebDriverWait: ``check(driver)`` every half second until it gives something
    truthy; a WebDriverException meanwhile means the page is still loading."""
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.5, ignored_exceptions=(WebDriverException,)).until(check)
    except TimeoutException:
        raise NisbaError(f"timed out after {timeout:.0f} s waiting for {what} (page {driver.current_url})") from None


def check_task_in_browser(url: str, username: str, password: str, project_id: int, task_id: int, text: str,
                          predicted_texts: list[str], screenshot: Path, timeout: float = 60.0) -> dict:
    """Log in, open the task, and measure what the annotator sees. Returns the findings."""
    from selenium.webdriver.common.by import By

    reason = browser_available()
    if reason:
        raise NisbaError(reason)
    base = url.rstrip("/")
    needle = text.strip()[:12]
    with tempfile.TemporaryDirectory(prefix="nisba-chromium-") as profile:
        driver = _driver(profile)
        try:
            driver.get(f"{base}/user/login/")
            email = _wait(driver, timeout, lambda d: d.find_element(By.NAME, "email"), f"the login form at {base}/user/login/")
            email.send_keys(username)
            driver.find_element(By.NAME, "password").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
            _wait(driver, timeout, lambda d: "/user/login" not in d.current_url, "the login to finish "
                  "(wrong LABEL_STUDIO_USERNAME/PASSWORD?)")
            task_url = f"{base}/projects/{project_id}/data?task={task_id}"
            driver.get(task_url)
            found = _wait(driver, timeout, lambda d: d.execute_script(JS_TEXT_DIRECTION, needle),
                          f"task {task_id}'s text in the labeling view")
            drawn = _wait(driver, timeout, lambda d: d.execute_script(JS_REGIONS) if predicted_texts else ["-"],
                          f"the predicted regions of task {task_id}")
            time.sleep(1.0)   # let relation arrows settle before the picture
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(screenshot))
        finally:
            driver.quit()
    drawn = [t for t in drawn if t != "-"]
    missing = [t for t in predicted_texts if not any(t in d or d in t for d in drawn)]
    return {
        "task": task_id, "url": task_url, "direction": found["direction"],
        "text_element": f"{found['tag']}.{found['cls']}",
        "regions_expected": len(predicted_texts), "regions_drawn": len(drawn),
        "regions_missing": missing[:10], "screenshot": str(screenshot),
        "ok": found["direction"] == "rtl" and not missing and len(drawn) >= len(predicted_texts) > 0,
    }


def ui_check(project: str, task_id: int | None, screenshot: Path, *, timeout: float = 60.0,
             client=None, url: str | None = None, username: str | None = None, password: str | None = None) -> dict:
    """Find the task (default: the first holding a prediction of the project's model_version),
    then run the browser check on it."""
    from annotation.labelstudio.client import base_url, connect
    from annotation.labelstudio.predictions import project_model_version
    from annotation.labelstudio.projects import resolve_project
    from annotation.labelstudio.tasks import iter_task_dicts
    from annotation.schema.schema import load_schema

    if client is None:
        from annotation.labelstudio.settings import load_settings

        settings = load_settings()
        client = connect(settings)
        url = url or settings.url
    url = url or base_url(client)
    username = username or env_value("LABEL_STUDIO_USERNAME")
    password = password or env_value("LABEL_STUDIO_PASSWORD")
    if not username or not password:
        raise NisbaError("ui-check needs LABEL_STUDIO_USERNAME and LABEL_STUDIO_PASSWORD (environment or .env)")
    ref = resolve_project(client, project)
    project_id = int(getattr(ref, "id", ref))
    version = project_model_version(client, project_id)
    chosen = None
    for task in iter_task_dicts(client, project_id):
        preds = [p for p in task.get("predictions") or [] if not version or p.get("model_version") == version]
        if (task_id is None and preds) or task.get("id") == task_id:
            chosen = (task, preds)
            break
    if chosen is None:
        raise NisbaError(f"project {project_id}: " + (f"no task {task_id}" if task_id is not None else
                         f"no task holds a prediction of {version or 'any model'}; run `nisba predict` first"))
    task, preds = chosen
    text = (task.get("data") or {}).get(load_schema().text_name) or ""
    predicted = [r["value"]["text"] for p in preds[-1:] for r in p.get("result") or []
                 if r.get("type") == "labels" and r.get("value", {}).get("text")]
    return check_task_in_browser(url, username, password, project_id, int(task["id"]), text, predicted,
                                 Path(screenshot), timeout)
