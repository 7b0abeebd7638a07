"""Panel charts (PNG, matplotlib without pyplot's global state) with Chinese labels.

Font: the Noto Sans CJK SC file shipped by the ``mplfonts`` dependency first (the same chart on every
machine), then any installed font that matplotlib's font manager knows and that covers the labels (Noto
Sans CJK, Source Han Sans, WenQuanYi, SimHei, …). With none, labels fall back to adcodes and metric ids and
the chart says so (``ChartResult.warnings``): a chart of empty boxes is never written silently.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

#: Characters every CJK label font must have (place, unit and metric label characters).
CJK_PROBE = "牡丹江市黑龙江省收到申请数件条年公开率"
_FAMILY_HINTS = ("CJK", "Source Han Sans", "Noto Sans SC", "WenQuanYi", "SimHei", "YaHei", "PingFang", "Heiti",
                 "Droid Sans Fallback", "AR PL")
#: First data year of each reporting format (domain-spec §0); drawn as dashed lines.
ERA_STARTS = ((2014, "E2014"), (2019, "E2019 格式"), (2021, "E2021 格式"))
MAX_SERIES = 12


@dataclass(frozen=True, slots=True)
class FontChoice:
    path: Path | None
    family: str | None
    origin: Literal["mplfonts", "system", "none"]


@dataclass(frozen=True, slots=True)
class ChartResult:
    path: Path
    font: FontChoice
    labels: tuple[str, ...]  # every text drawn from data: title, axis label, legend entries
    warnings: tuple[str, ...]


def font_covers(path: Path, text: str) -> bool:
    """True when the font file (first face of a collection) has a glyph for every non-ASCII character.

    >>> font_covers(Path("/nonexistent.otf"), "中")
    False
    """
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(path), fontNumber=0, lazy=True)
        cmap = font.getBestCmap() or {}
    except Exception:  # unreadable or not a font: not usable
        return False
    return all(ord(ch) in cmap for ch in text if ord(ch) > 127)


def _mplfonts_file() -> Path | None:
    try:
        from importlib.resources import files

        path = Path(str(files("mplfonts") / "fonts" / "NotoSansCJKsc-Regular.otf"))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> FontChoice:
    """The font for Chinese labels (cached per process)."""
    from matplotlib import font_manager

    shipped = _mplfonts_file()
    if shipped is not None and font_covers(shipped, CJK_PROBE):
        font_manager.fontManager.addfont(str(shipped))
        return FontChoice(shipped, font_manager.FontProperties(fname=str(shipped)).get_name(), "mplfonts")
    candidates = sorted({(e.name, e.fname) for e in font_manager.fontManager.ttflist
                         if any(h.lower() in e.name.lower() for h in _FAMILY_HINTS)},
                        key=lambda nf: (" SC" not in nf[0] and "CN" not in nf[0], nf[0]))
    for name, fname in candidates:
        if font_covers(Path(fname), CJK_PROBE):
            return FontChoice(Path(fname), name, "system")
    return FontChoice(None, None, "none")


def _ascii_label(cells: pd.DataFrame, series: str) -> str:
    row = cells[cells["series"] == series].iloc[0]
    code = row["adcode"] if isinstance(row["adcode"], str) else row["doc_id"]
    return f"{code} {row['scope']}" if "[" in series else str(code)


def draw_chart(cells: pd.DataFrame, path: Path, *, title_zh: str, metric: str, unit: str,
               by: Literal["region", "year"] = "region", note: str = "",
               font: FontChoice | None = None) -> ChartResult:
    """Draw the panel: a line per place over the years (``by="region"``) or bars per year (``by="year"``)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = find_cjk_font() if font is None else font
    warnings: list[str] = []
    series = list(dict.fromkeys(cells["series"])) if not cells.empty else []
    if len(series) > MAX_SERIES:
        latest = cells.sort_values("data_year").groupby("series")["value"].last().sort_values(ascending=False)
        series = [s for s in series if s in set(latest.index[:MAX_SERIES])]
        warnings.append(f"only the {MAX_SERIES} places with the highest latest value are drawn")
    cjk = font.path is not None
    if cjk:
        names = {s: s for s in series}
        title = f"{title_zh} · {metric}"
    else:
        names = {s: _ascii_label(cells, s) for s in series}
        title = metric
        warnings.append("no CJK font found: places are labelled by adcode (install fonts-noto-cjk or mplfonts)")
    rc: dict[str, Any] = {"font.family": "sans-serif", "axes.unicode_minus": False,
          "font.sans-serif": [font.family, "DejaVu Sans"] if font.family else ["DejaVu Sans"]}
    with rc_context(rc):  # type: ignore[arg-type]  # typed keys; ours are valid rc names
        fig = Figure(figsize=(9, 5.2), dpi=110)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        years = sorted(cells["data_year"].unique()) if not cells.empty else []
        if by == "year":
            width = 0.8 / max(len(series), 1)
            for i, s in enumerate(series):
                part = cells[cells["series"] == s].set_index("data_year")["value"].reindex(years)
                ax.bar([y - 0.4 + width * (i + 0.5) for y in years], part.astype(float), width, label=names[s])
        else:
            for s in series:  # a year the place lacks breaks its line (no interpolation across gaps)
                part = cells[cells["series"] == s].set_index("data_year")["value"].reindex(years)
                ax.plot(years, part.astype(float), marker="o", label=names[s])
        if years:
            for start, era in ERA_STARTS:
                if years[0] < start <= years[-1]:
                    ax.axvline(start - 0.5, color="0.6", linestyle="--", linewidth=0.8)
                    ax.text(start - 0.45, 1.0, era if cjk else era.split()[0], transform=ax.get_xaxis_transform(),
                            va="top", ha="left", fontsize=8, color="0.4")
            ax.set_xticks(years)
            ax.set_xticklabels([str(y) for y in years])
        else:
            ax.text(0.5, 0.5, "无数据 / no data" if cjk else "no data", transform=ax.transAxes, ha="center")
        ax.set_title(title, fontsize=13)
        ylabel = unit if cjk or unit.isascii() else ""
        ax.set_ylabel(ylabel)
        ax.set_xlabel("数据年度" if cjk else "data year")
        ax.grid(True, axis="y", color="0.9")
        if series:
            ax.legend(fontsize=9, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        if note:
            fig.text(0.01, 0.01, note if cjk else note.encode("ascii", "replace").decode(), fontsize=7, color="0.4")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
    labels = (title, ylabel, ax.get_xlabel(), note if cjk else "", *names.values())
    return ChartResult(path, font, labels, tuple(warnings))


def chart_labels_covered(result: ChartResult, extra: Sequence[str] = ()) -> bool:
    """True when the chart's font has a glyph for every character drawn (the test of readable labels)."""
    if result.font.path is None:
        return all(lbl.isascii() for lbl in result.labels)
    return font_covers(result.font.path, "".join([*result.labels, *extra]))
