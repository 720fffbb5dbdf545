# Hand-written equivalent of samples/two-services.ship: targets smoke (a test), worker, api.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ ./cmd/api ./cmd/worker

FROM alpine:3.20 AS worker
COPY --from=build /out/worker /usr/local/bin/worker
USER 65532:65532
ENTRYPOINT ["worker"]

FROM worker AS smoke
RUN worker --version

FROM gcr.io/distroless/static-debian12:nonroot AS api
COPY --from=build /out/api /usr/local/bin/api
EXPOSE 8080
ENTRYPOINT ["api"]
