"""parse_page never raises, whatever the bytes (hypothesis), and keeps its invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.page import parse_page
from parsers.settings import load_resources

RESOURCES = load_resources()
FRAGMENTS = st.sampled_from([
    b"<table><tr><td rowspan=3>", b"</td>", b"<p>", "二、主动公开政府信息情况".encode(), "共受理申请28件，占4.5%".encode(),
    "機構(gòu)".encode("gbk"), b"\xe4\xb8", b"<meta charset=gb2312>", b"\x00", "（一）".encode(), b"<!--", b"&#", b"|",
])


def _check(data: bytes, name: str) -> None:
    doc = parse_page(data, source=name, resources=RESOURCES)
    assert doc.status in {"ok", "no_report", "empty", "unreadable", "failed"}
    for f in doc.figures:
        assert doc.text[f.start:f.end] == f.quote
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(doc.text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.html", "a.txt"]))
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    _check(data, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(FRAGMENTS, st.binary(max_size=20)), max_size=40),
       name=st.sampled_from(["a.html", "a.txt"]))
def test_page_like_bytes_never_raise(parts: list[bytes], name: str) -> None:
    _check(b"".join(parts), name)
