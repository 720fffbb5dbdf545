"""Block heads: `KIND [NAME:] BASE… {` read into the stage's kind, name and base.

A base is a preset (`go 1.22 alpine`, `distroless nodejs 20`), `image REF` or `from STAGE`.
Words that are almost right (a misspelt kind, `nodejs20`, an image tag such as
`3.12-slim-bookworm` where a version goes) are read as meant and reported once, so nothing
later complains about the same words again.
"""

from __future__ import annotations

import dataclasses
import difflib

from . import model, presets, syntax
from .errors import did_you_mean
from .reading import Reader
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
    values.fail(f"unknown block '{raw}'{did_you_mean(raw, KINDS)}", block.name.span)
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


def _glued_tag(version: str, variants) -> tuple[str, str] | None:
    """`("3.12", "slim")` for the image tag `3.12-slim-bookworm` written as a version."""
    number, _, rest = version.partition("-")
    suffix = rest.split("-")[0]
    for name in sorted(_TAG_VARIANTS | set(variants), key=len, reverse=True):
        if number[:1].isdigit() and (suffix == name or _glued_variant(suffix, [name])):
            return number, name
    return None


def _takes_version(variant) -> bool:
    return any(f"{{{part}}}" in (variant.image or "") for part in ("version", "major", "minor"))


def _choices_hint(name: str, preset) -> str:
    parts = [f"variants of {name}: {', '.join(sorted(preset.variants)) or 'none'}"]
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
            span = dataclasses.replace(first.span, end_column=first.span.end_column - 1)
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
            hint = f"known {what}s: {', '.join(sorted(table))}, or 'image REF'"
            message = f"unknown {what} '{head.value}'{did_you_mean(head.value, table)}"
            self.values.fail(message, head.span, hint)
            # Its other words are kept, so the args they use count as used.
            return model.Preset(head, None, tuple(rest), head.span.to(words[-1].span))
        known = set(preset.variants) | set(preset.managers)
        version, variants = None, []
        for word in rest:
            if word.value in known:
                variants.append(word)
            elif glued := _glued_variant(word.value, preset.variants):
                version = self._glued(head, word, glued, preset, variants, version)
            elif version is None and (tag := _glued_tag(word.value, preset.variants)):
                version = self._tag(head, word, tag, preset, variants)
            elif version is None:
                self.values.version(word)
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
            else:
                self.values.fail(
                    f"unexpected '{word.value}' after the version of {what} "
                    f"'{head.value}'{did_you_mean(word.value, known)}",
                    word.span,
                    _choices_hint(head.value, preset),
                )
        return model.Preset(head, version, tuple(variants), head.span.to(words[-1].span))

    def _glued(self, head, word, glued, preset, variants, version):
        """`nodejs20` for `nodejs 20`; `alpine3.22`, a variant that has no version of its
        own. Read as meant, so nothing else complains about the same words."""
        name, number = glued
        variants.append(model.Text(name, word.span))
        if _takes_version(preset.variants[name]):
            self.values.fail(f"write '{name} {number}' with a space", word.span)
            return version or model.Text(number, word.span)
        written = version.value if version else "VERSION"
        suffix = preset.variants[name].suffix
        image = f"{preset.image.split(':')[0]}:{written}{suffix}"
        self.values.fail(
            f"'{name}' takes no version here: '{head.value} {written} {name}' is the image"
            f" {image}, on the {name} release that image comes with",
            word.span,
            f"write '{head.value} {written} {name}'; to pin {name} {number}, build from"
            f" 'image {image}{number}'",
        )
        return version

    def _tag(self, head, word, tag, preset, variants) -> model.Text:
        """`3.12-slim-bookworm`: an image tag where ship wants a version and a variant."""
        number, name = tag
        image = preset.image.split(":")[0]
        if name in preset.variants and not variants:
            variants.append(model.Text(name, word.span))
            fix = f"write '{head.value} {number} {name}'"
        else:
            fix = f"variants of {head.value}: {', '.join(sorted(preset.variants)) or 'none'}"
        self.values.fail(
            f"'{word.value}' is an image tag: ship writes the version and the variant apart",
            word.span,
            f"{fix}; for exactly this tag, use 'image {image}:{word.value}'",
        )
        return model.Text(number, word.span)
