# Hand-written equivalent of samples/healthcheck.ship.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/status-page ./cmd/server

FROM alpine:3.20
RUN apk add --no-cache ca-certificates=20240705-r0 curl=8.11.1-r0 tzdata=2024b-r0
COPY --from=build /out/status-page /usr/local/bin/status-page
USER 65532:65532
EXPOSE 8080
LABEL org.opencontainers.image.source=https://github.com/example/status-page \
      org.opencontainers.image.description="Public status page for example.com" \
      org.opencontainers.image.licenses=Apache-2.0
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["status-page"]
