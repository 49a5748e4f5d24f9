"""One .env reader (python-dotenv, through annotation/labelstudio/settings.read_env_file)."""

from annotation.labelstudio.settings import read_env_file
from annotation.labelstudio.ui_check import env_value


def test_env_file_dollar_in_value_is_literal(tmp_path):
    env = tmp_path / ".env"
    env.write_text("LABEL_STUDIO_PASSWORD=a$HOME${USER}b\n")
    assert read_env_file(env) == {"LABEL_STUDIO_PASSWORD": "a$HOME${USER}b"}


def test_ui_check_reads_export_lines_like_the_other_commands(tmp_path, monkeypatch):
    # the browser check's own parser missed `export KEY=value`, which the commands read
    env = tmp_path / ".env"
    env.write_text("export LABEL_STUDIO_USERNAME='admin@nisba.local'\n")
    monkeypatch.delenv("LABEL_STUDIO_USERNAME", raising=False)
    assert env_value("LABEL_STUDIO_USERNAME", env) == "admin@nisba.local"
    monkeypatch.setenv("LABEL_STUDIO_USERNAME", "from-env")
    assert env_value("LABEL_STUDIO_USERNAME", env) == "from-env"


def test_missing_env_file_reads_as_empty(tmp_path):
    assert read_env_file(tmp_path / "absent") == {}


class _FakeDriver:
    current_url = "http://127.0.0.1:1/user/login/"


def test_browser_wait_retries_while_the_page_loads_then_returns_the_value():
    from selenium.common.exceptions import NoSuchElementException

    from annotation.labelstudio.ui_check import _wait

    answers = iter([NoSuchElementException("not yet"), None, "found"])

    def check(driver):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert _wait(_FakeDriver(), 5, check, "the form") == "found"


def test_browser_wait_timeout_names_what_and_the_page():
    import pytest

    from annotation.errors import NisbaError
    from annotation.labelstudio.ui_check import _wait

    with pytest.raises(NisbaError, match=r"timed out after 1 s waiting for the login form \(page http://127"):
        _wait(_FakeDriver(), 1, lambda d: None, "the login form")
