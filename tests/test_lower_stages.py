"""Lowering rules for stages, dependencies, artifacts and paths, one behaviour each,
asserted on the generated Dockerfile text (their engine counterparts are in
test_engine_lowering.py)."""

from __future__ import annotations

import pytest

import shipc
from test_lower import compile_text, stage


def diagnostics(source: str) -> list[str]:
    """`LINE:COLUMN: severity: message` of every diagnostic, errors or warnings."""
    import textwrap

    try:
        found = shipc.compile_source(textwrap.dedent(source), "t.ship").warnings
    except shipc.ShipErrors as errors:
        found = errors.diagnostics
    return [f"{d.span.line}:{d.span.column}: {d.severity}: {d.message}" for d in found]


def test_install_gets_the_blocks_cache_mounts_and_secrets():
    text = compile_text(
        """
        app demo
        build image mcr.microsoft.com/dotnet/sdk:8.0 {
            cache /root/.nuget/packages
            secret nuget_config -> /root/.nuget/NuGet/NuGet.Config
            deps app.csproj
            install dotnet restore
            run dotnet publish --no-restore -o /out
            artifact /out -> /app
        }
        runtime image mcr.microsoft.com/dotnet/aspnet:8.0 {
        }
        """
    )
    runs = [line for line in stage(text, "build") if line.startswith("RUN")]
    mounts = (
        "--mount=type=cache,target=/root/.nuget/packages"
        " --mount=type=secret,id=nuget_config,target=/root/.nuget/NuGet/NuGet.Config"
    )
    assert runs == [
        f"RUN {mounts} dotnet restore",
        f"RUN {mounts} dotnet publish --no-restore -o /out",
    ]


def test_preset_install_gets_the_toolchain_caches_too():
    text = compile_text(
        """
        app demo
        build node 20 {
            cache /root/.cache/extra
            run npm run build
            artifact dist
        }
        runtime node 20 slim {
        }
        """
    )
    runs = [line for line in stage(text, "build") if line.startswith("RUN")]
    assert runs[0].endswith(" npm ci")
    assert runs[0].removesuffix(" npm ci") == runs[1].removesuffix(" npm run build")
    assert "--mount=type=cache,target=/root/.cache/extra" in runs[0]
