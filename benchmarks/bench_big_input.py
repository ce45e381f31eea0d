"""One big plain-text file versus the same text in 1 MB files: time and peak memory.

Builds a plain-text file of ordinary ~200-character lines (words drawn at random, fixed seed,
from the samples) of ``--mb`` MB, and the same lines cut into ``--mb`` files of about 1 MB
each. Runs ``normalizer run PATH -o OUT --no-translate`` on each in a fresh process and
prints wall time, CPU time and the peak resident memory of that process (getrusage of the
child) so the two can be compared: time should be linear (the big file no slower than ~2x
the small files) and memory bounded.

    .venv/bin/python benchmarks/bench_big_input.py            # 30 MB
    .venv/bin/python benchmarks/bench_big_input.py --mb 5     # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE_CHARS = 200  # the line length the figures are for (news text dumps: one paragraph a line)


def make_lines(mb: int, seed: int = 7) -> list[str]:
    words: list[str] = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        words += p.read_text("utf-8").split()
    rng = random.Random(seed)
    lines, size = [], 0
    while size < mb * 1_000_000:
        parts, n = [], 0
        while n < LINE_CHARS - 10:
            w = words[rng.randrange(len(words))]
            parts.append(w)
            n += len(w) + 1
        line = " ".join(parts)[: LINE_CHARS - 1] + "."
        lines.append(line)
        size += len(line.encode()) + 1
    return lines


def run(path: Path, out: Path) -> dict[str, float]:
    """One `normalizer run` in a child process; its wall time, CPU time and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "run",
            str(path),
            "-o",
            str(out),
            "--no-translate",
            "-q",
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run the big case first or
    # in its own process (main() does one case per process).
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": after.ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=int, default=30, help="size of the big file in MB (default: 30)")
    ap.add_argument("--case", choices=["both", "big", "small"], default="both")
    args = ap.parse_args()
    if args.case == "both":  # each case in its own process, so each peak is its own
        for case in ("big", "small"):
            subprocess.run(
                [sys.executable, __file__, "--mb", str(args.mb), "--case", case], check=True
            )
        return
    lines = make_lines(args.mb)
    with tempfile.TemporaryDirectory(prefix="bench-big-") as tmp:
        d = Path(tmp)
        if args.case == "big":
            src = d / "big.txt"
            src.write_text("\n".join(lines) + "\n", "utf-8")
            label = f"one {args.mb} MB file"
        else:
            src = d / "small"
            src.mkdir()
            per = -(-len(lines) // args.mb)
            for i in range(args.mb):
                (src / f"part{i:03d}.txt").write_text(
                    "\n".join(lines[i * per : (i + 1) * per]) + "\n", "utf-8"
                )
            label = f"{args.mb} files of ~1 MB"
        r = run(src, d / "out.jsonl")
        print(
            f"{label:22s} {len(lines):>8,} lines  wall {r['wall_s']:7.1f} s  cpu {r['cpu_s']:7.1f} s  "
            f"peak RSS {r['peak_mb']:6.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
