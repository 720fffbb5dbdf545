"""Java (maven, mvnw, gradle, gradlew) and .NET (nuget) builds and their runtimes, executed
on stand-ins: the dependency step sees the manifests and nothing else (folders such as
`.mvn` and `gradle` in their place), the build's jar or published folder lands in the
runtime, owned as documented, and runs there."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e.engine import docker

from semantics.harness import build, calls, case, config, sh, tree

pytestmark = pytest.mark.engine

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
POM = "<project><artifactId>demo</artifactId></project>\n"
SOURCES = {"src/main/java/demo/App.java": "class App {}\n"}
# A wrapper records itself like the fake tools, then checks its own files are in place.
WRAPPER = (
    "#!/bin/sh\n"
    'echo "$(basename "$0") $*" >> /var/lib/ship-sem/calls\n'
    "test -f {props} || {{ echo 'no {props}' >&2; exit 1; }}\n"
    'echo "saw $(ls -A | sort | tr "\\n" " ")" >> /var/lib/ship-sem/calls\n'
)


def java_app(manager: str, step: str, jar: str, runtime: str = "java semsuite") -> str:
    return (
        f"app demo\nbuild java semsuite {manager} {{\n    run {step}\n"
        f"    artifact {jar} -> demo.jar\n}}\n"
        f"runtime {runtime} {{\n    cmd java -jar demo.jar\n}}\n"
    )


@case("toolchain.java", "manager.maven", "runtime.java")
def test_maven_resolves_from_the_pom_alone_then_packages_a_jar_the_jre_runs():
    source = java_app("maven", "mvn -B package", "target/demo.jar")
    image = build(source, {"pom.xml": POM, **SOURCES})
    built = calls(build(source, {"pom.xml": POM, **SOURCES}, target="build"))
    assert built == ["mvn -B dependency:go-offline", "saw pom.xml ", "mvn -B package"]
    assert sh(image, "java -jar demo.jar; pwd; stat -c %u:%g demo.jar; id -u").split() == [
        "demo.jar", "made", "by", "mvn", "/app", "0:0", "65532"  # the jar is root's
    ]
    assert config(image)["Cmd"] == ["java", "-jar", "demo.jar"]


@case("manager.mvnw")
def test_maven_wrapper_runs_with_its_folder_in_place():
    props = ".mvn/wrapper/maven-wrapper.properties"
    files = {
        "pom.xml": POM,
        "mvnw": WRAPPER.format(props=props),
        props: "distributionUrl=https://example.invalid/maven.zip\n",
        **SOURCES,
    }
    source = java_app("mvnw", "./mvnw -B package", "target/demo.jar")
    image = build(source, files, target="build")
    assert calls(image) == [
        "mvnw -B dependency:go-offline", "saw .mvn mvnw pom.xml ",
        "mvnw -B package", "saw .mvn mvnw pom.xml src ",
    ]
    # `.mvn` kept its place: not spilled into the work directory.
    assert "/app/wrapper" not in tree(image)


@case("manager.gradle")
def test_gradle_without_a_gradle_folder_and_without_a_daemon():
    files = {"settings.gradle.kts": 'rootProject.name = "demo"\n', "build.gradle.kts": "",
             **SOURCES}
    source = java_app("gradle", "gradle build", "build/libs/demo.jar")
    built = build(source, files, target="build")
    assert calls(built) == [
        "gradle dependencies", "saw build.gradle.kts settings.gradle.kts ", "gradle build"
    ]
    image = build(source, files)
    out = sh(image, "java -jar demo.jar")
    assert out == "demo.jar made by gradle GRADLE_OPTS=-Dorg.gradle.daemon=false\n"


@case("manager.gradle")
def test_gradle_with_a_version_catalog_folder_copies_it_in_place():
    files = {"settings.gradle": "rootProject.name = 'demo'\n", "build.gradle": "",
             "gradle/libs.versions.toml": "[versions]\n", **SOURCES}
    built = build(java_app("gradle", "gradle build", "build/libs/demo.jar"), files, target="build")
    assert calls(built)[:2] == ["gradle dependencies", "saw build.gradle gradle settings.gradle "]
    found = tree(built)
    assert "/app/gradle/libs.versions.toml" in found and "/app/libs.versions.toml" not in found


@case("manager.gradlew")
def test_gradle_wrapper_with_its_folder_and_version_catalog_in_place():
    props = "gradle/wrapper/gradle-wrapper.properties"
    files = {
        "gradlew": WRAPPER.format(props=props) + "test -f gradle/libs.versions.toml\n",
        props: "distributionUrl=https\\://example.invalid/gradle.zip\n",
        "gradle/libs.versions.toml": "[versions]\n",
        "settings.gradle": "rootProject.name = 'demo'\n",
        "gradle.properties": "org.gradle.caching=true\n",
        **SOURCES,
    }
    source = java_app("gradlew", "./gradlew build", "build/libs/demo.jar")
    image = build(source, files, target="build")
    assert calls(image) == [
        "gradlew dependencies", "saw gradle gradle.properties gradlew settings.gradle ",
        "gradlew build", "saw gradle gradle.properties gradlew settings.gradle src ",
    ]
    assert "/app/wrapper" not in tree(image)


@case("artifact")
def test_spring_boot_layers_land_in_one_folder_as_layers_of_their_own():
    source = (SAMPLES / "spring-boot-layers.ship").read_text().replace("java 21", "java semsuite")
    pom = POM.replace("demo", "payments")
    image = build(source, {"pom.xml": pom, **SOURCES})
    found = tree(image)
    for path in ("BOOT-INF/lib/dep.jar", "org/JarLauncher.class", "BOOT-INF/classes/App.class"):
        assert found[f"/app/{path}"].uid == 0, path  # the code is root's
    layers = [h for h in history(image) if "COPY" in h and "/out/layers/" in h]
    assert [h.split("/out/layers/")[1].split()[0] for h in layers] == [
        "dependencies", "spring-boot-loader", "snapshot-dependencies", "application"
    ]


def history(image: str) -> list[str]:
    """The image's layers' instructions, the first first."""
    out = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).stdout
    return list(reversed(out.splitlines()))


CSPROJ = {"Demo.csproj": "<Project Sdk=\"Microsoft.NET.Sdk.Web\" />\n", "Program.cs": ""}


@case("toolchain.dotnet", "manager.nuget", "runtime.aspnet")
def test_dotnet_restores_the_project_then_publishes_framework_dependent_onto_aspnet():
    source = (
        "app demo\nbuild dotnet semsuite {\n"
        "    run dotnet publish -c Release -o /app --no-restore\n    artifact /app\n}\n"
        "runtime aspnet semsuite {\n    expose 8080\n    entrypoint dotnet Demo.dll\n}\n"
    )
    files = {**CSPROJ, "NuGet.config": "<configuration />\n"}
    built = build(source, files, target="build")
    assert calls(built) == [
        "dotnet restore", "saw Demo.csproj NuGet.config ",
        "dotnet publish -c Release -o /app --no-restore",
    ]
    image = build(source, files)
    out = sh(image, "dotnet Demo.dll; pwd; id -u; stat -c %u /app/Demo.dll; echo $APP_UID")
    assert out.split() == ["Demo.dll", "made", "by", "dotnet", "publish", "/app", "1654",
                           "0", "1654"]  # the app's files are root's, it runs as 1654
    assert config(image)["Entrypoint"] == ["dotnet", "Demo.dll"]


@case("runtime.dotnet")
def test_dotnet_console_app_on_the_dotnet_runtime():
    source = (
        "app demo\nbuild dotnet semsuite {\n    run dotnet publish -o /app\n    artifact /app\n}\n"
        "runtime dotnet semsuite {\n    cmd dotnet Demo.dll\n}\n"
    )
    assert sh(build(source, CSPROJ), "dotnet Demo.dll") == "Demo.dll made by dotnet publish\n"


@case("runtime.dotnet-deps", "deps")
def test_self_contained_app_on_runtime_deps_with_projects_named_by_deps():
    source = (
        "app demo\nbuild dotnet semsuite {\n    deps src/Demo/Demo.csproj\n"
        "    install dotnet restore src/Demo/Demo.csproj\n"
        "    run cd src/Demo && dotnet publish --self-contained -r linux-x64 -o /app\n"
        "    artifact /app\n}\n"
        "runtime dotnet-deps semsuite {\n    entrypoint ./Demo\n}\n"
    )
    files = {f"src/Demo/{name}": text for name, text in CSPROJ.items()}
    built = build(source, files, target="build")
    assert calls(built)[:2] == ["dotnet restore src/Demo/Demo.csproj", "saw src "]
    image = build(source, files)
    assert sh(image, "./Demo; command -v dotnet || echo none") == (
        "Demo made by dotnet publish --self-contained\nnone\n"
    )
