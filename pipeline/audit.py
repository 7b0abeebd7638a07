"""``ogi audit``: sample figures for manual verification, size the sample, score the verdicts.

    ogi audit size --confidence 0.95 --tolerable 0.05
    ogi audit sample --n 60 --seed 7 --strata year,region,section --oversample-flagged
    (fill the verdict / corrected_value / note / reviewer columns of audit/sample-n60-seed7/worksheet.xlsx)
    ogi audit score audit/sample-n60-seed7/worksheet.xlsx
    ogi run            # applies audit/overlay.csv: figures gain value_corrected, verdict, reviewer, ...

Implementation: :mod:`pipeline.audit_sample`, :mod:`pipeline.audit_score`, :mod:`pipeline.audit_sheet`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.audit_score import (OVERLAY_FIGURE_COLUMNS, apply_overlay, attribute_sample_size, estimation_sample_size,
                                  score_worksheet)

__all__ = ["apply_overlay", "register", "DEFAULT_OVERLAY", "OVERLAY_FIGURE_COLUMNS"]

#: Where ``ogi audit score`` writes corrections and where ``ogi run`` looks for them.
DEFAULT_OVERLAY = Path("audit/overlay.csv")


def _cmd_sample(args: argparse.Namespace) -> int:
    from pipeline.audit_sample import SampleSpec, sample_dataset

    strata = tuple(s.strip() for s in (args.strata or "").split(",") if s.strip())
    out = args.out or Path("audit") / f"sample-n{args.n}-seed{args.seed}"
    try:
        manifest = sample_dataset(Path(args.dataset), Path(out),
                                  SampleSpec(args.n, args.seed, strata, args.oversample_flagged))
    except (FileNotFoundError, ValueError) as exc:
        print(f"ogi audit sample: {exc}", file=sys.stderr)
        return 2
    print(f"ogi audit sample: {manifest['n']} of {manifest['population_size']} figures in "
          f"{len(manifest['allocation'])} strata -> {out}/worksheet.xlsx (and .csv, manifest.json)")
    return 0


def _cmd_size(args: argparse.Namespace) -> int:
    n_attr = attribute_sample_size(args.confidence, args.tolerable, args.expected_errors)
    n_est = estimation_sample_size(args.confidence, args.margin or args.tolerable, args.expected_precision,
                                   args.population)
    print(f"attribute sampling: audit {n_attr} figures; if at most {args.expected_errors} is wrong, the error "
          f"rate is below {args.tolerable:.1%} with {args.confidence:.0%} confidence")
    print(f"estimation: {n_est} figures give precision ±{(args.margin or args.tolerable):.1%} at "
          f"{args.confidence:.0%} confidence (expected precision {args.expected_precision:.0%}"
          + (f", population {args.population}" if args.population else "") + ")")
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    worksheet = Path(args.worksheet)
    if not worksheet.exists():
        print(f"ogi audit score: no such worksheet {worksheet}", file=sys.stderr)
        return 2
    report = score_worksheet(worksheet, Path(args.overlay), args.confidence, args.reviewer)
    o = report["overall"]
    if o["judged"] == 0:
        print("ogi audit score: no verdicts filled in yet", file=sys.stderr)
    else:
        print(f"precision {o['precision']:.1%} ({o['correct']}/{o['judged']}), Wilson {report['confidence']:.0%} "
              f"[{o['wilson_low']:.1%}, {o['wilson_high']:.1%}]; weighted {report['weighted_precision']:.1%}")
        for s in report["strata"]:
            print(f"  {s['stratum']}: {s['correct']}/{s['judged']} [{s['wilson_low']:.1%}, {s['wilson_high']:.1%}]")
    print(f"{report['corrections']} corrections -> {report['overlay']} (applied by the next `ogi run`)")
    report_path = worksheet.with_name(worksheet.stem + ".score.json")
    report_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


def register(subparsers: Any) -> None:
    """Add ``ogi audit sample|size|score`` to the main CLI."""
    audit = subparsers.add_parser("audit", help="sample figures for manual review and score the verdicts")
    sub = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")

    p = sub.add_parser("sample", help="draw a stratified sample and write a worksheet (XLSX + CSV)")
    p.add_argument("--dataset", type=Path, default=Path("outputs"), help="dataset folder (default: outputs/)")
    p.add_argument("--n", type=int, default=60)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--strata", default="", help="comma list: year, region, section, metric, era, origin or a column")
    p.add_argument("--oversample-flagged", action="store_true", help="double weight for figures named by findings")
    p.add_argument("--out", type=Path, default=None, help="folder (default: audit/sample-nN-seedS/)")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("size", help="sample size for a confidence and a tolerable error rate")
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--tolerable", type=float, default=0.05, help="tolerable error rate (default 0.05)")
    p.add_argument("--expected-errors", type=int, default=0)
    p.add_argument("--margin", type=float, default=None, help="half-width for estimation (default: --tolerable)")
    p.add_argument("--expected-precision", type=float, default=0.5)
    p.add_argument("--population", type=int, default=None)
    p.set_defaults(func=_cmd_size)

    p = sub.add_parser("score", help="precision with Wilson intervals; corrections into the overlay")
    p.add_argument("worksheet", type=Path, help="a filled worksheet.xlsx or worksheet.csv")
    p.add_argument("--overlay", type=Path, default=DEFAULT_OVERLAY, help=f"default: {DEFAULT_OVERLAY}")
    p.add_argument("--confidence", type=float, default=0.95)
    p.add_argument("--reviewer", default=None, help="reviewer name for rows that leave it blank")
    p.set_defaults(func=_cmd_score)
