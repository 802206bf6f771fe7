"""The README's examples on the sample data are what the commands print: each `$ talentflow ...
--db demo.db` of the README is run against the sample articles ingested as `make demo` does, and
its output compared with the block under it (a block may end in a line starting with "...", after
which it is not compared)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def examples(readme: str) -> list[tuple[str, list[str]]]:
    """The README's `$ talentflow ... --db demo.db` commands, in order, each with the lines under it."""
    lines = readme.split("\n")
    found: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("    $ talentflow") and "--db demo.db" in lines[i]:
            command, out = lines[i][6:], []
            i += 1
            while i < len(lines) and lines[i].startswith("    ") and not lines[i].startswith("    $ "):
                out.append(lines[i][4:].rstrip())
                i += 1
            while out and not out[-1]:
                out.pop()
            found.append((command, out))
        else:
            i += 1
    return found


def test_the_readme_examples_print_what_the_readme_shows(tmp_path: Path):
    # Run where a demo.db of its own is written, with the repository's src/ (the samples) beside it.
    (tmp_path / "src").symlink_to(ROOT / "src")
    env = {**os.environ, "COLUMNS": "130", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    shown = examples((ROOT / "README.md").read_text())
    assert len(shown) >= 10
    for command, expected in shown:
        run = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        printed = [line.rstrip() for line in (run.stdout + run.stderr).rstrip().split("\n")]
        cut = next((k for k, line in enumerate(expected) if line.startswith("...")), len(expected))
        assert printed[:cut] == expected[:cut], command
