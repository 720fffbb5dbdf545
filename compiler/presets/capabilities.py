"""What an artifact can need from a runtime, and a runtime provide: the keys of the `needs`
and `provides` tables, each with how it reads in a message and the fix to suggest.

A preset may use only these keys (tests/test_presets.py checks every entry), so a new
toolchain added as data can never meet a check that does not know its needs.
"""

from __future__ import annotations

from .schema import Capability

CAPABILITIES: dict[str, Capability] = {
    "libc": Capability(
        words="{}",
        none="no C library",
        hint="link statically ('links static'), or run on a base that has it"
        " (distroless cc, debian; alpine for musl)",
        names={"musl": "musl libc"},
    ),
    "python": Capability(
        words="Python {}",
        none="no Python",
        hint="run on the same Python: 'runtime python X.Y slim' with the toolchain's X.Y",
        interpreter=True,
    ),
    "python_prefix": Capability(
        words="Python installed under {}",
        none="no Python",
        hint="a venv points at its interpreter's path: use 'runtime python X.Y slim'",
    ),
    "node": Capability(
        words="Node.js {}",
        none="no Node.js",
        hint="run on the same Node.js major: 'runtime distroless nodejs N' or"
        " 'runtime node N slim'",
        interpreter=True,
    ),
    "ruby": Capability(
        words="Ruby {}",
        none="no Ruby",
        hint="run on the same Ruby: 'runtime ruby X.Y slim' with the toolchain's X.Y (gems"
        " are installed for one Ruby version)",
        interpreter=True,
    ),
    "php": Capability(
        words="PHP {}",
        none="no PHP",
        hint="run on a PHP runtime: 'runtime php 8.3 fpm', 'runtime php 8.3 apache' or"
        " 'runtime php 8.3 cli'",
        interpreter=True,
    ),
    "bun": Capability(
        words="Bun {}",
        none="no Bun",
        hint="run on the same Bun major: 'runtime bun N slim'",
        interpreter=True,
    ),
    "deno": Capability(
        words="Deno {}",
        none="no Deno",
        hint="run on the same Deno major: 'runtime deno X.Y.Z' with the toolchain's major"
        " (DENO_DIR holds its caches)",
        interpreter=True,
    ),
    "java": Capability(
        words="Java {}",
        none="no Java runtime",
        hint="run on a JRE at least as new as the JDK that built the jar ('runtime java N',"
        " 'runtime distroless java N'), or build with the runtime's JDK ('build java N')",
        interpreter=True,
        at_least=True,
    ),
    "dotnet": Capability(
        words="the .NET {} runtime",
        none="no .NET runtime",
        hint="run on the .NET major the app was built for ('runtime aspnet N.0' for ASP.NET"
        " Core, 'runtime dotnet N.0'), or publish it self-contained ('dotnet publish"
        " --self-contained') to run on 'dotnet-deps'",
        interpreter=True,
    ),
}
