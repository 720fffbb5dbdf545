"""Block heads: `KIND [NAME:] BASE… {` read into the stage's kind, name and base.

A base is a preset (`go 1.22 alpine`, `distroless nodejs 20`), `image REF` or `from STAGE`.
Words that are almost right (a misspelt kind, `nodejs20`, an image tag such as
`3.12-slim-bookworm` where a version goes) are read as meant and reported once, so nothing
later complains about the same words again.
"""

from __future__ import annotations

from . import model, presets, syntax
from .errors import did_you_mean
from .reading import Reader
from .record import replace
from .values import Values

KINDS = syntax.BLOCK_KINDS
# The base of a stage whose head could not be read: a preset no table has, so the checks
# that need a base pass the stage by, while its name and its head's words still count.
BROKEN = ""
EXAMPLES = {
    "build": "build go 1.22 {",
    "test": "test from build {",
    "runtime": "runtime alpine 3.20 {",
}


def kind(block: syntax.Block, values: Values) -> str | None:
    """The block's kind; a misspelt one is read as the kind it is closest to, so its
    stage and body are still checked (None when none is close)."""
    raw = block.name.raw
    if raw in KINDS:
        return raw
    if syntax.block_kind(raw):
        base = " ".join(w.raw for w in block.args) or "BASE"
        values.fail(
            f"'{raw}' gives no stage name: a name goes after the kind, as in"
            f" '{raw[:-1]} NAME: {base} {{'",
            block.name.span,
            f"without a name, write '{raw[:-1]} {base} {{' (the stage is named '{raw[:-1]}')",
        )
        return raw[:-1]
    found = syntax.bad_character(raw)
    if found is not None:  # `run\u200btime`: that is the error, and the kind it spells
        plain = "".join(c for c in raw if syntax.bad_character(c) is None)
        at = block.name.span.at(block.name.span.line, block.name.span.column + found[0])
        hint = f"delete it: '{plain}'" if plain in KINDS else "delete it"
        values.fail(f"{found[1]} in a name", at, hint)
        return plain if plain in KINDS else None
    values.fail(f"unknown block '{raw}'{did_you_mean(raw, KINDS)}", block.name.span)
    import difflib  # only for a misspelt kind

    close = difflib.get_close_matches(raw, KINDS, n=1, cutoff=0.6)
    return close[0] if close else None


def _glued_variant(word: str, variants) -> tuple[str, str] | None:
    """`("nodejs", "20")` for `nodejs20`, when a variant name runs into a version."""
    for name in variants:
        rest = word[len(name) :]
        if word.startswith(name) and rest[:1].isdigit():
            return name, rest
    return None


# Variant names that Docker images append to a tag (`3.12-slim`, `1.22-alpine3.20`).
_TAG_VARIANTS = frozenset(
    name
    for table in (presets.TOOLCHAINS, presets.RUNTIMES)
    for preset in table.values()
    for name, variant in preset.variants.items()
    if variant.suffix
)


def _glued_tag(version: str, variants) -> tuple[str, list[tuple[str, str]]] | None:
    """`("3.12", [("slim", ""), ("bookworm", "")])` for the image tag `3.12-slim-bookworm`
    written as a version; `alpine3.22` gives `("alpine", "3.22")`. None unless the first
    part is a number and the second a variant. Where the tag puts the variant first
    (`alpine-2.1.4` of the Deno images), that variant and the number after it."""
    for name, variant in variants.items():
        prefix, after = variant.suffix, version[len(variant.suffix) :]
        if prefix.endswith("-") and version.startswith(prefix) and after[:1].isdigit():
            return after, [(name, "")]
    number, _, rest = version.partition("-")
    if not number[:1].isdigit() or not rest:
        return None
    # One variant whose suffix is the whole rest (`8.0-noble-chiseled` is `chiseled`).
    whole = [n for n, v in variants.items() if v.suffix == f"-{rest}"]
    if whole:
        return number, [(whole[0], "")]
    names = sorted(_TAG_VARIANTS | set(variants), key=len, reverse=True)
    parts = []
    for part in rest.split("-"):
        name = next((n for n in names if part == n or _glued_variant(part, [n])), None)
        if name is None:
            break
        parts.append((name, part[len(name) :]))
    return (number, parts) if parts else None


def _takes_version(variant) -> bool:
    return any(f"{{{part}}}" in (variant.image or "") for part in ("version", "major", "minor"))


def _choices_hint(name: str, preset) -> str:
    """What may follow the version: the variants by group (one of each), the managers."""
    groups: dict[str, list[str]] = {}
    for variant_name, variant in preset.variants.items():
        for group in variant.groups:
            groups.setdefault(group, []).append(variant_name)
    order = sorted(groups, key=lambda g: (g != presets.FLAVOUR, g))
    chosen = [f"{g}s {', '.join(sorted(groups[g]))}" for g in order]
    parts = [f"variants of {name}: {'; '.join(chosen) if chosen else 'none'}"]
    if preset.managers:
        parts.append(f"dependency managers: {', '.join(sorted(preset.managers))}")
    return "; ".join(parts)


