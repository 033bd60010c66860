"""The one Content object, prompt-set overlays, rubric checkpoints as data, and the layers."""

from __future__ import annotations

import ast
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from simulator.content.loader import load_content
from simulator.content.problems import CatalogError
from simulator.content.prompt_set import BUILTIN_PROMPTS, PromptSet, PromptSetError
from simulator.content.rubric import RubricError, load_rubric
from simulator.evals.suite import DATASETS_DIR
from simulator.phases import PHASES

PACKAGE = Path(__file__).resolve().parents[1] / "simulator"


def test_builtin_content_loads_everything() -> None:
    content = load_content()
    assert len(content.catalog) == 9
    assert content.label == "built-in"
    assert len(content.modifiers.by_id) >= 20
    assert set(content.llm.phase_instructions) >= set(PHASES)
    for phase in PHASES:
        assert content.rubric.phases[phase].checkpoints(3)
        assert content.rubric.phases[phase].checkpoints(4)
    assert content.problem("chat").title


def test_overlay_extends_and_overrides_without_touching_the_builtin(tmp_path) -> None:
    overlay = tmp_path / "my-set"
    (overlay / "problems").mkdir(parents=True)
    chat = yaml.safe_load((BUILTIN_PROMPTS / "problems" / "chat.yaml").read_text())
    chat["id"], chat["title"] = "team-chat", "Design a team chat"
    (overlay / "problems" / "team-chat.yaml").write_text(yaml.safe_dump(chat))
    data = yaml.safe_load((BUILTIN_PROMPTS / "interviewer.yaml").read_text())
    assert isinstance(data["idk"], list)
    data["idk"] = "No problem: take a guess."
    (overlay / "interviewer.yaml").write_text(yaml.safe_dump(data))

    mine, builtin = load_content(overlay), load_content()
    assert set(mine.catalog) == set(builtin.catalog) | {"team-chat"}
    assert mine.interviewer.idk == ["No problem: take a guess."]  # one phrasing or a list
    assert builtin.interviewer.idk != mine.interviewer.idk
    assert mine.rubric == builtin.rubric  # not overridden: the built-in file answers
    assert mine.hash != builtin.hash and mine.label == "built-in + my-set"
    assert load_content().hash == builtin.hash  # the overlay never leaked into the built-in


def test_a_point_naming_an_unknown_dimension_fails_to_load(tmp_path) -> None:
    overlay = tmp_path / "bad-set"
    (overlay / "problems").mkdir(parents=True)
    chat = yaml.safe_load((BUILTIN_PROMPTS / "problems" / "chat.yaml").read_text())
    chat["components"][0]["dimensions"] = ["security", "telepathy"]
    (overlay / "problems" / "chat.yaml").write_text(yaml.safe_dump(chat))
    with pytest.raises(CatalogError, match="unknown dimension.*telepathy"):
        load_content(overlay)


def test_every_point_names_the_dimensions_it_shows() -> None:
    """Dimension scores start from the problem's own points, so every point is mapped (an
    empty list says on purpose that it shows no cross-cutting dimension)."""
    content = load_content()
    dims = {d.id for d in content.rubric.dimensions}
    mapped = [e for p in content.catalog.values() for e in p.all_expectations().values()]
    assert all(set(e.dimensions) <= dims for e in mapped)
    for dim in dims - {"communication"}:
        for problem in content.catalog.values():
            assert any(dim in e.dimensions for e in problem.all_expectations().values()), \
                (problem.id, dim)
    nodejs = [e for e in mapped if e.nodejs]
    assert all("nodejs-runtime" in e.dimensions for e in nodejs)


def test_missing_overlay_directory_is_a_one_line_error(tmp_path) -> None:
    with pytest.raises(PromptSetError, match="prompt set directory not found"):
        PromptSet(tmp_path / "nope")


