"""The flow runs one way: light commands start without the heavy stacks, and the layers import
only downwards (store ← stories/annotate/views ← jobs ← cli/web).

Behavioural checks, not timings: ``python -X importtime`` lists every module a command imported.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "parallax"
HEAVY = {"spacy", "onnxruntime", "tokenizers", "trafilatura", "usearch"}


def _imported(args: list[str], cwd: Path) -> set[str]:
    """Top-level packages a ``python -m parallax ARGS`` run imported."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC.parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "parallax", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "parallax.cli" in names  # the listing is real: the command's own module is in it
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("args", [
    ["--help"], ["stories"], ["show", "1"], ["search", "word"], ["entity", "Putin"], ["watch", "list"],
    ["timeline", "Putin"],
])
def test_light_commands_import_no_heavy_stack(args: list[str], tmp_path: Path) -> None:
    imported = _imported([*args, *([] if args == ["--help"] else ["--db", str(tmp_path / "p.db")])], tmp_path)
    assert not imported & HEAVY, sorted(imported & HEAVY)


def test_help_loads_no_settings_store_backend_or_readers(tmp_path: Path) -> None:
    """``parallax --help`` answers from the parser alone: the settings file, the SQLite
    backend's SQL modules and the readers (charset detection, date parsing) load only for a
    command that runs (issue 11: light commands start in under 0.3 s)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC.parent), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "parallax", "--help"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "parallax.cli" in modules and "usage: parallax" in done.stdout
    assert not modules & {"parallax.settings", "parallax.store.sqlite", "parallax.clean", "charset_normalizer"}, \
        sorted(modules & {"parallax.settings", "parallax.store.sqlite", "parallax.clean", "charset_normalizer"})


def test_the_listing_sees_a_heavy_stack_when_one_is_imported(tmp_path: Path) -> None:
    """The check above can fail: a command that annotates does import spaCy."""
    text = tmp_path / "a.txt"
    text.write_text("Moscow said on Friday that talks would go on.\n", encoding="utf-8")
    assert "spacy" in _imported(["annotate", "--raw", str(text)], tmp_path)


def _parallax_imports(path: Path) -> set[str]:
    """Every ``parallax.*`` module a source file imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parallax"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("parallax")}
    return found


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("store", ("parallax.stories", "parallax.views", "parallax.annotate", "parallax.jobs", "parallax.cli", "parallax.web")),
    ("stories", ("parallax.views", "parallax.jobs", "parallax.cli", "parallax.web")),
    ("annotate", ("parallax.stories", "parallax.views", "parallax.jobs", "parallax.cli", "parallax.web")),
    ("views", ("parallax.jobs", "parallax.cli", "parallax.web")),
])
def test_layers_import_only_downwards(layer: str, forbidden: tuple[str, ...]) -> None:
    wrong = {f"{path.relative_to(SRC)}: {module}"
             for path in (SRC / layer).rglob("*.py") for module in _parallax_imports(path)
             if module.startswith(forbidden)}
    assert not wrong, sorted(wrong)