class Head:
    """Reads the head of one block of a known kind."""

    def __init__(self, kind: str, values: Values, reader: Reader):
        self.kind = kind
        self.values = values
        self.reader = reader

    def read(self, block: syntax.Block) -> tuple[model.Text, model.Base | None]:
        words = [w for w in (self.reader.text(w) for w in block.args) if w is not None]
        name = model.Text(self.kind, block.name.span)
        if words and words[0].value.endswith(":"):
            first = words.pop(0)
            span = replace(first.span, end_column=first.span.end_column - 1)
            name = model.Text(first.value[:-1], span)
            self.values.stage_name(name)
        example = EXAMPLES[self.kind]
        if not words:
            self.values.fail(f"'{self.kind}' needs a base, as in '{example}'", block.name.span)
            return name, None
        head = words[0]
        if head.value in ("from", "image"):
            if len(words) != 2:
                what = "stage" if head.value == "from" else "image reference"
                self.values.fail(
                    f"'{head.value}' takes exactly one {what}", head.span.to(words[-1].span)
                )
                return name, None
            cls = model.FromStage if head.value == "from" else model.Image
            if head.value == "image":
                self.values.image_ref(words[1])
            return name, cls(words[1], head.span.to(words[1].span))
        if self.kind == "test":
            self.values.fail(f"a test starts from a stage, as in '{example}'", head.span)
            return name, None
        return name, self._preset(words)

    def _preset(self, words: list[model.Text]) -> model.Preset | None:
        table = presets.RUNTIMES if self.kind == "runtime" else presets.TOOLCHAINS
        what = "runtime" if self.kind == "runtime" else "toolchain"
        head, rest = words[0], words[1:]
        preset = table.get(head.value)
        if preset is None:
            habit = _unknown_preset_hint(head.value, self.kind, table)
            hint = habit or f"known {what}s: {', '.join(sorted(table))}, or 'image REF'"
            close = "" if habit else did_you_mean(head.value, table)
            message = f"unknown {what} '{head.value}'{close}"
            self.values.fail(message, head.span, hint)
            # Its other words are kept, so the args they use count as used.
            return model.Preset(head, None, tuple(rest), head.span.to(words[-1].span))
        known = set(preset.variants) | set(preset.managers)
        version, variants = None, []
        release = digest = tool = None
        for index, word in enumerate(rest):
            after = rest[index - 1].value if index else None
            if word.value.startswith("@"):
                digest = self._digest(word, digest)
            elif word.value in known:
                variants.append(word)
            elif word.value.partition("=")[0] in preset.managers and tool is None:
                tool = self._tool(head, word, preset, variants)
            elif (
                after in preset.variants
                and preset.variants[after].takes_release
                and (word.value[:1].isdigit() or word.value.startswith("$"))
            ):
                release = self._release(head, word, after, version, release)
            elif glued := _glued_variant(word.value, preset.variants):
                got = self._glued(head, word, glued, preset, variants, version)
                version, release = (version, got[1]) if got[0] == "release" else (got[1], release)
            elif version is None and (tag := _glued_tag(word.value, preset.variants)):
                version, release = self._tag(head, word, tag, preset, variants)
            elif version is None:
                if self.values.version(word):
                    self._debian_release(head, word, preset)
                version = word  # even when invalid: the error is enough, no "no version" too
            elif "$" in word.value:
                self.values.fail(
                    f"'{word.value}' cannot choose a variant or manager: those are written"
                    " out, since ship picks the image and its set-up from them when compiling",
                    word.span,
                    _choices_hint(head.value, preset),
                )
                # Kept as a head that cannot be read, so the args it names count as used.
                return model.Preset(model.Text(BROKEN, head.span), None, tuple(words), head.span)
            elif word.value.lower() == "as" and index == len(rest) - 2:
                # The Dockerfile's `FROM image AS name`: a block's name comes first.
                base = " ".join(w.value for w in (head, *rest[:index]))
                written = f"{self.kind} {rest[index + 1].value}: {base} {{"
                self.values.fail(
                    "a block's name comes before its base, not after 'as'",
                    word.span.to(rest[index + 1].span),
                    f"write '{written}'",
                )
                break
            else:
                self.values.fail(
                    f"unexpected '{word.value}' after the version of {what} "
                    f"'{head.value}'{did_you_mean(word.value, known)}",
                    word.span,
                    _choices_hint(head.value, preset),
                )
        span = head.span.to(words[-1].span)
        return model.Preset(head, version, tuple(variants), span, release, digest, tool)

    def _debian_release(self, head, word, preset) -> None:
        """On a `debian:{version}` preset (`cmake`, `debian`) the version is Debian's, a
        release named (`bookworm-slim`) or numbered from 7 on: `cmake 3.28` means CMake's
        version, and `debian:3.28` is no image."""
        major = word.value.split(".")[0]
        if not preset.image.startswith("debian:{version}") or not major.isdigit():
            return
        if int(major) >= 7:
            return
        tool = head.value != "debian"
        self.values.fail(
            f"'{word.value}' is no Debian release: the version of '{head.value}' is the tag of"
            " the Debian image (debian:TAG)"
            + (f", whose package gives {head.value}" if tool else ""),
            word.span,
            f"write a release, as '{head.value} bookworm-slim' or 'trixie-slim' (or its number,"
            " 12 or 13)"
            + (f"; pin {head.value} with 'packages {head.value}=VERSION'" if tool else ""),
        )

    def _tool(self, head, word, preset, variants) -> model.Text | None:
        """`uv=0.6.1`: a manager and the version of the tool its set-up installs."""
        name, _, version = word.value.partition("=")
        variants.append(model.Text(name, word.span))
        if preset.managers[name].tool is None:
            self.values.fail(
                f"'{name}' comes with the '{head.value}' image: ship installs no version of it",
                word.span,
                f"write '{name}'; the image's version is the one it ships",
            )
            return None
        tool = model.Text(version, word.span)
        if "$" in version:
            variants[-1] = word  # kept whole, so the arg it names counts as used
            self.values.fail(
                f"the version of '{name}' is written out: {word.value}",
                word.span,
                "ship writes it into the install command when compiling",
            )
            return None
        return tool if self.values.version(tool) else None

    def _digest(self, word: model.Text, seen: model.Text | None) -> model.Text | None:
        if seen is not None:
            self.values.fail("a preset takes one digest", word.span)
            return seen
        if not self.values.digest(word):
            return None
        return model.Text(word.value[1:], word.span)

    def _release(self, head, word, variant, version, seen) -> model.Text | None:
        """`alpine 3.22`: the release of the variant before it. Before the preset's own
        version it could be either, so ship asks for the version first."""
        if version is None:
            self.values.fail(
                f"'{word.value}' after '{variant}' could be the version of '{head.value}' or"
                f" the {variant} release",
                word.span,
                f"write the version first: '{head.value} VERSION {variant} {word.value}'",
            )
            return seen
        if seen is not None:
            self.values.fail(f"'{variant}' takes one release", word.span)
            return seen
        self.values.version(word)
        return word

    def _glued(self, head, word, glued, preset, variants, version):
        """`nodejs20` for `nodejs 20`, `alpine3.22` for `alpine 3.22`: read as meant, so
        nothing else complains about the same words. ("version" or "release", the word)."""
        name, number = glued
        variants.append(model.Text(name, word.span))
        variant = preset.variants[name]
        if _takes_version(variant) or variant.takes_release:
            self.values.fail(f"write '{name} {number}' with a space", word.span)
            if variant.takes_release:
                return "release", model.Text(number, word.span)
            return "version", version or model.Text(number, word.span)
        written = version.value if version else "VERSION"
        image = presets.fill(preset.image, written, variant.suffix)
        self.values.fail(
            f"'{name}' takes no version here: '{head.value} {written} {name}' is the image {image}",
            word.span,
            f"write '{head.value} {written} {name}'",
        )
        return "version", version

    def _tag(self, head, word, tag, preset, variants):
        """`3.12-slim-bookworm`: an image tag where ship wants a version and its variants,
        read as meant: (the version, the release of `alpine3.22` if any)."""
        number, parts = tag
        image = preset.image.split(":")[0]
        release = None
        if all(name in preset.variants for name, _ in parts) and not variants:
            for name, glued in parts:
                variants.append(model.Text(name, word.span))
                if glued and preset.variants[name].takes_release:
                    release = model.Text(glued, word.span)
            words = " ".join(f"{n} {g}" if g else n for n, g in parts)
            fix = f"write '{head.value} {number} {words}'"
        else:
            fix = f"variants of {head.value}: {', '.join(sorted(preset.variants)) or 'none'}"
        self.values.fail(
            f"'{word.value}' is an image tag: ship writes the version and the variants apart",
            word.span,
            f"{fix}; for exactly this tag, use 'image {image}:{word.value}'",
        )
        return model.Text(number, word.span), release


def _unknown_preset_hint(word: str, kind: str, table) -> str | None:
    """What a Docker habit in a head meant: an image's `name:tag` (`golang:1.22` is
    `go 1.22`; other images are `image REF`), or a preset of the other kind (`runtime go`)."""
    if ":" in word:
        repository, _, tag = word.partition(":")
        for name, preset in table.items():
            if repository and preset.image and preset.image.partition(":")[0] == repository:
                version, _, variant = tag.partition("-")
                spelled = " ".join(w for w in (name, version, variant.replace("-", " ")) if w)
                return f"a preset names the version apart: '{spelled}' (or 'image {word}')"
        return f"an image by its reference is 'image {word}'"
    other = presets.TOOLCHAINS if kind == "runtime" else presets.RUNTIMES
    if word in other:
        what, where = ("toolchain", "build") if kind == "runtime" else ("runtime", "runtime")
        return f"'{word}' is a {what}: it heads a {where} block"
    return None
