"""The codebook (data dictionary): every metric id with Chinese label, unit, kind, eras, definition, caveats.

One source of truth: rows come from :data:`parsers.taxonomy.METRICS` (source metrics) and
:data:`pipeline.derived.DERIVED` (derived metrics, with their formula). Next to a dataset the codebook also
names the dataset version, extractor version and config hash (from ``manifest.json``) on every row, counts
the figures of each metric, and lists metrics found in the dataset that the taxonomy does not know.

``python -m pipeline.codebook`` regenerates docs/codebook.md and docs/codebook.csv;
``ogi codebook --dataset DIR`` writes DIR/codebook.csv.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from parsers.taxonomy import DERIVED_SUFFIXES, FAMILY_TOPIC, METRICS, family
from pipeline.derived import DERIVED, LEGAL_PERSON_DEF, NOT_COMPUTED, Derived

COLUMNS = ["metric", "label_zh", "unit", "kind", "eras", "family", "definition", "caveats", "is_derived",
           "formula", "in_taxonomy", "n_figures", "dataset_version", "extractor_version", "config_hash"]
DOCS = Path(__file__).resolve().parents[1] / "docs"


def _derived_row(d: Derived, computed: bool) -> dict[str, Any]:
    caveats = d.caveats if computed else d.caveats or "Not computed."
    return {"metric": d.id, "label_zh": d.label_zh, "unit": d.unit, "kind": "rate" if d.kind == "ratio" else "count",
            "eras": " ".join(d.eras), "family": family(d.id), "definition": d.definition, "caveats": caveats,
            "is_derived": True, "formula": d.formula(), "in_taxonomy": True}


def codebook_rows() -> list[dict[str, Any]]:
    """Every metric of the taxonomy, then every derived metric (sorted by id within each part).

    >>> rows = codebook_rows()
    >>> next(r for r in rows if r["metric"] == "requests.received.total")["label_zh"]
    '收到申请数'
    >>> next(r for r in rows if r["metric"] == "requests.rate.disclosed")["is_derived"]
    True
    """
    rows = [{"metric": m.id, "label_zh": m.label_zh, "unit": m.unit, "kind": m.kind, "eras": " ".join(m.eras),
             "family": family(m.id), "definition": m.definition, "caveats": m.caveats, "is_derived": False,
             "formula": "", "in_taxonomy": True} for m in sorted(METRICS.values(), key=lambda m: m.id)]
    derived = [_derived_row(d, True) for d in DERIVED if d.id not in METRICS]
    derived += [_derived_row(d, True) for d in DERIVED if d.id in METRICS]  # sums: also a stated metric
    derived += [_derived_row(LEGAL_PERSON_DEF, True)] + [_derived_row(d, False) for d in NOT_COMPUTED]
    return rows + sorted(derived, key=lambda r: str(r["metric"]))


def dataset_version(dataset: Path, manifest: dict[str, Any]) -> str:
    """The manifest's ``dataset_version`` when it has one, else a content hash of the figures file."""
    if manifest.get("dataset_version"):
        return str(manifest["dataset_version"])
    path = dataset / "figures.csv"  # the CSV: one file, byte-stable for the same content
    if not path.is_file():
        return ""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"{manifest.get('extractor_version', '?')}+{digest.hexdigest()[:12]}"


