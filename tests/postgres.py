"""A real PostgreSQL server on loopback for the tests (Debian's `postgresql` package).

`initdb` makes a throwaway cluster in a temporary directory and `pg_ctl` starts it on a free
port, listening on 127.0.0.1 only with its unix socket in that directory. PostgreSQL refuses
to run as root, so under root (a CI machine) the cluster belongs to the `postgres` OS user and
every command runs through `runuser`. A missing server fails the tests that need it with the
command that installs it (`make postgres`); it never skips them.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from servers import free_port

DATABASE = "sdsim"
USER = "sdsim"


def server_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")
         if Path(p, "initdb").exists() and Path(p, "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not found:
        pytest.fail("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin; "
                    "run `make postgres` (installs Debian's postgresql)")
    return found[-1]


def _as_server_user() -> list[str]:
    """The prefix that runs a command as a non-root user when we are root."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return [shutil.which("runuser") or "/usr/sbin/runuser", "-u", name, "--"]
    pytest.fail("running as root and there is no `postgres` or `nobody` user to run PostgreSQL")


@dataclass(frozen=True)
class PostgresServer:
    bin_dir: Path
    data_dir: Path
    socket_dir: Path
    port: int
    prefix: tuple[str, ...]

    @property
    def url(self) -> str:
        """An SQLAlchemy URL (psycopg 3 driver) over TCP on loopback."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{DATABASE}"

    def url_of(self, database: str) -> str:
        """The SQLAlchemy URL of another database on this server."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """A new, empty database for one test: yields its URL, drops it afterwards (closing
        whatever connections the test left open)."""
        name = f"test_{uuid.uuid4().hex[:12]}"
        self.psql(f"CREATE DATABASE {name}")
        try:
            yield self.url_of(name)
        finally:
            self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def psql(self, sql: str) -> str:
        """Run `sql` with psql through the unix socket and return its unaligned output."""
        done = subprocess.run(
            [*self.prefix, str(self.bin_dir / "psql"), "-h", str(self.socket_dir), "-p",
             str(self.port), "-U", USER, "-d", DATABASE, "-XAtq", "-v", "ON_ERROR_STOP=1",
             "-c", sql],
            check=False, capture_output=True, text=True, timeout=60, cwd="/",
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120, cwd="/")
    if done.returncode != 0:
        pytest.fail(f"PostgreSQL set-up failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session, stopped and removed at its end.

    Its directory sits directly in the system temp directory, not under pytest's: pytest
    resets /tmp/pytest-of-<user> to mode 0700 whenever a pytest run starts, which would lock
    the server user out of its socket mid-run.
    """
    bin_dir = server_bin_dir()
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="sdsim-postgres-"))
    data_dir, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    if prefix:  # the server user must own its directories
        user = pwd.getpwnam(prefix[2])
        for path in (root, socket_dir):
            os.chown(path, user.pw_uid, user.pw_gid)
    _run([*prefix, str(bin_dir / "initdb"), "-D", str(data_dir), "-U", USER, "-A", "trust",
          "-E", "UTF8", "--no-instructions"])
    port = free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {socket_dir} -c fsync=off"
    _run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-l", str(root / "log"),
          "-o", options, "-w", "-t", "60", "start"])
    server = PostgresServer(bin_dir, data_dir, socket_dir, port, tuple(prefix))
    try:
        subprocess.run([*prefix, str(bin_dir / "createdb"), "-h", str(socket_dir), "-p",
                        str(port), "-U", USER, DATABASE], check=True, timeout=60, cwd="/")
        yield server
    finally:
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "fast",
                        "-w", "stop"], check=False, capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
