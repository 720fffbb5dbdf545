"""Shared test set-up: helper modules on the path, the engine marker, Dockerfile snapshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLES = sorted((ROOT / "samples").glob("*.ship"))

sys.path.insert(0, str(TESTS))


class DockerfileSnapshot(SingleFileSnapshotExtension):
    """One readable Dockerfile per snapshot, so a reviewer reads real output in a diff."""

    _write_mode = WriteMode.TEXT
    file_extension = "Dockerfile"


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


def read_terminal(controller: int) -> bytes:
    """All a pseudo-terminal's program side wrote, read from its controller side until the
    terminal is closed and drained (EIO), for tests of what ship writes on a terminal."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def dockerfile_snapshot(snapshot):
    return snapshot.use_extension(DockerfileSnapshot)


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(TextSnapshot)


def pytest_collection_modifyitems(config, items):
    """Engine tests skip, with the reason, where no Docker engine answers. In CI
    (REQUIRE_ENGINE=1) a missing engine is a failure, not a skip."""
    engine_items = [item for item in items if item.get_closest_marker("engine")]
    if not engine_items:
        return
    from e2e.engine import engine_available

    ok, reason = engine_available()
    if ok:
        return
    if os.environ.get("REQUIRE_ENGINE") == "1":
        raise pytest.UsageError(f"REQUIRE_ENGINE=1 but the engine tests cannot run: {reason}")
    for item in engine_items:
        item.add_marker(pytest.mark.skip(reason=f"no Docker engine: {reason}"))
