"""Throughput benchmark: N synthetic portal pages through `ogi run` (serial, 2 workers, Dask LocalCluster).

    .venv/bin/python benchmarks/throughput.py --n 10000 [--pages realistic|thin] [--configs serial,process2,dask2]
        [--floor-sample 1000] [--rounds 5] [--real DIR]

Pages come from :mod:`pipeline.synth` (both eras, every number drawn per page, so pages differ); by default
with the narrative and portal frame of real pages (``benchmarks/pages.py``, ~33 KB), ``--pages thin`` in the
shape of the bundled corpus (~5–15 KB). They are generated once into ``--corpus-dir`` and reused while the
generator is unchanged (a stamp file in the folder names it). Each configuration runs as a separate
``ogi run`` process into a fresh output folder; the process tree's resident memory is sampled every 0.2 s
(peak of the sum over the tree, and the largest single process).

The *floor* is the unavoidable work per page, measured in the same run on a sample of the same pages:
decode + lxml parse + OpenCC conversion + one number regex pass. The *ratio* is the per-document time of
the full pipeline (in-process, one core, same sample: parse, checks, dataset columns) over the floor. Floor
and pipeline are timed as CPU time of this process (both run on one core in process; CPU time is robust to
other jobs on a shared machine), paired chunk by chunk (16 pages: floor, then pipeline), in ``--rounds``
rounds; the median of the rounds' ratios is printed. When the real saved portal pages of
``../shared/devset/docs`` are beside the repository (or ``--real DIR`` is given), the same ratio is measured
on them too: real pages are 60–370 KB with 4–20k characters of report text, the synthetic ones ~9–37 KB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.synth import BANNER, Place, prose_report, table_report  # noqa: E402
from pipeline.synth_html import paragraphs, portal_page  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from pages import realistic_page  # noqa: E402

PLACES = (Place("大庆市", "黑龙江省", "市"), Place("九江市", "江西省", "市"), Place("湖州市", "浙江省", "市"),
          Place("洛阳市", "河南省", "市"), Place("绵阳市", "四川省", "市"), Place("桂林市", "广西壮族自治区", "市"),
          Place("泉州市", "福建省", "市"), Place("襄阳市", "湖北省", "市"), Place("宜昌市", "湖北省", "市"),
          Place("包头市", "内蒙古自治区", "市"), Place("常德市", "湖南省", "市"), Place("潍坊市", "山东省", "市"))
NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:条|件|人次|期|次|%|万元|元)?")
CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)


def page(i: int, seed: int, kind: str = "realistic") -> bytes:
    """Synthetic page number ``i``: its place, year and every number come from a per-page RNG.

    ``kind`` "thin" is the bundled-corpus shape (~5–15 KB pages, ~600-character prose reports); "realistic"
    adds the narrative and portal frame of real pages (:mod:`pages`: ~33 KB, ~3k characters of text)."""
    rng = random.Random(seed * 1_000_003 + i)
    place, year = rng.choice(PLACES), rng.randint(2009, 2023)
    if kind == "realistic":
        return realistic_page(place, year, rng, site=f"{place.name}人民政府（合成）",
                              publish_date=f"{year + 1}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                              banner=BANNER).encode("utf-8")
    if year < 2019:
        title, lines, _ = prose_report(place, year, rng)
        body = paragraphs(lines)
    else:
        title, body, _ = table_report(place, year, rng)
    html = portal_page(title=title, body_html=body, site=f"{place.name}人民政府（合成）",
                       publish_date=f"{year + 1}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}", banner=BANNER)
    return html.encode("utf-8")


#: The file in a generated corpus folder naming the generator that wrote its pages (not a page suffix, so
#: ``ogi run`` does not read it).
STAMP = "generator.sha256"


def generator_stamp(seed: int, kind: str) -> str:
    """A hash of the page generator's code (this module's :func:`page`, ``benchmarks/pages.py``,
    ``pipeline/synth*.py``) with the seed and kind: pages are reused only if it is unchanged."""
    import hashlib
    import inspect

    h = hashlib.sha256(f"{kind}:{seed}\n{inspect.getsource(page)}".encode())
    for path in (REPO / "benchmarks" / "pages.py", REPO / "pipeline" / "synth.py", REPO / "pipeline" / "synth_html.py"):
        h.update(path.read_bytes())
    return h.hexdigest()


def generate(corpus: Path, n: int, seed: int = 7, kind: str = "realistic") -> tuple[list[Path], int]:
    """Write pages 0..n-1 (1,000 per folder) and return (paths, total bytes).

    Pages already in ``corpus`` are kept when the folder's stamp names the same generator, seed and kind
    (generating 100k pages takes minutes); otherwise every page is written again, so a changed generator
    never leaves a benchmark measuring the pages of an older one."""
    stamp, expected = corpus / STAMP, generator_stamp(seed, kind)
    fresh = not stamp.exists() or stamp.read_text(encoding="utf-8").strip() != expected
    if fresh and stamp.exists():
        stamp.unlink()  # a run interrupted while rewriting must not look current
    paths, total = [], 0
    for i in range(n):
        path = corpus / f"{i // 1000:04d}" / f"p{i:07d}.html"
        if fresh or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(page(i, seed, kind))
        paths.append(path)
        total += path.stat().st_size
    stamp.write_text(expected + "\n", encoding="utf-8")
    return paths, total


def floor_seconds(datas: list[bytes], t2s: Any = None) -> float:
    """Decode + lxml parse + OpenCC + one regex pass over every page: the floor pipeline."""
    import lxml.html
    import opencc

    t2s = t2s or opencc.OpenCC("t2s")
    start = time.process_time()
    for data in datas:
        m = CHARSET.search(data[:2048])
        text = data.decode(m.group(1).decode() if m else "utf-8", errors="replace")
        tree = lxml.html.fromstring(text)
        simplified = t2s.convert(tree.text_content())
        sum(1 for _ in NUMBER.finditer(simplified))
    return time.process_time() - start


def _jobs(paths: list[Path]) -> list[Any]:
    from pipeline.corpus import iter_file

    return [(str(i), item) for i, p in enumerate(paths) for item in iter_file(p, p.parent)]


def paired_seconds(paths: list[Path], datas: list[bytes]) -> tuple[float, float]:
    """One round over the pages, (floor, pipeline) CPU seconds, the two measured chunk by chunk in turn (the
    floor on a chunk's pages, then the pipeline on the same pages; chunks of the serial executor's size,
    ~50 ms of work each), so both see the machine in the same state: on a shared VM whose speed drifts
    within seconds, a floor timed a second apart from the pipeline made single rounds scatter 3–6×.

    The pipeline is the full per-document function (parse, checks, rows → columns) in process on one core,
    its results dropped after each chunk as ``ogi run`` hands them on (holding a whole sample's rows at once
    made the timing depend on how the allocator got its memory back)."""
    import opencc

    from parsers.settings import ParseSettings
    from pipeline.executors import ExecutorConfig, process_chunk

    settings, t2s, jobs = ParseSettings(), opencc.OpenCC("t2s"), _jobs(paths)
    if len(jobs) != len(datas):
        raise ValueError("one job per page expected (pages of HTML or text, not WARC files)")
    process_chunk(jobs[:3], settings)  # set-up (jieba, OpenCC) outside the timing
    size = ExecutorConfig().chunksize
    floor = full = 0.0
    for i in range(0, len(jobs), size):
        floor += floor_seconds(datas[i:i + size], t2s)
        start = time.process_time()
        process_chunk(jobs[i:i + size], settings)
        full += time.process_time() - start
    return floor, full


def ratio(label: str, pages: list[Path], rounds: int) -> dict[str, Any]:
    """Floor and full pipeline per page on ``pages`` (:func:`paired_seconds`, ``rounds`` times): the median
    of the rounds' ratios, and the medians of the per-page times."""
    datas = [p.read_bytes() for p in pages]
    floors, fulls = [], []
    for _ in range(rounds):
        floor_s, full_s = paired_seconds(pages, datas)
        floors.append(floor_s / len(pages))
        fulls.append(full_s / len(pages))
    ratios = [b / a for a, b in zip(floors, fulls)]
    floor, full, r = statistics.median(floors), statistics.median(fulls), statistics.median(ratios)
    kb = sum(map(len, datas)) / len(datas) / 1024
    print(f"per page, one core, {label} ({len(pages)} pages, {kb:.1f} KB each, median of {rounds} rounds): "
          f"floor {floor * 1e3:.3f} ms, pipeline {full * 1e3:.3f} ms, ratio {r:.2f}x "
          f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)})", flush=True)
    return {"pages": len(pages), "kb_per_page": round(kb, 1), "floor_ms": round(floor * 1e3, 3),
            "pipeline_ms": round(full * 1e3, 3), "ratio_to_floor": round(r, 2),
            "ratio_rounds": [round(x, 2) for x in ratios]}