def _write_csv(rows: list[dict[str, Any]], path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(path)
    return path


_SUFFIX_TEXT = {".share_pct": ("占比", "Stated share of the total, in %"),
                ".yoy_pct": ("同比增减", "Stated change on the previous year, in %"),
                ".yoy_abs": ("同比增减量", "Stated change on the previous year, in the metric's unit")}


def _extra_row(metric: str) -> dict[str, Any]:
    """A metric found in a dataset but not listed: a suffix form of a listed id, or unknown."""
    for suffix in DERIVED_SUFFIXES:
        base = metric[: -len(suffix)]
        if metric.endswith(suffix) and base in METRICS:
            label, text = _SUFFIX_TEXT.get(suffix, ("", "Stated variant"))
            m = METRICS[base]
            return {"metric": metric, "label_zh": m.label_zh + label, "unit": "%" if suffix.endswith("pct") else m.unit,
                    "kind": "percent", "eras": " ".join(m.eras), "family": family(metric),
                    "definition": f"{text} of {base}: {m.definition}", "caveats": "As printed; not recomputed.",
                    "is_derived": False, "formula": "", "in_taxonomy": True}
    return {"metric": metric, "label_zh": "", "unit": "", "kind": "", "eras": "", "family": family(metric),
            "definition": "(found in this dataset; not in the taxonomy)", "caveats": "", "is_derived": False,
            "formula": "", "in_taxonomy": False}


def _metric_counts(path: Path) -> dict[str, int]:
    """Figures per metric, counted batch by batch: memory depends on the number of metrics, not of rows."""
    if not path.exists():  # a file or a partitioned directory
        return {}
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    counts: Counter[str] = Counter()
    for batch in pads.dataset(path, format="parquet").to_batches(columns=["metric"]):
        for item in pc.value_counts(batch.column(0)).to_pylist():
            if item["values"] is not None:
                counts[str(item["values"])] += int(item["counts"])
    return dict(counts)


def write_codebook(dataset: Path) -> Path:
    """Write ``codebook.csv`` next to a dataset (rows stamped with dataset/extractor version and config hash)."""
    manifest_path = dataset / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    counts = _metric_counts(dataset / "figures.parquet")
    rows = codebook_rows()
    known = {r["metric"] for r in rows}
    rows += [_extra_row(m) for m in sorted(set(counts) - known)]
    stamp = {"dataset_version": dataset_version(dataset, manifest),
             "extractor_version": manifest.get("extractor_version", ""),
             "config_hash": manifest.get("settings_fingerprint", "")}
    for r in rows:
        r.update(stamp, n_figures=counts.get(str(r["metric"]), 0))
    return _write_csv(rows, dataset / "codebook.csv")


def _md_cell(v: Any) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(rows: list[dict[str, Any]]) -> str:
    from parsers.settings import EXTRACTOR_VERSION

    out = ["# Codebook: metric ids of the ogi dataset", "",
           "Generated by `python -m pipeline.codebook` from `parsers/taxonomy.py` (source metrics) and "
           "`pipeline/derived.py` (derived metrics). Do not edit by hand. The same table is `docs/codebook.csv`; "
           "`ogi codebook --dataset DIR` writes it next to a dataset, stamped with the dataset version, extractor "
           "version and config hash of `manifest.json`.", "",
           f"Extractor version {EXTRACTOR_VERSION}. Derived metrics (`is_derived`) are computed only from figures "
           "of the same report and scope; a rate is NA when its denominator is 0 (domain-spec §C.8).", ""]
    header = ["metric", "中文", "unit", "kind", "eras", "definition", "caveats"]
    order = list(FAMILY_TOPIC)  # the taxonomy's order of families (proactive first)
    families = sorted(dict.fromkeys(str(r["family"]) for r in rows),
                      key=lambda f: (order.index(f) if f in order else len(order), f))
    for fam in families:
        for derived in (False, True):
            part = [r for r in rows if r["family"] == fam and r["is_derived"] == derived]
            if not part:
                continue
            out += [f"## {fam}" + (" (derived)" if derived else ""), "", "| " + " | ".join(header) + " |",
                    "|" + "---|" * len(header)]
            for r in part:
                definition = r["definition"] + (f" Formula: `{r['formula']}`." if r["formula"] else "")
                out.append("| " + " | ".join(_md_cell(x) for x in (
                    f"`{r['metric']}`", r["label_zh"], r["unit"], r["kind"], r["eras"], definition,
                    r["caveats"])) + " |")
            out.append("")
    return "\n".join(out)


def write_docs(docs: Path = DOCS) -> list[Path]:
    """Regenerate docs/codebook.md and docs/codebook.csv (no dataset stamp: dataset columns stay empty)."""
    from parsers.settings import EXTRACTOR_VERSION

    rows = codebook_rows()
    for r in rows:
        r.update(extractor_version=EXTRACTOR_VERSION)
    docs.mkdir(parents=True, exist_ok=True)
    md = docs / "codebook.md"
    md.write_text(codebook_markdown(rows), encoding="utf-8")
    return [md, _write_csv(rows, docs / "codebook.csv")]


if __name__ == "__main__":
    for written in write_docs(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS):
        print(written)
