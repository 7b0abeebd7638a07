"""Print extraction accuracy (value+span precision/recall/F1, metric agreement) on the seed and the devset.

Usage: ``.venv/bin/python benchmarks/accuracy.py [--errors N]``. The seed comes from tests/fixtures/prose;
the devset from ../shared/devset when present.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.settings import load_resources  # noqa: E402
from pipeline.evaluate import evaluate_paths  # noqa: E402

SETS = {
    "seed": (ROOT / "tests/fixtures/seed/seed-gold.jsonl", ROOT / "tests/fixtures/seed/000_c5bff7659f61e6f7.txt"),
    "devset": (ROOT.parent / "shared/devset/gold.jsonl", ROOT.parent / "shared/devset/passages"),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", type=int, default=0, help="print this many misses/extras per set")
    args = ap.parse_args()
    res = load_resources(warm_jieba=True)
    for name, (gold, passages) in SETS.items():
        if not gold.exists():
            print(f"{name}: not available ({gold})")
            continue
        t0 = time.perf_counter()
        result = evaluate_paths(gold, passages, res)
        errors = result.pop("errors")
        print(f"== {name} ({time.perf_counter() - t0:.2f} s)")
        print(f"{'group':28} {'P':>6} {'R':>6} {'F1':>6} {'agree':>6} {'pred':>5} {'gold':>5}")
        for key, sc in result.items():
            print(f"{key:28} {sc['precision']:6.3f} {sc['recall']:6.3f} {sc['f1']:6.3f} "
                  f"{sc['metric_agreement']:6.3f} {sc['n_pred']:5d} {sc['n_gold']:5d}")
        for line in errors[: args.errors]:
            print("  ", line)
    print("metric agreement: seed = exact metric id; devset = metric family vs the gold's topical section "
          "(parsers.taxonomy.FAMILY_TOPIC)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
