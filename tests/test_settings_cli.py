"""Settings from env and TOML, secret masking, and the thin CLI over them."""

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.settings import SettingsError, get_settings


def test_env_overrides_defaults_and_toml(tmp_path, monkeypatch):
    toml = tmp_path / "sdsim.toml"
    toml.write_text('chunk_tokens = 200\nllm_model = "llama3.1"\ninterview_minutes = 30\n')
    monkeypatch.setenv("SDSIM_CONFIG", str(toml))
    monkeypatch.setenv("SDSIM_INTERVIEW_MINUTES", "60")
    s = get_settings()
    assert (s.chunk_tokens, s.llm_model, s.interview_minutes) == (200, "llama3.1", 60)
    assert s.chroma_path == tmp_path / "data" / "chroma"


def test_local_sdsim_toml_is_picked_up(tmp_path):
    (tmp_path / "sdsim.toml").write_text('embedding_backend = "openai"\n')
    assert get_settings().embedding_backend == "openai"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"SDSIM_CHROMA_URL": "localhost:8000"}, "SDSIM_CHROMA_URL must look like"),
        ({"SDSIM_EMBEDDING_BACKEND": "magic"}, "embedding_backend"),
        ({"SDSIM_INTERVIEW_MINUTES": "-3"}, "interview_minutes"),
    ],
)
def test_bad_settings_give_one_line_naming_the_field(monkeypatch, env, message):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError, match=message):
        get_settings()
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_malformed_toml_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("chunk_tokens = = 3\n")
    monkeypatch.setenv("SDSIM_CONFIG", str(bad))
    with pytest.raises(SettingsError, match="bad.toml"):
        get_settings()


def test_config_masks_secrets_from_either_variable(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefghijklmnop9876")
    out = CliRunner().invoke(main, ["config", "--json"])
    values = json.loads(out.output)
    assert values["llm_api_key"] == "****9876"
    assert "abcdefghijklmnop" not in out.output
    monkeypatch.setenv("SDSIM_LLM_API_KEY", "sk-other-zzzzzzzzzzzz1111")
    assert json.loads(CliRunner().invoke(main, ["config", "--json"]).output)["llm_api_key"] == "****1111"


def test_python_dash_m_runs_the_same_cli(tmp_path):
    env = {**os.environ, "SDSIM_DATA_DIR": str(tmp_path / "d"), "SDSIM_LLM_BACKEND": "openai-compatible"}
    out = subprocess.run([sys.executable, "-m", "simulator", "config"], capture_output=True, text=True, env=env,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert "llm_backend              openai-compatible" in out.stdout


def test_database_url_is_validated_and_its_password_never_shown(monkeypatch):
    secret_url = "postgresql+psycopg://sdsim:hunter2@db.internal:5432/sdsim"
    settings = get_settings(database_url=secret_url)
    assert settings.database_url == secret_url  # the store gets it whole
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings)
    assert settings.masked()["database_url"] == "postgresql+psycopg://sdsim:***@db.internal:5432/sdsim"
    assert get_settings(database_url="postgresql://u@h/db").database_url == "postgresql://u@h/db"
    assert get_settings(database_url="").database_url is None
    monkeypatch.setenv("SDSIM_DATABASE_URL", secret_url)
    out = CliRunner().invoke(main, ["config", "--json"])
    assert out.exit_code == 0 and "hunter2" not in out.output
    assert json.loads(out.output)["database_url"].endswith(":***@db.internal:5432/sdsim")
    for bad, says in [
        ("mysql://root:hunter2@db/sdsim", "must be a postgresql:// or postgresql+psycopg:// URL"),
        ("postgresql+asyncpg://u:hunter2@db/sdsim", "must be a postgresql://"),
        ("postgresql://u:hunter2@db.internal:5432/", "must name a host and a database"),
        ("sqlite:///tmp/x.db?password=hunter2", "must be a postgresql://"),
    ]:
        monkeypatch.setenv("SDSIM_DATABASE_URL", bad)
        with pytest.raises(SettingsError, match=re.escape(says)) as caught:
            get_settings()
        assert "hunter2" not in str(caught.value) and "***" in str(caught.value)
        result = CliRunner().invoke(main, ["sessions", "list"])
        assert result.exit_code == 2 and says in result.output and "hunter2" not in result.output