def _rubric_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (BUILTIN_PROMPTS / "rubric.yaml").read_text()
    assert old in text
    path = tmp_path / "rubric.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_level3_bullet_without_its_recogniser_fails_to_load(tmp_path) -> None:
    bad = _rubric_with(tmp_path, "        - id: peak\n", "        - \"Peak load\"\n        - id: peak\n")
    with pytest.raises(RubricError, match=r"evidence.*needs id, text and cues"):
        load_rubric(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    text = (BUILTIN_PROMPTS / "rubric.yaml").read_text()
    start = text.index("        - id: peak\n")
    cues_at = text.index("          cues:\n", start)
    end = text.index("        - id:", cues_at)
    (empty / "rubric.yaml").write_text(text[:cues_at] + "          cues: []\n" + text[end:])
    with pytest.raises(RubricError, match="cues"):
        load_rubric(empty / "rubric.yaml")


def test_every_checkpoint_recognises_some_labelled_answer_of_its_phase() -> None:
    """A recogniser that matches no strong answer in the dev set is not recognising its bullet."""
    rubric = load_content().rubric
    answers: dict[str, list[str]] = defaultdict(list)
    for line in (DATASETS_DIR / "grading_dev.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["gold"] >= 3:
            answers[row["phase"]].append(row["answer"])
    for phase in PHASES:
        for level in (3, 4):
            for checkpoint in rubric.phases[phase].checkpoints(level):
                assert any(checkpoint.shown_in(a) for a in answers[phase]), (
                    f"{phase} level {level}: {checkpoint.id!r} ({checkpoint.text!r}) matches no "
                    "labelled answer scored 3 or 4")


def test_modifiers_are_data_read_strictly(tmp_path) -> None:
    text = (BUILTIN_PROMPTS / "modifiers.yaml").read_text()
    overlay = tmp_path / "set"
    overlay.mkdir()
    (overlay / "modifiers.yaml").write_text(text.replace("  label: multi-region", "  lable: x", 1))
    with pytest.raises(ValueError, match=r"modifiers.yaml.*lable"):
        load_content(overlay)


# -- layers ---------------------------------------------------------------------------------

#: Lower layers first; a module may import only its own layer or lower ones.
LAYERS = [
    {"simulator.phases", "simulator.capacity", "simulator.jsonl", "simulator.reading",
     "simulator.tokens", "simulator.settings", "simulator.safe_text"},
    {"simulator.content", "simulator.transcript"},
    {"simulator.corpus", "simulator.llm", "simulator.store"},
    {"simulator.interview", "simulator.grading", "simulator.questions", "simulator.cli_errors"},
    {"simulator.evals"},
    {"simulator.ui", "simulator.cli", "simulator.__main__"},
]


def _unit(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def _imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("simulator.") and _unit(target) != _unit(module):
                    edges[_unit(module)].add(_unit(target))
    return edges


def test_imports_point_down_the_layers_only_even_lazily() -> None:
    rank = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}
    edges = _imports()
    unknown = sorted(u for u in set(edges) | {t for ts in edges.values() for t in ts}
                     if u not in rank)
    assert not unknown, f"place these in a layer: {unknown}"
    upward = sorted(f"{a} -> {b}" for a, targets in edges.items() for b in targets
                    if rank[b] > rank[a])
    assert not upward, f"imports that point up: {upward}"


def test_no_package_cycles() -> None:
    edges = _imports()
    seen: set[str] = set()

    def reach(start: str, node: str, path: tuple[str, ...]) -> None:
        for nxt in edges.get(node, ()):
            assert nxt != start, f"cycle: {' -> '.join((*path, nxt))}"
            if nxt not in path and (start, nxt) not in seen:
                seen.add((start, nxt))  # type: ignore[arg-type]
                reach(start, nxt, (*path, nxt))

    for unit in list(edges):
        reach(unit, unit, (unit,))


def test_the_reading_package_imports_no_other_simulator_package() -> None:
    edges = _imports()
    assert not edges.get("simulator.reading"), edges.get("simulator.reading")


def test_phases_are_listed_in_one_place() -> None:
    listing = '"clarify", "estimate", "design"'
    owners = [p.relative_to(PACKAGE.parent).as_posix() for p in PACKAGE.rglob("*.py")
              if listing in p.read_text(encoding="utf-8")]
    assert owners == ["simulator/phases.py"]


def test_nothing_switches_the_prompt_set_through_the_environment() -> None:
    writers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute)
                    and target.value.attr == "environ"):
                writers.append(path.name)
    assert writers == [], f"os.environ assignments in {writers}"


def test_the_installed_layout_needs_no_checkout(tmp_path, monkeypatch) -> None:
    """Built-in content is found from the package even with the working directory elsewhere."""
    monkeypatch.chdir(tmp_path)
    assert BUILTIN_PROMPTS.is_relative_to(PACKAGE)
    shutil.copy(BUILTIN_PROMPTS / "rubric.yaml", tmp_path / "rubric.yaml")
    assert load_rubric(tmp_path / "rubric.yaml").version == load_content().rubric.version
    assert load_content().catalog.keys() == load_content(None).catalog.keys()
