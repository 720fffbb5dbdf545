"""Every sample's Dockerfile lints clean: hadolint's JSON findings list is empty, and the
BuildKit build checks (which a 20.10 engine cannot run) find nothing."""

from __future__ import annotations

import pytest
import shipc
from buildkit_checks import check_dockerfile
from conftest import SAMPLES
from lint import hadolint_findings


@pytest.fixture(scope="module", params=SAMPLES, ids=lambda p: p.stem)
def output(request) -> str:
    path = request.param
    return shipc.compile_source(path.read_text(encoding="utf-8"), path.name).dockerfile


def test_hadolint_finds_nothing(output):
    assert hadolint_findings(output) == []


def test_buildkit_checks_find_nothing(output):
    assert check_dockerfile(output) == []


def test_no_inline_lint_pragmas(output):
    assert "hadolint ignore" not in output
