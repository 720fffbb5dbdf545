"""The toolchains beyond go, rust, c, node and python's pip/uv, executed on stand-ins: Ruby
with Bundler, Composer with PHP runtimes and their extensions, Python with Poetry, Bun,
Deno, CMake with a build's packages.
Each case builds on the engine and reads what the fake tools recorded or left."""

from __future__ import annotations

import uuid

import pytest

from semantics.harness import build, build_fails, calls, case, config, env, refused, sh, tree
from semantics.standins import PACKAGES

pytestmark = pytest.mark.engine

GEMS = {"Gemfile": "source 'https://rubygems.org'\n", "Gemfile.lock": "GEM\n  rack (3.0.8)\n"}


@case("toolchain.ruby", "manager.bundler", "runtime.ruby")
def test_bundler_installs_before_the_sources_and_the_bundle_is_shipped_with_its_settings():
    source = (
        "app demo\nbuild ruby semsuite {\n    run bundle exec ruby -e 1\n    artifact app.rb\n}\n"
        "runtime ruby semsuite slim {\n    cmd ruby app.rb\n}\n"
    )
    files = {**GEMS, "app.rb": "puts 1\n"}
    built = build(source, files, target="build")
    assert calls(built) == ["bundle install", "bundle exec ruby -e 1", "ruby -e 1"]
    image = build(source, files)
    # The bundle is root's, at the same place, with the settings `bundle exec` reads; the
    # app's code is root's too (only `writable` folders are the user's).
    out = sh(image, "cat /usr/local/bundle/ruby/installed /usr/local/bundle/ruby/settings;"
                    " stat -c %u /usr/local/bundle/ruby/installed; stat -c %u /app/app.rb")
    assert out.splitlines() == [
        "GEM", "  rack (3.0.8)", "deployment=1 without=development:test", "0", "0"
    ]
    assert {k: env(image)[k] for k in ("BUNDLE_DEPLOYMENT", "BUNDLE_PATH", "BUNDLE_WITHOUT")} == {
        "BUNDLE_DEPLOYMENT": "1", "BUNDLE_PATH": "/usr/local/bundle",
        "BUNDLE_WITHOUT": "development:test",
    }


def test_bundler_fails_the_build_without_its_lock_file():
    source = "app demo\nbuild ruby semsuite {\n}\nruntime ruby semsuite slim {\n    cmd ruby\n}\n"
    build_fails(source, {"Gemfile": ""})


@case("toolchain.composer", "manager.composer", "runtime.php", "extensions")
@pytest.mark.parametrize("flavour", ["fpm", "apache", "cli"])
def test_composer_vendor_lands_in_the_document_root_of_each_php_runtime(flavour):
    source = (
        "app demo\nbuild composer semsuite {\n    artifact vendor\n    artifact public\n}\n"
        f"runtime php semsuite {flavour} {{\n    packages libicu-dev=72.1-3\n"
        "    extensions intl opcache redis=6.1.0 apcu=5.1.23\n"
        "    extensions gd --with-jpeg --with-freetype\n    cmd php -v\n}\n"
    )
    files = {"composer.json": "{}", "composer.lock": "{}", "public/index.php": "<?php\n"}
    built = build(source, files, target="build")
    assert calls(built) == ["composer install --no-dev --no-interaction --no-progress --no-scripts"]
    image = build(source, files)
    found = tree(image)
    # The code is root's: PHP's workers (33) read it and cannot rewrite it.
    assert found["/var/www/html/vendor/autoload.php"].uid == 0
    assert found["/var/www/html/public/index.php"].uid == 0
    # The image leaves its work directory www-data's, mode 1777: ship hands it to root.
    assert (found["/var/www/html"].uid, found["/var/www/html"].mode) == (0, 0o755)
    assert config(image)["User"] == "33:33"
    assert calls(image) == [
        "apt-get update",
        "apt-get install -y --no-install-recommends libicu-dev=72.1-3",
        "docker-php-ext-configure gd --with-jpeg --with-freetype",
        f"docker-php-ext-install -j{sh(image, 'nproc').strip()} intl opcache gd",
        "pecl install redis-6.1.0 apcu-5.1.23",
        "docker-php-ext-enable redis apcu",
    ]
    enabled = sorted(p for p in found if p.startswith("/usr/local/etc/php/conf.d/"))
    assert [p.rsplit("-", 1)[1] for p in enabled] == [
        "apcu.ini", "gd.ini", "intl.ini", "opcache.ini", "redis.ini"
    ]
    assert not [p for p in found if p.startswith("/tmp/pear")]  # PECL's downloads


@case("runtime.php", "writable")
def test_the_php_work_directory_is_roots_unless_declared_writable():
    def writes(body: str) -> str:
        image = build(f"app demo\nruntime php semsuite cli {{\n{body}    cmd php -v\n}}\n")
        return sh(image, "touch /var/www/html/new.php 2>/dev/null && echo yes || echo no")

    assert stand_in_dir("/var/www/html") == (33, 0o1777)  # as the official images make it
    assert writes("") == "no\n"
    assert writes("    writable .\n") == "yes\n"


def stand_in_dir(path: str) -> tuple[int, int]:
    entry = tree("php:semsuite-cli")[path]
    return entry.uid, entry.mode


