"""Shared fixtures: per-session parser resources, the repo and ../shared locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.settings import Resources, load_resources

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def resources() -> Resources:
    return load_resources()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared (domain material) is absent")
    return SHARED
