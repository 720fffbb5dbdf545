"""Each BuildKit build check: one Dockerfile that fails it (at the right line), one that passes."""
import textwrap

import pytest

from buildkit_checks import RULES, Finding, check_dockerfile


def df(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def lines_of(rule: str, text: str) -> list[int]:
    return [f.line for f in check_dockerfile(df(text)) if f.rule == rule]


# (rule, failing Dockerfile, expected lines, passing Dockerfile)
CASES = [
    ("StageNameCasing", """
        FROM alpine AS builder
        FROM alpine AS BuildStage
        """, [2], """
        FROM alpine AS build-stage
        FROM build-stage AS final
        """),
    ("FromAsCasing", """
        FROM debian:bookworm-slim as builder
        from alpine AS other
        """, [1, 2], """
        FROM debian:bookworm-slim AS builder
        from alpine as other
        """),
    ("DuplicateStageName", """
        FROM alpine AS build
        RUN echo one
        FROM alpine AS build
        """, [3], """
        FROM alpine AS build
        FROM alpine AS test
        """),
    ("ReservedStageName", """
        FROM alpine AS scratch
        FROM alpine AS context
        """, [1, 2], """
        FROM alpine AS base
        FROM scratch
        COPY --from=base /etc/hostname /x
        """),
    ("JSONArgsRecommended", """
        FROM alpine
        ENTRYPOINT my-program start
        CMD echo hello
        """, [2, 3], """
        FROM alpine
        ENTRYPOINT ["my-program", "start"]
        FROM alpine AS shelled
        SHELL ["/bin/ash", "-c"]
        CMD echo "shell form is fine when SHELL is explicit"
        """),
    ("LegacyKeyValueFormat", """
        FROM alpine
        ENV LANG C.UTF-8
        LABEL maintainer someone
        """, [2, 3], """
        FROM alpine
        ENV LANG=C.UTF-8 TZ=UTC
        LABEL org.opencontainers.image.title="demo app"
        """),
    ("UndefinedVar", """
        FROM alpine AS base
        COPY $foo .
        ARG VERSION=$bar
        ENV A=1 B=$A
        WORKDIR /src/${TARGETARCH}
        FROM base AS child
        USER ${APP_UID:-65532}
        """, [2, 3, 4, 5, 7], """
        ARG GLOBAL=1
        FROM golang:1.19 AS base
        ARG foo=src
        ARG TARGETARCH
        ARG GLOBAL
        ENV A=1
        ENV B=$A PATH=/app/bin:$PATH GOBIN=$GOPATH/bin
        COPY $foo /src/${TARGETARCH}/
        RUN echo "$UNDECLARED is fine in RUN: the shell expands it"
        CMD ["sh", "-c", "echo $ALSO_FINE"]
        FROM base AS child
        WORKDIR /work/$A/$GLOBAL
        LABEL version="${GLOBAL}"
        """),
    ("UndefinedArgInFrom", """
        FROM alpine:${VERSION}
        FROM --platform=$BUILDPLATFROM alpine
        """, [1, 2], """
        ARG VERSION=3.20
        ARG BASE
        FROM alpine:${VERSION}
        FROM --platform=$BUILDPLATFORM ${BASE:-alpine}
        """),
    ("WorkdirRelativePath", """
        FROM alpine
        WORKDIR app
        WORKDIR more
        """, [2], """
        FROM alpine AS base
        WORKDIR /app
        WORKDIR sub
        FROM base AS child
        WORKDIR relative-is-fine-after-an-absolute-one-in-the-parent
        """),
    ("MultipleInstructionsDisallowed", """
        FROM alpine
        ENTRYPOINT ["a"]
        CMD ["b"]
        ENTRYPOINT ["c"]
        HEALTHCHECK CMD ["true"]
        CMD ["d"]
        HEALTHCHECK NONE
        """, [2, 3, 5], """
        FROM alpine AS one
        CMD ["a"]
        FROM one AS two
        CMD ["b"]
        ENTRYPOINT ["c"]
        HEALTHCHECK CMD ["true"]
        """),
    ("SecretsUsedInArgOrEnv", """
        FROM scratch
        ARG AWS_SECRET_ACCESS_KEY
        ENV GITHUB_TOKEN=x DB_PASSWORD=y
        """, [2, 3, 3], """
        FROM scratch
        ARG PUBLIC_KEY
        ENV MONKEY=banana KEYBOARD=us TOKENIZER=bpe
        """),
    ("ExposeProtoCasing", """
        FROM alpine
        EXPOSE 80/TcP
        """, [2], """
        FROM alpine
        EXPOSE 80/tcp 53/udp 8080
        """),
    ("ExposeInvalidFormat", """
        FROM alpine
        EXPOSE 127.0.0.1:80:80
        EXPOSE 80:80
        """, [2, 3], """
        FROM alpine
        EXPOSE 80 8080/tcp 7000-7010
        """),
    ("NoEmptyContinuation", """
        FROM alpine
        RUN apk add --no-cache \\

            curl
        """, [4], """
        FROM alpine
        RUN apk add --no-cache \\
        # a comment line inside a continuation is fine
            curl
        """),
    ("ConsistentInstructionCasing", """
        FROM alpine AS base
        run echo hello
        Copy a /a
        """, [2, 3], """
        from alpine as base
        run echo hello
        copy a /a
        """),
    ("RedundantTargetPlatform", """
        FROM --platform=$TARGETPLATFORM alpine AS a
        FROM --platform=${TARGETPLATFORM} alpine AS b
        """, [1, 2], """
        FROM --platform=$BUILDPLATFORM golang:1.19 AS build
        FROM alpine AS final
        """),
]


def test_every_rule_has_a_case():
    assert sorted(c[0] for c in CASES) == sorted(RULES)


@pytest.mark.parametrize("rule,bad,expected,good", CASES, ids=[c[0] for c in CASES])
def test_rule_fails(rule, bad, expected, good):
    assert lines_of(rule, bad) == expected, check_dockerfile(df(bad))


@pytest.mark.parametrize("rule,bad,expected,good", CASES, ids=[c[0] for c in CASES])
def test_rule_passes(rule, bad, expected, good):
    assert lines_of(rule, good) == [], check_dockerfile(df(good))


def test_messages_use_buildkit_wording():
    text = df("""
        FROM alpine
        COPY $PAHT /x
        ENV PATH=$PAHT:/app/bin
        """)
    assert check_dockerfile(text) == [
        Finding("UndefinedVar", 2, "Usage of undefined variable '$PAHT' (did you mean $PATH?)"),
        Finding("UndefinedVar", 3, "Usage of undefined variable '$PAHT' (did you mean $PATH?)"),
    ]


def test_undefined_arg_in_from_suggests_a_close_name():
    (finding,) = check_dockerfile("FROM --platform=$BUILDPLATFROM alpine\n")
    assert finding.message == "FROM argument 'BUILDPLATFROM' is not declared (did you mean BUILDPLATFORM?)"


def test_a_typical_generated_dockerfile_is_clean():
    text = df("""
        # Generated from app.ship: do not edit.
        ARG GO_VERSION=1.19
        FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
        ARG TARGETOS
        ARG TARGETARCH
        WORKDIR /src
        COPY go.mod go.sum ./
        RUN --mount=type=cache,target=/go/pkg/mod \\
            go mod download
        COPY . .
        RUN --mount=type=cache,target=/go/pkg/mod \\
            --mount=type=cache,target=/root/.cache/go-build \\
            CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .

        FROM gcr.io/distroless/static-debian12 AS runtime
        LABEL org.opencontainers.image.source="https://example.com/app"
        COPY --from=build --chown=65532:65532 /out/app /app
        USER 65532:65532
        EXPOSE 8080/tcp
        ENTRYPOINT ["/app"]
        """)
    assert check_dockerfile(text) == []


def test_findings_are_sorted_and_deterministic():
    text = df("""
        FROM alpine as Build
        ENV a b
        """)
    first = check_dockerfile(text)
    assert first == check_dockerfile(text)
    assert [f.line for f in first] == sorted(f.line for f in first)


def test_escape_directive_backtick():
    text = "# escape=`\nFROM alpine\nRUN echo a `\n\n    b\n"
    assert lines_of("NoEmptyContinuation", text) == [5]
