"""The canonical records of ogi: document, section, figure, finding (and their parts).

Every record is a frozen dataclass. Offsets (`start`, `end`) are always character offsets into the
document's **source text** (`Document.text`: what the page shows, in its original script), so that
``doc.text[f.start:f.end] == f.quote`` holds for every figure and finding that has a span.

Values stay :class:`decimal.Decimal` until the dataset is built (``pipeline.dataset``).
"""

from __future__ import annotations

from array import array
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from typing import Any, Literal, TypeVar

_R = TypeVar("_R")


def quick_init(cls: type[_R]) -> type[_R]:
    """Give a frozen slotted dataclass a faster constructor with the same parameters and effect.

    Why: a frozen dataclass's ``__setattr__`` raises, so its ``__init__`` must store each field through
    ``object.__setattr__`` (~1 µs per record here), and a page makes hundreds of figures and table cells.
    How: ``__new__`` builds the record as an instance of a twin class with the same slots and no
    ``__setattr__`` of its own (plain stores, ~3x faster), then gives it its real class: CPython allows
    ``__class__`` assignment between classes of the same layout. What comes out is an ordinary frozen
    instance of ``cls`` (equal, hashed, replaced and pickled as before; ``__init__`` has nothing left to do).
    Where the interpreter refuses the assignment, each field is stored through its slot's setter instead.
    Fields with a default factory are not supported (none of the hot records has one).

    >>> s = Section("a", "h", 0, 1, 1)
    >>> s == Section(section_id="a", heading="h", start=0, end=1, heading_end=1, known=True), type(s).__name__
    (True, 'Section')
    """
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    params, env = [], {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not MISSING or not f.init:
            raise TypeError(f"{cls.__name__}.{f.name}: only plain fields and defaults are supported")
        if f.default is MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    twin = type(f"_{cls.__name__}Twin", (), {"__slots__": names, "__module__": cls.__module__})
    try:  # the layouts must match: the same slots in the same order, no __dict__
        probe: Any = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:
        return _setter_init(cls, names, params, env)
    env.update(_new=object.__new__, _twin=twin)
    exec(f"def __new__(cls, {', '.join(params)}):\n    self = _new(_twin)\n"  # (generated as dataclasses does)
         + "".join(f"    self.{n} = {n}\n" for n in names) + "    self.__class__ = cls\n    return self\n", env)
    new: Any = env["__new__"]
    new.__qualname__, new.__doc__ = f"{cls.__qualname__}.__new__", cls.__init__.__doc__
    values = attrgetter(*names)
    cls.__new__ = staticmethod(new)  # type: ignore[method-assign]
    cls.__init__ = _built  # type: ignore[method-assign]
    # (pickle and copy would call __new__ with no arguments, then set the fields: give them the values instead)
    cls.__reduce__ = lambda self: (type(self), values(self))  # type: ignore[method-assign]
    return cls


def _built(self: Any, *args: Any, **kwargs: Any) -> None:
    """``__init__`` of a :func:`quick_init` record: ``__new__`` stored the fields."""


def _setter_init(cls: type[_R], names: tuple[str, ...], params: list[str], env: dict[str, Any]) -> type[_R]:
    """The fallback of :func:`quick_init`: an ``__init__`` storing each field through its slot's setter."""
    env.update({f"_set_{n}": cls.__dict__[n].__set__ for n in names})
    exec(f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    _set_{n}(self, {n})\n" for n in names), env)
    init: Any = env["__init__"]
    init.__qualname__, init.__doc__ = f"{cls.__qualname__}.__init__", cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls

#: A figure's kind (domain-spec §C.9): a printed ``0`` is a ``count`` with value 0; ``zero`` is a zero in words.
Kind = Literal["count", "percent", "rate", "amount", "zero"]
#: What a value (or a table cell) says: a number, a zero, a blank, not applicable, or text.
ValueSemantic = Literal["numeric", "zero", "empty", "na", "text"]
Scope = Literal["agency_only", "government_level", "jurisdiction_total", "unknown"]
Era = Literal["E2008", "E2014", "E2019", "E2021"]
AdminLevel = Literal["province", "city", "county", "district", "town", "department", "unknown"]
Severity = Literal["info", "warning", "error"]
#: A document's status in the outputs. ``ok``: parsed, report structure found. ``no_report``: read, but
#: nothing looks like an annual report. ``empty``: no text. ``unreadable``: not text (binary, undecodable).
#: ``failed``: the parser itself raised (a bug; the pipeline records it instead of crashing).
Status = Literal["ok", "no_report", "empty", "unreadable", "failed"]
MediaType = Literal["html", "text"]
FigureSource = Literal["text", "table"]
#: How the character encoding was decided, in the order the decoder tries.
DecodeMethod = Literal["bom", "http", "meta", "utf-8", "detected", "fallback", "str"]


@dataclass(frozen=True, slots=True)
class DecodeInfo:
    """How page bytes became text.

    >>> DecodeInfo(encoding="gb18030", method="meta", declared="gb2312", replacements=0)
    DecodeInfo(encoding='gb18030', method='meta', declared='gb2312', replacements=0)
    """

    encoding: str
    method: DecodeMethod
    declared: str | None = None  # the label the page or server declared, as written
    replacements: int = 0  # U+FFFD characters produced by decoding (damage indicator)


@dataclass(frozen=True, slots=True)
class TextView:
    """The normalized view of a source text with its offset map back to the source.

    ``text`` is simplified script, glued pinyin removed, full-width digits and punctuation folded.
    ``starts[i]``/``ends[i]`` are the source span of normalized character ``i``.

    >>> v = TextView.identity("ab")
    >>> v.to_source(0, 2)
    (0, 2)
    """

    text: str
    starts: array = field(compare=False, repr=False)
    ends: array = field(compare=False, repr=False)

    @staticmethod
    def identity(text: str) -> "TextView":
        return TextView(text, array("l", range(len(text))), array("l", range(1, len(text) + 1)))

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` to the source span that produced it."""
        if not self.text:
            return (0, 0)
        if end <= start:
            pos = self.starts[start] if start < len(self.text) else self.ends[-1]
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])


@dataclass(frozen=True, slots=True)
class Region:
    """A place resolved from title, issuer, breadcrumb or URL (GB/T 2260 code when known)."""

    name: str  # the most specific place name, e.g. 牡丹江市
    province: str | None = None
    prefecture: str | None = None
    county: str | None = None
    adcode: str | None = None
    department: str | None = None  # for department reports: the issuing department


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    region: Region | None = None
    admin_level: AdminLevel = "unknown"
    scope: Scope = "unknown"
    data_year: int | None = None
    era: Era | None = None
    issuer: str | None = None
    publish_date: str | None = None  # ISO date when the page states one
    url: str | None = None
    synthetic: bool = False  # True for documents written by ogi's synthetic generator


@quick_init
@dataclass(frozen=True, slots=True)
class Section:
    """A canonical section (domain-spec §A). ``start``/``end`` cover heading and body."""

    section_id: str
    heading: str  # as printed (source text)
    start: int
    end: int
    heading_end: int
    known: bool = True  # False: a heading we could not map (a finding says so)


@quick_init
@dataclass(frozen=True, slots=True)
class RawCell:
    """One original table cell at its top-left grid position, with its text's source span."""

    row: int
    col: int
    text: str
    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a <th>, or a cell in a header row


@dataclass(frozen=True, slots=True)
class RawTable:
    """A table as found in the page (or reconstructed from flattened text)."""

    index: int
    cells: tuple[RawCell, ...]
    n_rows: int
    n_cols: int
    start: int
    end: int
    origin: Literal["html", "text"] = "html"


@quick_init
@dataclass(frozen=True, slots=True)
class Figure:
    """One extracted number with its meaning and provenance.

    ``value`` is None only for table cells whose ``value_semantic`` is ``empty``/``na``/``text``.
    ``dims`` holds dimensions such as ``(("applicant", "natural_person"),)``.
    """

    metric: str
    value: Decimal | None
    unit: str  # canonical unit (e.g. 条, 件, %, 元)
    kind: Kind
    section: str
    quote: str  # exact source text at [start, end)
    start: int
    end: int
    rule: str  # id of the rule (or table reader) that produced it
    unit_raw: str = ""
    share_pct: Decimal | None = None
    approx: bool = False
    is_cumulative: bool = False
    value_semantic: ValueSemantic = "numeric"
    dims: tuple[tuple[str, str], ...] = ()
    source: FigureSource = "text"
    table: str | None = None  # "T2" / "T3" / "T4" / "appendix"
    row: str | None = None  # printed row label
    col: str | None = None  # printed column label
    cell: tuple[int, int] | None = None  # grid position in the RawTable


@quick_init
@dataclass(frozen=True, slots=True)
class Finding:
    """A problem or observation, as data. ``code`` is stable (documented in docs/findings.md)."""

    code: str
    severity: Severity
    message: str
    start: int | None = None
    end: int | None = None
    section: str | None = None
    rule: str = ""
    figures: tuple[int, ...] = ()  # indices into Document.figures
    expected: Decimal | None = None
    stated: Decimal | None = None
    details: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed page: its text, structure, figures and findings."""

    doc_id: str
    source: str  # path or URL as given
    sha256: str  # of the page bytes
    status: Status
    media_type: MediaType
    decode: DecodeInfo
    text: str  # the source text
    normalized: TextView
    metadata: Metadata
    sections: tuple[Section, ...] = ()
    tables: tuple[RawTable, ...] = ()
    figures: tuple[Figure, ...] = ()
    findings: tuple[Finding, ...] = ()
    extractor_version: str = ""
    n_bytes: int = 0
