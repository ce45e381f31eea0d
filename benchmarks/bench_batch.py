"""Batch throughput and memory: documents/s and peak memory, 1 worker versus N.

Builds corpora of N documents from the samples (plain-text page dumps) and, for the mixed
corpus, the HTML pages of ``../shared/data/html-dev``; each copy gets a distinct id line so
every document is unique, and documents are grouped 10 to a "site" (folder): each sample
text appears twice per site, under the repeated-line threshold (3), while boilerplate shared
by samples of one publisher (the Moscow Times appeal) is repeated, as on a real site. Then runs ``normalizer run CORPUS -o OUT --no-translate
--jobs J`` for each size and J, and reports wall time, documents/s, speedup, and peak
memory (the sum of the resident set sizes of the run's process tree, sampled every 50 ms).
Outputs of 1 and N workers are compared byte for byte.

    .venv/bin/python benchmarks/bench_batch.py                     # 1,000 and 10,000 docs, text
    .venv/bin/python benchmarks/bench_batch.py --kind mixed --sizes 1000 --jobs 1 2 4
    taskset -c 0,1 .venv/bin/python benchmarks/bench_batch.py      # pin to 2 cores

Results are printed as a table and written to benchmarks/results/bench_batch.json. On a
shared machine wall-clock figures depend on the other load; ``cpu s`` (CPU time of the whole
process tree) and ``docs/cpu-s`` do not, and ``cpu s`` of 1 versus N workers shows the
parallel overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
HTML_DEV = ROOT.parent / "shared" / "data" / "html-dev"
DOCS_PER_SITE = 10


def build_corpus(dest: Path, n: int, kind: str) -> Path:
    """n unique documents under dest/site_XX/."""
    texts = [p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))]
    pages: list[bytes] = []
    if kind == "mixed":
        if not HTML_DEV.exists():
            raise SystemExit(f"--kind mixed needs {HTML_DEV}")
        pages = [
            p.read_bytes()
            for p in sorted((HTML_DEV / "eval").glob("*.html"))
            + sorted((HTML_DEV / "cache").glob("*.html"))
        ]
    pool: list[tuple[str, bytes]] = [("txt", t) for t in texts]
    if pages:
        # samples-like text and real HTML, one to one
        pool = [
            x
            for pair in zip(
                [("txt", t) for t in texts] * (len(pages) // len(texts) + 1),
                [("html", p) for p in pages],
            )
            for x in pair
        ]
    for i in range(n):
        ext, data = pool[i % len(pool)]
        site = dest / f"site_{i // DOCS_PER_SITE:05d}"
        site.mkdir(parents=True, exist_ok=True)
        if ext == "txt":
            body = data + f"\nDocument number {i} of the benchmark corpus.\n".encode()
        else:
            body = data.replace(
                b"</body>",
                f"<p>Document number {i} of the benchmark corpus.</p></body>".encode(),
                1,
            )
        (site / f"d{i:06d}.{ext}").write_bytes(body)
    return dest


TICK = os.sysconf("SC_CLK_TCK")


def _tree_rss_kb(pid: int, cpu: dict[int, float] | None = None) -> int:
    """Resident memory of a process and all its descendants, in KiB (Linux /proc); records
    each one's CPU seconds so far into ``cpu``."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            if cpu is not None:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                cpu[p] = (int(fields[11]) + int(fields[12])) / TICK
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(x) for x in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_once(corpus: Path, out: Path, jobs: int, extra: list[str]) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "normalizer",
        "run",
        str(corpus),
        "-o",
        str(out),
        "--no-translate",
        "--no-cache",
        "-q",
        "--jobs",
        str(jobs),
        *extra,
    ]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()
    cpu_by_pid: dict[int, float] = {}

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid, cpu_by_pid))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    main_cpu = (ru1.ru_utime - ru0.ru_utime) + (
        ru1.ru_stime - ru0.ru_stime
    )  # main + reaped children
    others = sum(v for k, v in cpu_by_pid.items() if k != proc.pid)  # forkserver workers
    cpu = max(main_cpu, cpu_by_pid.get(proc.pid, 0.0) + others)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-3000:]}")
    # cpu_s: CPU time of the whole process tree (main + workers), a load-independent cost
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument(
        "--kind",
        choices=["text", "mixed"],
        default="text",
        help="text: sample-like page dumps only; mixed: half samples, half html-dev pages",
    )
    ap.add_argument(
        "--extra", nargs=argparse.REMAINDER, default=[], help="more `normalizer run` options"
    )
    ap.add_argument("--keep", action="store_true", help="keep the corpora and outputs")
    args = ap.parse_args()

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    rows = []
    try:
        for n in args.sizes:
            corpus = build_corpus(work / f"corpus-{n}", n, args.kind)
            outs = {}
            for j in args.jobs:
                out = work / f"out-{n}-j{j}.jsonl"
                r = run_once(corpus, out, j, args.extra)
                r.update(
                    docs=n,
                    jobs=j,
                    docs_per_s=round(n / r["wall_s"], 1),
                    docs_per_s_per_core=round(n / r["wall_s"] / min(j, cores or 1), 1),
                    docs_per_cpu_s=round(n / r["cpu_s"], 1) if r["cpu_s"] else None,
                )
                outs[j] = out.read_bytes()
                rows.append(r)
                print(
                    f"{n:>6} docs  jobs {j}: {r['wall_s']:>7.1f} s  {r['docs_per_s']:>7.1f} docs/s  "
                    f"cpu {r['cpu_s']:>7.1f} s  peak {r['peak_rss_mb']:>7.1f} MB",
                    flush=True,
                )
            base = next(x for x in rows if x["docs"] == n and x["jobs"] == args.jobs[0])
            for x in rows:
                if x["docs"] == n:
                    x["speedup"] = round(base["wall_s"] / x["wall_s"], 2)
                    x["identical_output"] = outs[x["jobs"]] == outs[args.jobs[0]]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(
        f"{'docs':>6} {'jobs':>4} {'wall s':>8} {'cpu s':>8} {'docs/s':>8} {'per core':>8} {'speedup':>7} "
        f"{'peak MB':>8} {'docs/cpu-s':>10} same"
    )
    for x in rows:
        print(
            f"{x['docs']:>6} {x['jobs']:>4} {x['wall_s']:>8.1f} {x['cpu_s']:>8.1f} {x['docs_per_s']:>8.1f} "
            f"{x['docs_per_s_per_core']:>8.1f} {x['speedup']:>7.2f} {x['peak_rss_mb']:>8.1f} "
            f"{x['docs_per_cpu_s'] or 0:>10.1f} "
            f"{'yes' if x['identical_output'] else 'NO'}"
        )
    res = ROOT / "benchmarks" / "results"
    res.mkdir(parents=True, exist_ok=True)
    meta = {
        "kind": args.kind,
        "cores": cores,
        "cpu": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "extra": args.extra,
    }
    (res / "bench_batch.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    if work.exists() and args.keep:
        print(f"kept {work}")


if __name__ == "__main__":
    main()
