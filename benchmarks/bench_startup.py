"""Start-up time of the read-only commands: what a person waits for before any answer.

    python benchmarks/bench_startup.py [RUNS]   (default 5; the median is printed)

Builds the sample database once, then runs each command in a fresh process: once to let Python cache
talentflow's bytecode, as any first run does (the time of that run is printed too), then RUNS times."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "talentflow" / "data" / "samples"
TALENTFLOW = [sys.executable, "-c", "from talentflow.cli import app; app()"]


def user_environment() -> dict[str, str]:
    """This environment, less PYTHONDONTWRITEBYTECODE (set on some build machines): with it, every run
    compiles talentflow's modules again, which no user's second run does."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def first_and_median(args: list[str], runs: int) -> tuple[float, float]:
    """Seconds of a first run (which writes the bytecode cache) and the median of ``runs`` runs after it."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=user_environment())
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:])


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        subprocess.run([*TALENTFLOW, "ingest", str(SAMPLES), "--db", db], check=True, stdout=subprocess.DEVNULL)
        commands = [["--help"], ["moves", "--limit", "1"], ["flows"], ["flows", "--between", "OpenAI", "Meta"],
                    ["alumni", "OpenAI"], ["person", "Andrej Karpathy"], ["org", "Meta"], ["reports"],
                    ["cohort", "list"], ["people", "doubtful"]]
        print(f"median of {runs} runs after a first one, each in a new process (target: under 0.5 s)")
        for command in commands:
            args = [*TALENTFLOW, *command] + ([] if command == ["--help"] else ["--db", db])
            first, median = first_and_median(args, runs)
            print(f"{median:6.2f} s  talentflow {' '.join(command)}   (first run {first:.2f} s)", flush=True)


if __name__ == "__main__":
    main()
