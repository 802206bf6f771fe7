"""Start-up time of the read-only commands: what a person waits for before any answer.

    python benchmarks/bench_startup.py [RUNS]   (default 5; the median is printed)

Builds the sample database once, then runs each command in a fresh process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "talentflow" / "data" / "samples"
TALENTFLOW = [sys.executable, "-c", "from talentflow.cli import app; app()"]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        subprocess.run([*TALENTFLOW, "ingest", str(SAMPLES), "--db", db], check=True, stdout=subprocess.DEVNULL)
        commands = [["--help"], ["moves", "--limit", "1"], ["flows"], ["flows", "--between", "OpenAI", "Meta"],
                    ["alumni", "OpenAI"], ["person", "Andrej Karpathy"], ["org", "Meta"], ["reports"],
                    ["cohort", "list"], ["people", "doubtful"]]
        print(f"median of {runs} runs, each in a new process (target: under 0.5 s)")
        for command in commands:
            args = [*TALENTFLOW, *command] + ([] if command == ["--help"] else ["--db", db])
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - started)
            print(f"{statistics.median(times):6.2f} s  talentflow {' '.join(command)}", flush=True)


if __name__ == "__main__":
    main()
