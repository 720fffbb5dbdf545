"""The peer of P1 in bench/run.py: docked (PyPI `docked`) generating the Dockerfile that
samples/href-counter.ship describes: a Go build with a module cache mount, an Alpine
runtime, a non-root user, port 8080. Run: `python docked_go.py OUTPUT` (in the benchmark's
own environment, where docked is installed)."""

from __future__ import annotations

import sys
from pathlib import Path

import docked as d

build = d.Stage(
    name="build",
    base=d.BaseImage("golang", "1.22"),
    build=[
        d.WORKDIR("/src"),
        d.ENV("CGO_ENABLED", "0"),
        d.COPY(["go.mod", "go.sum*"], "./"),
        d.RUN("go mod download", mount=d.CacheMount("/go/pkg/mod")),
        d.COPY(".", "."),
        d.RUN("go build -o /out/href-counter .", mount=d.CacheMount("/go/pkg/mod")),
    ],
)
runtime = d.Stage(
    name="runtime",
    base=d.BaseImage("alpine", "3.20"),
    build=[
        d.RUN("apk add --no-cache ca-certificates=20240705-r0"),
        d.COPY("/out/href-counter", "/usr/local/bin/href-counter", from_stage=build),
        d.USER(65532, 65532),
    ],
    run=[d.EXPOSE(8080), d.CMD(["href-counter"])],
    labels={"org.opencontainers.image.title": "href-counter"},
)
d.Image(build, runtime).save(Path(sys.argv[1]))