CONFIGS: dict[str, list[str]] = {
    "serial": ["--workers", "1"],
    "process2": ["--workers", "2"],
    "dask2": ["--executor", "dask-local", "--workers", "2"],
}


def run_config(name: str, corpus: Path, out: Path, derived: bool = False) -> dict[str, Any]:
    """One `ogi run` in a fresh output folder; wall time and peak memory of the process tree.

    Without ``derived`` the run gets ``--no-compare``: the dataset only, not the codebook and default
    comparison written after it (they read the finished dataset back, so they are measured apart)."""
    import psutil

    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(corpus), "--out", str(out), "--force",
           *CONFIGS[name], *([] if derived else ["--no-compare"])]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(proc.pid)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            rss = [p.memory_info().rss for p in procs]
        except psutil.Error:
            rss = []
        peak_tree, peak_one = max(peak_tree, sum(rss)), max(peak_one, max(rss, default=0))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    summary = (proc.stdout.read() if proc.stdout else "").strip()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8")) if proc.returncode == 0 else {}
    return {"config": name, "returncode": proc.returncode, "seconds": round(seconds, 2),
            "documents": manifest.get("documents"), "figures": manifest.get("figures"),
            "peak_rss_tree_mb": round(peak_tree / 2**20), "peak_rss_max_process_mb": round(peak_one / 2**20),
            "summary": summary}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--configs", default="serial,process2,dask2")
    ap.add_argument("--corpus-dir", type=Path, default=Path("/tmp/ogi-bench/corpus"))
    ap.add_argument("--out-dir", type=Path, default=Path("/tmp/ogi-bench/out"))
    # (two 300-page samples of the same generator's pages gave ratios 5-7% apart: per-page costs vary widely)
    ap.add_argument("--floor-sample", type=int, default=1000, help="pages timed for the floor ratio")
    ap.add_argument("--pages", choices=("realistic", "thin"), default="realistic",
                    help="realistic: narrative and portal frame of real pages (~33 KB); thin: bundled-corpus shape")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved floor/pipeline timing rounds")
    ap.add_argument("--real", type=Path, default=None,
                    help="folder of real saved pages (*.html) for a second ratio (default ../shared/devset/docs)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--derived", action="store_true",
                    help="also write the codebook and default comparison (default: --no-compare)")
    args = ap.parse_args(argv)

    corpus = args.corpus_dir / f"{'n' if args.pages == 'thin' else 'r'}{args.n}"
    t0 = time.perf_counter()
    paths, n_bytes = generate(corpus, args.n, kind=args.pages)
    print(f"corpus: {args.n} {args.pages} pages, {n_bytes / 2**20:.1f} MB "
          f"({time.perf_counter() - t0:.0f} s to generate/list); Python {platform.python_version()} "
          f"({sys.executable}), {os.cpu_count()} CPUs", flush=True)
    sample = paths[:: max(1, len(paths) // args.floor_sample)][: args.floor_sample]
    results: dict[str, Any] = {"n": args.n, "pages": args.pages, "mb": round(n_bytes / 2**20, 1),
                               "cpus": os.cpu_count(), "python": platform.python_version(),
                               "executable": sys.executable,
                               **ratio(f"synthetic {args.pages}", sample, args.rounds), "runs": []}
    real = args.real or next((d for d in (REPO.parent / "shared" / "devset" / "docs",) if d.is_dir()), None)
    if real is not None and sorted(real.glob("*.html")):
        results["real"] = ratio(f"real pages of {real}", sorted(real.glob("*.html")), args.rounds)
    for name in [c for c in args.configs.split(",") if c]:
        r = run_config(name, corpus, args.out_dir / f"{corpus.name}-{name}", args.derived)
        r["docs_per_s"] = round(args.n / r["seconds"], 1)
        r["mb_per_s"] = round(n_bytes / 2**20 / r["seconds"], 2)
        results["runs"].append(r)
        print(f"{name:9s} {r['seconds']:8.1f} s  {r['docs_per_s']:7.1f} docs/s  {r['mb_per_s']:6.2f} MB/s  "
              f"peak RSS tree {r['peak_rss_tree_mb']} MB (largest process {r['peak_rss_max_process_mb']} MB)  "
              f"rc={r['returncode']}", flush=True)
    base = next((r for r in results["runs"] if r["config"] == "serial"), None)
    for r in results["runs"]:
        if base and r is not base:
            r["speedup_vs_serial"] = round(base["seconds"] / r["seconds"], 2)
            print(f"{r['config']}: {r['speedup_vs_serial']}x serial", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
