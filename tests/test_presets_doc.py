"""docs/presets.md is generated from the preset tables: it must be current, and it must
list every toolchain, manager, variant, runtime, family, installer and fit rule."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from shipc import presets, record

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("presets_doc", ROOT / "scripts" / "presets_doc.py")
generator = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generator)


def test_docs_presets_md_is_current():
    current = generator.OUTPUT.read_text("utf-8")
    assert current == generator.render(), (
        f"docs/presets.md is stale: run `{generator.COMMAND}` and commit the result"
    )


def test_the_check_fails_on_a_stale_file_and_names_the_command(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "presets.md"
    stale.write_text(generator.render().replace("| `go` |", "| `golang` |"), "utf-8")
    monkeypatch.setattr(generator, "OUTPUT", stale)
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.main(["--check"]) == 1
    assert generator.COMMAND in capsys.readouterr().err
    assert generator.main([]) == 0 and generator.main(["--check"]) == 0


def _names() -> list[str]:
    names = [f"`{n}`" for n in (*presets.TOOLCHAINS, *presets.RUNTIMES, *presets.FAMILIES)]
    names += [f"`{n}`" for n in (*presets.CAPABILITIES, *presets.PACKAGE_INSTALLERS)]
    for table in (presets.TOOLCHAINS, presets.RUNTIMES):
        for preset in table.values():
            names += [f"`{n}`" for n in (*preset.variants, *preset.managers)]
            names += [f"`{preset.image}`"] if preset.image else []
    return names


@pytest.mark.parametrize("name", sorted(set(_names())))
def test_every_preset_name_is_listed(name):
    assert name in generator.render()


def test_a_setting_without_a_column_is_still_listed(monkeypatch):
    """A new kind of setting (a field this script has no column for) appears anyway."""
    go = presets.TOOLCHAINS["go"]
    odd = record.replace(go, image_env=("SOMETHING_NEW",))
    monkeypatch.setitem(presets.TOOLCHAINS, "go", odd)
    assert "image env `SOMETHING_NEW`" in generator.render()


def test_every_head_in_the_doc_compiles_to_its_image():
    """The tag tables say what ship writes: each head, compiled, gives the image shown."""
    import shipc

    heads = [
        line
        for line in generator.render().splitlines()
        if line.startswith(("| `build ", "| `runtime "))
    ]
    assert len(heads) > len(presets.TOOLCHAINS) + len(presets.RUNTIMES)
    for line in heads:
        head, image = (cell.strip(" `") for cell in line.strip("|").split("|"))
        kind = head.split()[0]
        source = f"app a\n{head} {{\n}}\n"
        if kind == "build":
            source += "runtime scratch {\n}\n"
        try:
            compiled = shipc.compile_source(source, "t.ship")
        except shipc.ShipErrors as e:
            messages = [d.message for d in e.diagnostics if d.is_error]
            # Only the fit of the (empty) builds may fail here, never the head.
            assert all("artifacts of build" in m for m in messages), (head, messages)
            continue
        froms = [x.split()[1] for x in compiled.dockerfile.splitlines() if x.startswith("FROM ")]
        assert image in froms, (head, froms)
