"""The model says once, in each stage field's metadata, which kinds may set it, what Docker
does with it and how a runtime written out from another takes it; the passes derive their
lists from there. These tests make a new field without that metadata, or a pass that
disagrees with it, fail here instead of being silently lost in one pass."""

from __future__ import annotations

import pytest
from shipc import model, record
from shipc.directives import DIRECTIVES
from shipc.errors import Span
from shipc.expanded_values import SHAPES

SPAN = Span(1, 1, 1, 2)
FIELDS = model.stage_fields()
# The directive that sets each field, where the names differ.
FIELD_OF = {"run": "steps", "copy": "steps", "secret": "secrets", "cache": "caches"}
FIELD_OF |= {"artifact": "artifacts", "volume": "volumes", "label": "labels"}
FIELD_OF |= {"base-env": "base_env", "copies": "link", "file": "steps"}
FIELD_OF |= {"binary": "artifacts"}  # and its command among the steps
FIELD_OF |= {"as": "user"}  # `as user|root`: who runs the runtime's steps after it


def _stage(kind: str, **fields) -> model.Stage:
    base = model.Image(model.Text("x:1", SPAN), SPAN)
    return model.Stage(kind=kind, name=model.Text(kind, SPAN), base=base, span=SPAN, **fields)


def test_every_field_a_directive_sets_has_its_metadata():
    plain = {"kind", "name", "base", "span", "inherited_steps", "from_runtime", "written_from"}
    for field in record.fields(model.Stage):
        if field.name in plain:
            continue
        assert field in FIELDS, f"{field.name} has no metadata"
        assert field.metadata["kinds"] <= set(model.KINDS)
        assert field.metadata["docker"] in {
            "expands",
            "in-runtimes",
            "shell",
            "exec",
            "mount",
            "none",
        }
        assert field.metadata["inherit"] in {"concat", "override", None}
        assert field.metadata["from_build"] in {"concat", None}


def test_a_stage_from_a_build_takes_only_mounts_beyond_what_docker_carries():
    """Docker's FROM carries a stage's files, env and work directory, never its mounts: the
    caches are the one field a stage built from a build or test takes from it."""
    assert {f.name for f in model.stage_fields(from_build="concat")} == {"caches"}
    assert all(f.metadata["docker"] == "mount" for f in model.stage_fields(from_build="concat"))


@pytest.mark.parametrize("directive", sorted(DIRECTIVES))
def test_each_directive_is_allowed_where_its_field_is(directive):
    field = {f.name: f for f in FIELDS}[FIELD_OF.get(directive, directive)]
    assert DIRECTIVES[directive].kinds == field.metadata["kinds"]


def test_every_field_a_runtime_sets_is_inherited_somehow():
    """A runtime `from` a runtime takes what that runtime says: no field may be dropped."""
    for field in FIELDS:
        if model.RUNTIME in field.metadata["kinds"]:
            assert field.metadata["inherit"] is not None, field.name


def test_each_expanded_field_has_its_shape_checked():
    expanded = {f.name for f in model.stage_fields(docker="expands")}
    assert set(SHAPES) | {"env", "steps"} == expanded


def test_a_stage_cannot_hold_a_field_its_kind_may_not_set():
    package = model.Text("curl", SPAN)
    with pytest.raises(ValueError, match="a build stage cannot hold 'extensions'"):
        _stage("build", extensions=(package,))
    with pytest.raises(ValueError, match="a runtime stage cannot hold 'artifacts'"):
        _stage("runtime", artifacts=(model.Artifact(package, None, SPAN),))
    assert _stage("test", packages=(package,), from_runtime=True).packages == (package,)