@case("extensions")
def test_a_missing_extension_fails_the_build():
    build_fails("app demo\nruntime php semsuite {\n    extensions missing_ext\n}\n")


@case("extensions")
def test_extensions_need_a_runtime_that_can_add_them():
    message = refused("app demo\nruntime debian semsuite {\n    extensions intl\n}\n")
    assert "has no way to add extensions" in message


@case("manager.poetry")
def test_poetry_installs_into_the_shipped_venv_and_stays_in_the_build():
    source = (
        "app demo\nbuild python semsuite poetry {\n    artifact app.py\n}\n"
        "runtime python semsuite slim {\n    cmd python app.py\n}\n"
    )
    files = {"pyproject.toml": "", "poetry.lock": "", "app.py": ""}
    built = build(source, files, target="build")
    assert calls(built) == [
        "pip install --root-user-action=ignore poetry==2.1.3",
        "python -m venv /opt/venv",
        "poetry install --only main --no-root --no-interaction",
    ]
    image = build(source, files)
    out = sh(image, "cat /opt/venv/lib/installed; echo $VIRTUAL_ENV; command -v poetry || true")
    assert out.splitlines() == ["poetry install --only main --no-root --no-interaction",
                                "/opt/venv"]


@case("toolchain.bun", "manager.bun", "runtime.bun")
def test_bun_installs_from_its_lock_and_its_build_runs_on_bun():
    source = (
        "app demo\nbuild bun semsuite {\n    run bun build src/server.ts --outdir dist\n"
        "    artifact dist\n    artifact node_modules\n}\n"
        "runtime bun semsuite slim {\n    cmd bun run dist/server.js\n}\n"
    )
    files = {"package.json": "{}", "bun.lock": "{}", "src/server.ts": ""}
    built = build(source, files, target="build")
    assert calls(built) == ["bun install --frozen-lockfile", "bun build src/server.ts --outdir dist"]
    image = build(source, files)
    out = sh(image, "cat dist/server.js node_modules/.installed-by; id -u; pwd")
    assert out.split() == ["bundled", "bun", "1000", "/app"]


@case("toolchain.deno", "manager.deno", "runtime.deno")
def test_deno_installs_from_its_lock_before_the_sources_and_ships_deno_dir():
    source = (
        "app demo\nbuild deno semsuite {\n    run deno check main.ts\n"
        "    artifact main.ts\n    artifact deno.json\n}\n"
        "runtime deno semsuite {\n    cmd deno run main.ts\n}\n"
    )
    files = {"deno.json": "{}", "deno.lock": "{}", "main.ts": ""}
    built = build(source, files, target="build")
    assert calls(built) == ["deno install --frozen", "deno check main.ts"]
    image = build(source, files)
    # The install saw the manifests only; its DENO_DIR is root's, at the same place, and set.
    out = sh(image, "cat /deno-dir/npm/.installed-from; echo; echo $DENO_DIR;"
                    " stat -c %u /deno-dir/npm/.installed-from; id -u; pwd; ls -A")
    assert out.splitlines() == [
        "deno.json deno.lock ", "/deno-dir", "0", "1993", "/app", "deno.json", "main.ts"
    ]
    assert config(image)["User"] == "1993:1993"


def test_deno_fails_the_build_without_its_lock_file():
    source = (
        "app demo\nbuild deno semsuite {\n    artifact main.ts\n    artifact deno.json\n}\n"
        "runtime deno semsuite {\n    cmd deno run main.ts\n}\n"
    )
    # The lock is a manifest the dependency step copies: without it, that COPY fails.
    failed = build_fails(source, {"deno.json": "{}", "main.ts": ""})
    assert "deno.lock" in failed


CMAKE = (
    "app demo\nbuild cmake semsuite {{\n    workdir /sem\n    packages {packages}\n"
    "    run cmake -S . -B build && cmake --build build && wc -l < build/CMakeCache.txt > /n\n"
    "    artifact build/tiles\n}}\n"
    "runtime debian semsuite {{\n    cmd tiles\n}}\n"
)


@case("toolchain.cmake", "manager.cmake", "packages")
def test_cmake_installs_its_packages_and_keeps_its_build_folder_in_a_cache():
    source = CMAKE.format(packages="cmake=3.25.1-1 libpng-dev=1.6.39-2")
    files = {"CMakeLists.txt": "project(tiles CXX)\n", "main.cpp": "// 1\n"}
    built = build(source, files, target="build")
    found = tree(built)
    # The toolchain's own packages, the one pinned by the block replaced, names sorted.
    assert found[PACKAGES].data.decode().split() == [
        "cmake=3.25.1-1", "g++", "libpng-dev=1.6.39-2", "make"
    ]
    assert "/sem/build/CMakeCache.txt" not in found  # the build folder is a cache mount
    image = build(source, files)
    assert sh(image, "tiles; stat -c %u /usr/local/bin/tiles") == "tiles made by cmake\n0\n"
    # A source change configures again in the same build folder: its cache grew.
    again = build(source, {**files, "main.cpp": f"// {uuid.uuid4()}\n"}, target="build")
    first, second = (int(tree(i)["/n"].data) for i in (built, again))
    assert second > first


@case("packages")
def test_a_missing_build_package_fails_the_build():
    build_fails(CMAKE.format(packages="missing-dev=1"), {"CMakeLists.txt": "project(tiles)\n"})
