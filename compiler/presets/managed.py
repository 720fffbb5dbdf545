"""Toolchains whose artifacts run on a managed runtime: Java (bytecode for a JRE) and .NET
(IL for the .NET runtime, or self-contained). See the package docstring for the fields."""

from __future__ import annotations

from .schema import ASH_PIPEFAIL, FLAVOUR, RELEASE, Manager, Toolchain, Variant

# Ubuntu releases, as the Eclipse Temurin (and Maven, Gradle, .NET) images' tags name them.
UBUNTU_RELEASES = {
    name: Variant(suffix=f"-{name}", groups=(RELEASE,)) for name in ("noble", "jammy")
}
# Their Alpine tags name no Alpine release (`21-jdk-alpine`).
ALPINE_PLAIN = Variant(
    suffix="-alpine", provides={"libc": "musl"}, shell=ASH_PIPEFAIL, groups=(FLAVOUR, RELEASE)
)

# Maven and Gradle resolve what the build files name; a wrapper (`mvnw`, `gradlew`) runs
# the version the project pins, fetched once into the cache mount, on the plain JDK image.
_M2 = "/root/.m2/repository"
_GRADLE_FILES = ("settings.gradle?", "build.gradle?", "gradle.properties?")
_NO_DAEMON = (("GRADLE_OPTS", "-Dorg.gradle.daemon=false"),)  # one build per RUN: no daemon

# `dotnet publish` flags that put the .NET runtime into the output (self-contained).
_SELF_CONTAINED = (
    r"(?i)(?<![\w-])(?:--self-contained(?:[=:]true)?|--sc)(?![\w=:-])(?!\s+false\b)"
    r"|(?<![\w-])[-/]p(?:roperty)?:(?:Publish)?SelfContained=true\b"
)

MANAGED_TOOLCHAINS: dict[str, Toolchain] = {
    "java": Toolchain(
        image="eclipse-temurin:{version}-jdk{suffix}",
        default_version="21",
        workdir="/app",
        managers={
            "maven": Manager(
                image="maven:3.9-eclipse-temurin-{version}{suffix}",
                manifests=("pom.xml",),
                install="mvn -B dependency:go-offline",
                caches=(_M2,),
            ),
            "mvnw": Manager(
                manifests=("pom.xml", "mvnw", ".mvn/"),
                install="./mvnw -B dependency:go-offline",
                caches=(_M2, "/root/.m2/wrapper"),
            ),
            "gradle": Manager(
                image="gradle:8.10-jdk{version}{suffix}",
                manifests=(*_GRADLE_FILES, "gradle/?"),
                install="gradle dependencies",
                caches=("/root/.gradle",),
                env=_NO_DAEMON,
            ),
            "gradlew": Manager(
                manifests=("gradlew", "gradle/", *_GRADLE_FILES),
                install="./gradlew dependencies",
                caches=("/root/.gradle",),
                env=_NO_DAEMON,
            ),
        },
        default_manager="maven",
        variants={**UBUNTU_RELEASES, "alpine": ALPINE_PLAIN},
        # Bytecode needs no C library: a JRE of the JDK's major or later (javac's default
        # target is its own release).
        links="static",
        needs={"java": "{major}"},
        image_env=("JAVA_HOME", "JAVA_VERSION"),
    ),
    "dotnet": Toolchain(
        image="mcr.microsoft.com/dotnet/sdk:{version}{suffix}",
        default_version="8.0",
        workdir="/src",
        managers={
            # Projects in folders are named with `deps` (a glob in a folder would flatten).
            "nuget": Manager(
                manifests=(
                    "*.csproj",
                    "Directory.Build.props?",
                    "Directory.Packages.props?",
                    "NuGet.config?",
                    "global.json?",
                ),
                install="dotnet restore",
                caches=("/root/.nuget/packages",),
            ),
        },
        default_manager="nuget",
        variants={"noble": UBUNTU_RELEASES["noble"], "alpine": ALPINE_PLAIN},
        # Framework-dependent output is IL for the .NET runtime of the major it targets (the
        # SDK's by default), whatever the C library; self-contained output carries the
        # runtime, native code for one C library: its runtime identifier's, else the SDK's.
        links="static",
        needs={"dotnet": "{major}"},
        bundles_runtime=_SELF_CONTAINED,
        bundled_libc=((r"\blinux-musl-", "musl"), (r"\blinux-(?!musl-)", "glibc")),
        bundled_hint="run it on 'dotnet-deps' (the same version and variant): it has only"
        " what the runtime itself needs; or publish without --self-contained",
        hints={
            "libc": "publish for the runtime's C library ('-r linux-x64' for glibc,"
            " '-r linux-musl-x64' for musl), or run on a base that has the build's",
        },
        image_env=("DOTNET_SDK_VERSION", "DOTNET_VERSION", "ASPNET_VERSION"),
    ),
}
