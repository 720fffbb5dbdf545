"""Where a stage's copies take their files from: the build context, an image (`copy image
REF …`, or an image named once with `image NAME: REF`) or another build (`copy from NAME …`).

Checks what such a copy names, and gives each image copied from the stage that holds it:
`COPY --from=` always names a stage of the Dockerfile, so an image becomes `FROM REF AS
NAME`, emitted only when a copy uses it (a FROM line reads the global args, where a
`--from=${…}` would not be expanded by older engines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model
from .errors import Diagnostic, Span, did_you_mean, error, warning
from .record import replace

RESERVED = ("scratch", "context")


def origin_copies(stage: model.Stage) -> Iterator[model.Copy]:
    """The stage's copies from an image or another stage."""
    return (
        s
        for s in stage.steps
        if isinstance(s, model.Copy) and isinstance(s.origin, (model.Image, model.FromStage))
    )


def named_images(ship: model.Ship) -> model.Ship:
    """The file with each stage `from NAME`, where NAME is an `image NAME: REF` and no
    stage, built on that image: a `FROM REF` line, no stage of its own."""
    images = {i.name.value: i for i in ship.images}
    names = {s.name.value for s in ship.stages}

    def base(stage: model.Stage) -> model.Stage:
        b = stage.base
        named = isinstance(b, model.FromStage) and b.stage.value in images
        if named and b.stage.value not in names:
            # The declaration's text: a problem of the reference is reported there, once.
            image = model.Image(images[b.stage.value].ref, b.span)
            return replace(stage, base=image)
        return stage

    return replace(ship, stages=tuple(base(s) for s in ship.stages))


def source_checks(ship: model.Ship) -> Iterator[Diagnostic]:
    """Image names, what each `copy from` names, and a build copying from itself."""
    stages = {s.name.value: s for s in ship.stages}
    images: dict[str, model.NamedImage] = {}
    for image in ship.images:
        name = image.name.value
        if name in RESERVED:
            yield error(f"'{name}' is reserved by Docker and cannot name an image", image.name.span)
        elif name in images:
            first = images[name].span.where(image.span)
            yield error(f"image '{name}' is already named on {first}", image.name.span)
        elif name in stages:
            where = stages[name].span.where(image.span)
            yield error(f"'{name}' names both an image and the stage on {where}", image.name.span)
        else:
            images[name] = image
    # A stage `from NAME` is built on the image by now (`named_images`): its reference counts.
    used = {s.base.ref.value for s in ship.stages if isinstance(s.base, model.Image)}
    for stage in ship.stages:
        yield from _none_alone(stage)
        for copy in origin_copies(stage):
            if isinstance(copy.origin, model.FromStage):
                used.add(copy.origin.stage.value)
                yield from _named(stage, copy, stages, images)
            elif isinstance(copy.origin, model.Image):
                used.add(copy.origin.ref.value)
    yield from _copy_cycles(ship, stages)
    for name, image in images.items():
        if name not in used and image.ref.value not in used:
            yield warning(
                f"image '{name}' is never used",
                image.name.span,
                f"copy from it ('copy from {name} /PATH -> DEST') or build on it ('from {name}')",
            )


def _none_alone(stage: model.Stage) -> Iterator[Diagnostic]:
    copies = [s for s in stage.steps if isinstance(s, model.Copy) and s.origin is None]
    nothing = [c for c in copies if not c.sources]
    for again in nothing[1:]:
        where = nothing[0].span.where(again.span)
        yield error(f"'copy none' is already said on {where}", again.span, "drop this one")
    other = next((c for c in copies if c.sources), None)
    if nothing and other is not None:
        yield error(
            f"'copy none' says this build reads nothing from the build context, but"
            f" {other.span.where(nothing[0].span)} copies from it",
            nothing[0].span,
            "drop 'copy none': a build with a 'copy' gets only what its copies name",
        )


