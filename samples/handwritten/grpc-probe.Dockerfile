# Hand-written equivalent of samples/grpc-probe.ship.
ARG PROBE_VERSION=0.4.25

FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/catalog ./cmd/catalog

FROM alpine:3.20 AS probe
ARG PROBE_VERSION
RUN wget -qO /grpc_health_probe "https://github.com/grpc-ecosystem/grpc-health-probe/releases/download/v${PROBE_VERSION}/grpc_health_probe-linux-amd64" \
    && chmod 755 /grpc_health_probe

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/catalog /usr/local/bin/catalog
COPY --from=probe /grpc_health_probe /usr/local/bin/grpc_health_probe
EXPOSE 9090
HEALTHCHECK --interval=30s CMD ["grpc_health_probe", "-addr=:9090"]
ENTRYPOINT ["catalog"]
