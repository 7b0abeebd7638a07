"""The throughput benchmark's page corpus: reused only while the generator that wrote it is unchanged."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _throughput() -> ModuleType:  # benchmarks/ is not a package: load the script as a module
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("throughput", BENCH / "throughput.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_pages_are_reused_only_under_the_same_generator(tmp_path: Path) -> None:
    t = _throughput()
    paths, total = t.generate(tmp_path, 3, seed=1, kind="thin")
    assert [p.read_bytes() for p in paths] == [t.page(i, 1, "thin") for i in range(3)]
    assert total == sum(p.stat().st_size for p in paths)
    assert (tmp_path / t.STAMP).read_text().strip() == t.generator_stamp(1, "thin")

    paths[0].write_bytes(b"kept")  # same generator, seed and kind: pages on disk are reused as they are
    t.generate(tmp_path, 3, seed=1, kind="thin")
    assert paths[0].read_bytes() == b"kept"

    (tmp_path / t.STAMP).write_text("an older generator\n")  # written by other code: every page again
    t.generate(tmp_path, 3, seed=1, kind="thin")
    assert paths[0].read_bytes() == t.page(0, 1, "thin")

    t.generate(tmp_path, 3, seed=2, kind="thin")  # another seed is another corpus
    assert paths[0].read_bytes() == t.page(0, 2, "thin") != t.page(0, 1, "thin")
    assert t.generator_stamp(2, "thin") not in (t.generator_stamp(1, "thin"), t.generator_stamp(2, "realistic"))
