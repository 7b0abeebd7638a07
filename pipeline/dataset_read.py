"""Reading a dataset folder written by ``ogi run``: one reader for every tool (checks, audit, review,
compare, notebooks), with the same types from Parquet and from the CSV fallback."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from pipeline.dataset_schema import SCHEMAS, TableName

#: Arrow → pandas types that keep integers integers (NA allowed) and flags booleans.
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame with the dataset's pandas types (``Int64``, ``boolean``)."""
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


#: Columns that give a table a stable row order whatever the run wrote first (docs/dataset.md).
_ORDER = ("source", "doc_id", "figure_index", "code", "start")
_CSV_TYPES: dict[str, dict[str, pa.DataType]] = {name: {f.name: f.type for f in schema}
                                                for name, schema in SCHEMAS.items()}


def _read_csv(path: Path, table: str, columns: list[str] | None) -> pa.Table:
    """A CSV file of the dataset with the types of its Parquet schema: ids such as ``doc_id`` or
    ``adcode`` stay strings (leading zeros kept), integers Int64, ``true``/``false`` booleans."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    types = _CSV_TYPES.get(table, {})
    keep = header if columns is None else [c for c in header if c in columns]
    options = pacsv.ConvertOptions(column_types={c: types[c] for c in keep if c in types}, include_columns=keep,
                                   strings_can_be_null=True, quoted_strings_can_be_null=False)
    return pacsv.read_csv(path, convert_options=options)


def _read_parquet(target: Path, columns: list[str] | None) -> pa.Table:
    import pyarrow.dataset as pads

    data = pads.dataset(str(target), format="parquet")
    return data.to_table(columns=None if columns is None else [c for c in columns if c in data.schema.names])


def _stable(frame: pd.DataFrame) -> pd.DataFrame:
    order = [c for c in _ORDER if c in frame]
    if not order:
        return frame
    return frame.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)


def read_table(dataset: Path | str, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """One table (``figures``, ``documents``, ``findings``) of a dataset folder, in a stable row order.

    ``TABLE.parquet`` (a file, or the partitioned directory of ``ogi run``) is preferred, else ``TABLE.csv``;
    both give the same types (integers ``Int64``, flags ``boolean``, ids strings). ``columns`` selects columns
    (those missing from the files are left out): e.g. the documents without their heavy ``text``.

    >>> read_table("outputs", "documents", ["doc_id", "adcode"]).dtypes.tolist()  # doctest: +SKIP
    [dtype('O'), dtype('O')]
    """
    base = Path(dataset)
    pq_path, csv_path = base / f"{table}.parquet", base / f"{table}.csv"
    wanted = None if columns is None else list(dict.fromkeys([*columns, *_ORDER]))  # sort keys, dropped below
    if pq_path.exists():
        data = _read_parquet(pq_path, wanted)
    elif csv_path.is_file():
        data = _read_csv(csv_path, table, wanted)
    else:
        raise FileNotFoundError(f"no {table}.parquet or {table}.csv in {base} (run `ogi run` first)")
    frame = _stable(to_pandas(data))
    return frame if columns is None else frame[[c for c in columns if c in frame]]


def load_dataset(path: Path | str = "outputs", table: TableName = "figures") -> pd.DataFrame:
    """A table of a dataset folder written by ``ogi run`` (figures by default), in a stable row order;
    ``path`` may also be one ``*.parquet`` file or directory (e.g. one partition).

    >>> df = load_dataset("outputs")  # doctest: +SKIP
    >>> df.groupby("metric")["value"].sum()  # doctest: +SKIP
    """
    base = Path(path)
    if base.is_dir() and not base.name.endswith(".parquet"):
        return read_table(base, table)
    return _stable(to_pandas(_read_parquet(base, None)))
