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
