"""What `ship build` reads in docker's output: the step that failed, and the .ship line it
came from.

BuildKit names a failed step `[STAGE I/N]`, I padded to the width of N (the I-th of a
stage's FROM, RUN, COPY, ADD and WORKDIR instructions; no stage name when the Dockerfile
has one stage), and newer clients also print `Dockerfile:LINE`. Either is looked up in the
line map `emit` returns.
"""

from __future__ import annotations

import re

from . import frontend, ir
from .emit import Mapped
from .errors import Diagnostic, error
from .record import record

# Instructions that make a BuildKit step, besides FROM (dockerfile2llb counts these).
_STEPS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
# BuildKit pads I to N's width: `[runtime  4/12]`, `[ 2/10]` (one stage).
_STEP = re.compile(rb"^#(\d+) \[(?:(\S+) )? *(\d+)/(\d+)\] ")
_ERROR = re.compile(rb"^#(\d+) ERROR: (.*)$")
_FAILED = re.compile(rb"^ > \[(?:(\S+) )? *(\d+)/(\d+)\] ")
_LINE = re.compile(rb"^Dockerfile:(\d+)$")
# A step's output: `#9 0.215 cp: can't stat '/src/x': No such file or directory`.
_OUTPUT = re.compile(rb"^#(\d+) \d+\.\d+ (.+)$")


@record(frozen=False)
class Failure:
    """What docker's output said about a failed step."""

    stage: str | None = None
    index: int | None = None
    line: int | None = None  # a Dockerfile line, from newer clients
    message: str = ""
    output: str = ""  # the failed step's last line of output: the command's own reason


class OutputReader:
    """Reads BuildKit's plain progress for the step that failed."""

    def __init__(self) -> None:
        self.steps: dict[bytes, tuple[str | None, int]] = {}
        self.output: dict[bytes, bytes] = {}  # each step's last line of output
        self.failure = Failure()

    def feed(self, raw: bytes) -> None:
        line = raw.rstrip(b"\r\n")
        if match := _STEP.match(line):
            stage = match.group(2).decode("utf-8", "replace") if match.group(2) else None
            self.steps[match.group(1)] = (stage, int(match.group(3)))
        elif (match := _ERROR.match(line)) and not self.failure.message:
            self.failure.message = match.group(2).decode("utf-8", "replace")
            self.failure.output = self.output.get(match.group(1), b"").decode("utf-8", "replace")
            if match.group(1) in self.steps:
                self.failure.stage, self.failure.index = self.steps[match.group(1)]
        elif (match := _FAILED.match(line)) and self.failure.index is None:
            stage = match.group(1).decode("utf-8", "replace") if match.group(1) else None
            self.failure.stage, self.failure.index = stage, int(match.group(2))
        elif (match := _LINE.match(line)) and self.failure.line is None:
            self.failure.line = int(match.group(1))
        elif match := _OUTPUT.match(line):
            self.output[match.group(1)] = match.group(2)


def failed_instruction(failure: Failure, lines: tuple[Mapped, ...], stages: int) -> Mapped | None:
    """The instruction a failure names, by Dockerfile line or by step."""
    if failure.line is not None:
        return next((m for m in lines if m.first <= failure.line <= m.last), None)
    if failure.index is None:
        return None
    index: dict[str | None, int] = {}
    for mapped in lines:
        if mapped.stage is None or (mapped.keyword not in _STEPS and mapped.keyword != "FROM"):
            continue
        index[mapped.stage] = index.get(mapped.stage, 0) + 1
        named = failure.stage == mapped.stage or (failure.stage is None and stages == 1)
        if named and index[mapped.stage] == failure.index:
            return mapped
    return None


def diagnostic(mapped: Mapped, message: str, output: str = "") -> Diagnostic:
    """The failure, at the first .ship line the instruction came from; a RUN that several
    run lines share names them all (docker's output does not say which command failed),
    and the artifacts it copies out of a cache at its end; with the step's last line of
    output, where the command says why (`cp: can't stat …`)."""
    first, others = mapped.spans[0], mapped.spans[1:]
    what = f"this {mapped.keyword} (Dockerfile line {mapped.first})"
    if others:
        what = f"the {mapped.keyword} of this line and line{'s' * (len(others) > 1)}"
        what += f" {_lines(others, first)} (Dockerfile line {mapped.first})"
    said = _said(message)
    reason = _said(output)
    if reason and reason not in said:
        said = f"{said}; its last output: {reason}" if said else reason
    hints = []
    runs = [s for s in mapped.spans if s not in mapped.copied_out]
    if len(runs) > 1 and mapped.keyword == "RUN":
        hints.append("consecutive run lines share one RUN: any of them may be the one that failed")
    if mapped.copied_out:
        many = len(mapped.copied_out) > 1
        hints.append(
            f"the RUN ends by copying the artifact{'s' * many} of"
            f" line{'s' * many} {_lines(mapped.copied_out, first)} out of the cache it builds"
            " in: an artifact that the run lines did not make fails it"
        )
    hint = "; ".join(hints) or None
    return error(f"docker build failed in {what}" + (f": {said}" if said else ""), first, hint)


def _lines(spans, first) -> str:
    return ", ".join(
        str(s.line) if s.file == first.file else f"{s.file}:{s.line}" for s in spans
    )


# BuildKit's "executor failed running [/bin/sh -c …]: exit code: 1" (20.10) and
# 'process "/bin/sh -c …" did not complete successfully: exit code: 1' (later): the command
# is in docker's output already, the reason is what to repeat.
_REASON = re.compile(
    r"(?:executor failed running \[.*\]|process \".*\" did not complete successfully): (.+)$"
)


def _said(message: str) -> str:
    match = _REASON.match(message)
    said = match.group(1) if match else message
    return "".join(c if c.isprintable() else "?" for c in said)[:300]


def frontend_unreached(dockerfile: ir.Dockerfile, message: str) -> Diagnostic | None:
    """The failure of an output whose `# syntax=` line names a frontend the engine could not
    fetch (offline, no registry): said at the first .ship line that needs it."""
    directive = frontend.syntax(dockerfile)
    image = directive.removeprefix("syntax=") if directive else None
    # BuildKit names it, or the registry address it asked (`…/docker/dockerfile/manifests/1.4`)
    if image is None or image not in message.replace("/manifests/", ":"):
        return None
    for stage in dockerfile.stages:
        for node in stage.instructions:
            span = node.span or stage.span
            if frontend.features(node) and span is not None:
                needs = " and ".join(frontend.features(node))
                return error(
                    f"docker build failed: the engine could not fetch the frontend {image},"
                    f" which this line needs ({needs}): {_said(message)}",
                    span,
                    "let the engine reach its registry, or write the file without"
                    " 'copies linked' and 'file' (the output then builds with any frontend)",
                )
    return None
