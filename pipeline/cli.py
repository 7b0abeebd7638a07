"""`ogi`: a thin command-line skin over the library functions.

Exit codes: 0 success; 1 when no document at all could be read; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from parsers.page import parse_page
from parsers.records import Document, Figure
from parsers.settings import EXTRACTOR_VERSION, ParseSettings, load_resources
from pipeline.executors import EXECUTOR_KINDS, ExecutorConfig, ExecutorKind
from pipeline.rows import json_number
from pipeline.run import RunConfig, run

#: Feature modules that add their own subcommands through ``register(subparsers)``.
FEATURE_MODULES = ("pipeline.evaluate", "pipeline.crawl.cli", "pipeline.checks", "pipeline.audit",
                   "pipeline.review", "pipeline.compare")
DEFAULT_OVERLAY = Path("audit/overlay.csv")


def _cmd_run(args: argparse.Namespace) -> int:
    kind: ExecutorKind = args.executor or ("serial" if args.workers == 1 else "process")
    if kind == "dask" and not args.scheduler:
        print("ogi run: --executor dask needs --scheduler tcp://HOST:PORT", file=sys.stderr)
        return 2
    executor = ExecutorConfig(kind=kind, workers=args.workers, scheduler=args.scheduler)
    config = RunConfig(corpus=tuple(args.corpus or ()), out=args.out, executor=executor,
                       settings=ParseSettings(), overlay=args.overlay, force=args.force,
                       part_docs=max(1, args.part_docs), compare=not args.no_compare)
    try:
        summary = run(config, progress_stream=sys.stderr)
    except FileNotFoundError as exc:
        print(f"ogi run: {exc}", file=sys.stderr)
        return 2
    print(summary.text())
    if summary.readable == 0:
        print("ogi run: no document could be read", file=sys.stderr)
        return 1
    return 0


def figure_record(source: str, doc: Document, f: Figure) -> dict[str, Any]:
    """The `ogi extract` contract: one JSON object per figure (see README)."""
    record: dict[str, Any] = {
        "source": source, "doc_id": doc.doc_id, "metric": f.metric, "value": json_number(f.value),
        "unit": f.unit, "kind": f.kind, "section": f.section, "quote": f.quote, "start": f.start,
        "end": f.end,
    }
    if f.share_pct is not None:
        record["share_pct"] = json_number(f.share_pct)
    if f.approx:
        record["approx"] = True
    if f.is_cumulative:
        record["is_cumulative"] = True
    if f.unit_raw and f.unit_raw != f.unit:
        record["unit_raw"] = f.unit_raw
    if f.source == "table":
        record.update(table=f.table, row=f.row, col=f.col, value_semantic=f.value_semantic)
        record.update({k: v for k, v in f.dims})
    record["rule"] = f.rule
    return record


def _parse_paths(paths: list[Path]) -> list[tuple[str, Document]]:
    resources = load_resources()
    docs = []
    for path in paths:
        data = path.read_bytes()
        docs.append((str(path), parse_page(data, source=str(path), resources=resources)))
    return docs


def _check_files(paths: list[Path]) -> str | None:
    for p in paths:
        if not p.is_file():
            return f"not a file: {p}"
    return None


def _cmd_extract(args: argparse.Namespace) -> int:
    if (problem := _check_files(args.paths)):
        print(f"ogi extract: {problem}", file=sys.stderr)
        return 2
    records = [figure_record(src, doc, f) for src, doc in _parse_paths(args.paths) for f in doc.figures]
    if args.format == "jsonl":
        for rec in records:
            print(json.dumps(rec, ensure_ascii=False))
    else:
        fields = ["source", "doc_id", "metric", "value", "unit", "kind", "section", "share_pct", "quote",
                  "start", "end", "table", "row", "col", "applicant", "rule"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    return 0


def document_json(doc: Document) -> dict[str, Any]:
    """`ogi parse` output: metadata, sections with headings and offsets, findings."""
    m = doc.metadata
    return {
        "source": doc.source, "doc_id": doc.doc_id, "status": doc.status, "sha256": doc.sha256,
        "decode": {"encoding": doc.decode.encoding, "method": doc.decode.method,
                   "declared": doc.decode.declared, "replacements": doc.decode.replacements},
        "metadata": {
            "title": m.title, "region": m.region.name if m.region else None,
            "province": m.region.province if m.region else None,
            "adcode": m.region.adcode if m.region else None,
            "department": m.region.department if m.region else None,
            "admin_level": m.admin_level, "scope": m.scope, "data_year": m.data_year, "era": m.era,
            "issuer": m.issuer, "publish_date": m.publish_date, "url": m.url, "synthetic": m.synthetic,
        },
        "sections": [{"section_id": s.section_id, "heading": s.heading, "start": s.start, "end": s.end,
                      "known": s.known} for s in doc.sections],
        "n_chars": len(doc.text), "n_tables": len(doc.tables), "n_figures": len(doc.figures),
        "findings": [{"code": f.code, "severity": f.severity, "message": f.message, "start": f.start,
                      "end": f.end, "section": f.section} for f in doc.findings],
        "extractor_version": doc.extractor_version,
    }


def _cmd_parse(args: argparse.Namespace) -> int:
    if (problem := _check_files(args.paths)):
        print(f"ogi parse: {problem}", file=sys.stderr)
        return 2
    for _, doc in _parse_paths(args.paths):
        print(json.dumps(document_json(doc), ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ogi", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"ogi {EXTRACTOR_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="parse a corpus and write the tidy dataset")
    p.add_argument("--corpus", type=Path, action="append",
                   help="folder of .html/.htm/.txt/.md files or WARC files (repeatable; default: bundled corpus)")
    p.add_argument("--out", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: all cores; 1: serial)")
    p.add_argument("--executor", choices=EXECUTOR_KINDS, default=None,
                   help="serial, process (local pool, the default), dask (a running cluster: needs "
                        "--scheduler) or dask-local (a LocalCluster of --workers processes)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--force", action="store_true",
                   help="re-parse every document (default: reuse unchanged documents already in --out)")
    p.add_argument("--part-docs", type=int, default=256,
                   help="documents per part file: the unit of work an interrupted run keeps (default: 256)")
    p.add_argument("--overlay", type=Path, default=DEFAULT_OVERLAY if DEFAULT_OVERLAY.exists() else None,
                   help=f"audit corrections to apply (default: {DEFAULT_OVERLAY} when it exists)")
    p.add_argument("--no-compare", action="store_true",
                   help="skip the codebook and the default comparison written next to the dataset")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("extract", help="print the figures of the given files")
    p.add_argument("paths", type=Path, nargs="+", help=".html/.htm pages or .txt/.md extracted text")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.set_defaults(func=_cmd_extract)

    p = sub.add_parser("parse", help="print the parsed document (metadata, sections, findings) as JSON")
    p.add_argument("paths", type=Path, nargs="+")
    p.set_defaults(func=_cmd_parse)

    for name in FEATURE_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # jieba logs its dictionary loading on stderr at DEBUG and resets its logger's level when imported,
    # so a filter (which survives the import) keeps the terminal for progress and results.
    logging.getLogger("jieba").addFilter(lambda record: record.levelno >= logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run" and args.workers < 0:
        parser.error("--workers must be >= 0")
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
