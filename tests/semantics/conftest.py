"""Fixtures of the executed-semantics suite: the stand-in base images, made once per
session (reused when present), and the removal of every image the cases built."""

from __future__ import annotations

import pytest

from e2e.engine import docker
from semantics import harness, standins


@pytest.fixture(scope="session", autouse=True)
def standin_images():
    """Every stand-in base exists before the first case builds; the cases' own images
    are removed afterwards. A distroless stand-in made here (the e2e suite had not made
    the real one) is removed too, so that the e2e suite does not take it for its own."""
    made_distroless = not standins.exists(standins.DISTROLESS_STATIC)
    standins.ensure()
    yield
    harness.remove_built()
    if made_distroless:
        docker("rmi", standins.DISTROLESS_STATIC)