def _named(stage, copy: model.Copy, stages, images) -> Iterator[Diagnostic]:
    origin = copy.origin
    assert isinstance(origin, model.FromStage)
    name = origin.stage.value
    if name in images:
        for path in copy.sources:
            if not path.value.startswith(("/", "$")):
                yield error(
                    f"a path in an image must be an absolute path, got '{path.value}'",
                    path.span,
                    f"write '/{path.value.lstrip('./')}'",
                )
        return
    source = stages.get(name)
    if source is None:
        choices = [n for n in (*images, *stages) if n != stage.name.value]
        yield error(
            f"unknown image or stage '{name}'{did_you_mean(name, choices)}",
            origin.stage.span,
            "name an image with 'image NAME: REF' at the top of the file, or copy from a build",
        )
    elif source is stage:
        yield error(f"a stage cannot copy from itself ('{name}')", origin.stage.span)
    elif source.kind != model.BUILD:
        yield error(
            f"'{name}' is a {source.kind}: a copy takes files from a build or an image",
            origin.stage.span,
            "a build's files reach every runtime as artifacts; copy from the build that makes them",
        )


def _depends(stage: model.Stage) -> Iterator[str]:
    if isinstance(stage.base, model.FromStage):
        yield stage.base.stage.value
    for copy in origin_copies(stage):
        if isinstance(copy.origin, model.FromStage):
            yield copy.origin.stage.value


def _copy_cycles(ship: model.Ship, stages: dict[str, model.Stage]) -> Iterator[Diagnostic]:
    """A build that copies from a stage which needs it first (through `from` or copies)."""
    for stage in ship.stages:
        for copy in origin_copies(stage):
            origin = copy.origin
            if not isinstance(origin, model.FromStage) or origin.stage.value == stage.name.value:
                continue
            seen: set[str] = set()
            todo = [origin.stage.value]
            while todo:
                name = todo.pop()
                if name == stage.name.value:
                    yield error(
                        f"'{origin.stage.value}' needs '{stage.name.value}' first (through"
                        f" 'from' or copies), so '{stage.name.value}' cannot copy from it:"
                        " neither could be built first",
                        origin.stage.span,
                    )
                    break
                if name in seen or name not in stages:
                    continue
                seen.add(name)
                todo.extend(_depends(stages[name]))


_NAME_CHARS = re.compile(r"[^a-z0-9_.-]+")


def image_stages(ship: model.Ship) -> dict[tuple[str, str], tuple[str, str, Span]]:
    """The stage that holds each image copied from: (kind, key) -> (stage name, image
    reference, the span it comes from: its declaration or its first copy), in the order of
    first use. `("image", REF)` for `copy image REF`, named
    after the image (`ghcr.io/astral-sh/uv:0.5` → `uv`, made unique); `("named", NAME)`
    for an image named at the top, under its own name. A copy of an image that is also
    named at the top uses that name."""
    declared = {i.name.value: i for i in ship.images}
    images = {name: i.ref.value for name, i in declared.items()}
    by_ref = {ref: name for name, ref in reversed(images.items())}
    taken = {s.name.value for s in ship.stages} | set(images) | set(RESERVED)
    found: dict[tuple[str, str], tuple[str, str, Span]] = {}
    for stage in ship.stages:
        for copy in origin_copies(stage):
            origin = copy.origin
            if isinstance(origin, model.FromStage):
                name = origin.stage.value
                if name in images:
                    found.setdefault(("named", name), (name, images[name], declared[name].span))
                continue
            assert isinstance(origin, model.Image)
            ref = origin.ref.value
            key = ("image", ref)
            if key in found:
                continue
            if ref in by_ref:
                name = by_ref[ref]
                found[key] = (name, ref, declared[name].span)
                continue
            name = _stage_name(ref)
            unique, n = name, 1
            while unique in taken:
                n += 1
                unique = f"{name}-{n}"
            taken.add(unique)
            found[key] = (unique, ref, copy.span)
    return found


def _stage_name(ref: str) -> str:
    """`uv` for ghcr.io/astral-sh/uv:0.5.11; `image` when the name holds a reference."""
    repo = ref.partition("@")[0].rsplit("/", 1)[-1].partition(":")[0]
    if "$" in repo:
        return "image"
    name = _NAME_CHARS.sub("-", repo.lower()).strip("-.")
    return name if name[:1].isalpha() else f"image-{name}".rstrip("-")
