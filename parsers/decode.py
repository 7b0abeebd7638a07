"""Placeholder decode (replaced by the full decoder)."""
from __future__ import annotations

from parsers.records import DecodeInfo, Finding


def looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:4096]


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, DecodeInfo]:
    text = data.decode("utf-8", errors="replace")
    return text, DecodeInfo("utf-8", "fallback", None, text.count("\ufffd"))


def decode_findings(info: DecodeInfo, n_chars: int) -> list[Finding]:
    return []
