"""The hadolint helper: findings for a known-bad Dockerfile, none for a clean one."""
import textwrap

from lint import hadolint_binary, hadolint_findings


def test_hadolint_binary_is_found():
    assert hadolint_binary().endswith("hadolint")


def test_bad_dockerfile_gives_findings():
    findings = hadolint_findings("FROM alpine:latest\nRUN apk add curl\n")
    codes = {f["code"] for f in findings}
    assert "DL3007" in codes  # FROM ...:latest
    assert "DL3019" in codes  # apk add without --no-cache (info level: still reported)
    (dl3007,) = [f for f in findings if f["code"] == "DL3007"]
    assert dl3007["line"] == 1


def test_clean_dockerfile_gives_nothing():
    text = textwrap.dedent("""\
        FROM golang:1.19 AS build
        WORKDIR /src
        COPY go.mod ./
        RUN --mount=type=cache,target=/go/pkg/mod \\
            --mount=type=cache,target=/root/.cache/go-build \\
            go mod download
        COPY . .
        RUN --mount=type=cache,target=/go/pkg/mod \\
            --mount=type=cache,target=/root/.cache/go-build \\
            CGO_ENABLED=0 go build -o /out/app .

        FROM gcr.io/distroless/static-debian12:nonroot AS runtime
        LABEL org.opencontainers.image.title="app"
        COPY --from=build --chown=65532:65532 /out/app /app
        USER 65532:65532
        EXPOSE 8080/tcp
        ENTRYPOINT ["/app"]
        """)
    assert hadolint_findings(text) == []


def test_style_level_findings_are_reported():
    # DL3059 (consecutive RUN instructions) is "info"; the config's threshold is style.
    findings = hadolint_findings("FROM debian:bookworm-slim\nRUN echo a\nRUN echo b\n")
    assert [f["code"] for f in findings] == ["DL3059"]
