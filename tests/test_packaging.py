"""The wheel carries everything: installed non-editable into a fresh venv, run from elsewhere.

This is what `pipx install` or `pip install sdsim-*.whl` gives a user: no checkout, no
`prompts/` or `corpus/` beside the working directory. The wheel is built from this tree without
network (`--no-build-isolation`), installed with `--no-deps --no-index` into a new venv whose
third-party packages come from the test environment (a path line, so the checkout's editable
`simulator` is never importable there), and every user-facing command runs from a temporary
working directory with the network switched off.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from simulator.content.loader import load_content
from simulator.grading.offline import grade_answer
from simulator.settings import REPO_ROOT

pytestmark = pytest.mark.slow


def _run(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None,
         timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{cmd} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str], Path]:
    """(venv bin directory, environment, working directory) of a wheel installed offline."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
          "--no-index", "-q", "-w", str(dist), str(REPO_ROOT)], cwd=root, env=dict(os.environ))
    wheel = next(dist.glob("sdsim-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("simulator/content/prompts/rubric.yaml",
                   "simulator/content/prompts/problems/chat.yaml",
                   "simulator/content/prompts/modifiers.yaml",
                   "simulator/content/prompts/llm/judge.md",
                   "simulator/content/corpus/design-chat.md",
                   "simulator/evals/datasets/grading_dev.jsonl",
                   "simulator/evals/thresholds.yaml",
                   "simulator/questions/question_bank.schema.json",
                   "simulator/ui/entry.py"):
        assert needed in names, f"{needed} missing from {wheel.name}"

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=root, env=dict(os.environ))
    bin_dir = venv / "bin"
    py = bin_dir / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Third-party packages from the test environment, as plain paths: .pth files there (the
    # checkout's editable install) are not processed, so `simulator` comes from the wheel only.
    Path(purelib, "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
         cwd=root, env=dict(os.environ))

    work = root / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SDSIM_", "PYTHON"))}
    env.update(SDSIM_DATA_DIR=str(root / "data"), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               # any attempt to reach the network fails fast instead of downloading
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
               NO_PROXY="127.0.0.1,localhost", PATH=f"{bin_dir}:{env.get('PATH', '')}")
    where = _run([str(py), "-c", "import simulator; print(simulator.__file__)"], cwd=work, env=env)
    assert where.stdout.strip().startswith(str(venv)), where.stdout
    return bin_dir, env, work


def test_wheel_runs_every_command_from_another_directory(installed) -> None:
    bin_dir, env, work = installed
    sdsim = str(bin_dir / "sdsim")

    problems = _run([sdsim, "problems"], work, env).stdout
    assert "chat" in problems and "url-shortener" in problems

    ingest = json.loads(_run([sdsim, "ingest", "--json"], work, env).stdout)
    assert ingest["files_seen"] >= 38 and ingest["chunks_total"] > 400
    assert ingest["corpus_dir"] == "sdsim:corpus"

    talk = _run([sdsim, "interview", "--problem", "chat", "--minutes", "30"], work, env,
                stdin="We need one-to-one and group messages, delivered in order.\n/end\n").stdout
    assert "Interviewer" in talk and "Session" in talk

    answer = work / "answer.txt"
    answer.write_text("50M DAU x 40 messages a day = 2B messages a day, about 23k per second "
                      "on average and 70k at a 3x evening peak; at 200 bytes each that is "
                      "400 GB a day, 146 TB a year before replication.")
    graded = json.loads(_run([sdsim, "grade", "--problem", "chat", "--phase", "estimate",
                              "--answer-file", str(answer), "--json"], work, env).stdout)
    # The installed wheel grades exactly as the source tree does (same built-in content).
    content = load_content()
    expected = grade_answer(content.problem("chat"), "estimate", answer.read_text(),
                            content.rubric, content.catalog, vocabulary=content.vocabulary("chat"))
    assert graded["phase"] == "estimate"
    assert (graded["score"], graded["flags"]) == (expected.score, list(expected.flags))

    bank = json.loads(_run([sdsim, "questions", "generate", "--problem", "chat", "--count", "3",
                            "--format", "json"], work, env).stdout)
    assert len(bank["questions"]) == 3

    ran = _run([sdsim, "eval", "run", "--suite", "grading", "--quiet"], work, env).stdout
    assert "grading" in ran and "qwk" in ran
    runs = list((Path(env["SDSIM_DATA_DIR"]) / "runs").glob("*.json"))
    assert len(runs) == 1, "eval runs default to the data directory's runs folder"
    assert not (work / "runs").exists()


def test_wheel_app_renders_the_start_page(installed) -> None:
    bin_dir, env, work = installed
    script = (
        "from importlib.resources import files\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file(str(files('simulator.ui') / 'entry.py'), default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "print(at.title[0].value)\n"
        "print(len(at.selectbox[0].options))\n"
    )
    out = _run([str(bin_dir / "python"), "-c", script], work, env).stdout.splitlines()
    assert out[0] == "Practise a system-design interview"
    assert int(out[1]) == 10  # nine problems and "surprise me"
