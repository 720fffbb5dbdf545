"""Every directive, top-level statement, block kind, healthcheck option, toolchain,
dependency manager and runtime preset has an engine case.

The names are read from the compiler's own tables, so a directive added there without a
case fails here; the cases are found by their `@case(…)` registration in the suite's
test modules, loaded afresh so that the check does not depend on which tests were
selected. A case that is a known bug (a strict xfail) does not count: it proves nothing
works yet.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from shipc import directives, interpret, presets

pytestmark = pytest.mark.engine

HERE = Path(__file__).parent


def required() -> set[str]:
    names = set(directives.DIRECTIVES) | set(directives.toplevel.TOP_LEVEL) | set(interpret.KINDS)
    names |= {f"healthcheck.{option}" for option in directives.container.HEALTH_OPTIONS}
    names |= {f"toolchain.{name}" for name in presets.TOOLCHAINS}
    names |= {f"manager.{m}" for t in presets.TOOLCHAINS.values() for m in t.managers}
    names |= {f"runtime.{name}" for name in presets.RUNTIMES}
    return names


def covered() -> dict[str, list[str]]:
    """name -> the cases (module::function) registered for it, known bugs left out."""
    found: dict[str, list[str]] = {}
    for path in sorted(HERE.glob("test_sem_*.py")):
        if path.name == Path(__file__).name:
            continue
        spec = importlib.util.spec_from_file_location(f"_coverage_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for attr, fn in vars(module).items():
            if not attr.startswith("test_") or not hasattr(fn, "ship_covers"):
                continue
            marks = getattr(fn, "pytestmark", [])
            if any(m.name == "xfail" for m in marks):
                continue
            for name in fn.ship_covers:
                found.setdefault(name, []).append(f"{path.name}::{attr}")
    return found


def test_every_directive_has_an_engine_case():
    missing = sorted(required() - set(covered()))
    assert not missing, f"no engine case (tests/semantics) for: {', '.join(missing)}"


def test_cases_name_only_known_directives():
    """A misspelt registration would cover nothing."""
    unknown = sorted(set(covered()) - required())
    assert not unknown, f"@case names unknown to the compiler: {', '.join(unknown)}"


@pytest.mark.parametrize("name", ["env", "healthcheck.retries", "runtime.scratch"])
def test_the_check_is_real(name, monkeypatch):
    """Taking a name's cases away makes the check fail."""
    real = covered()
    without = {k: v for k, v in real.items() if k != name}
    monkeypatch.setattr(sys.modules[__name__], "covered", lambda: without)
    with pytest.raises(AssertionError, match=name.replace(".", r"\.")):
        test_every_directive_has_an_engine_case()
