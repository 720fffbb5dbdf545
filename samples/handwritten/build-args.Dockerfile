# Hand-written equivalent of samples/build-args.ship.
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/releaser ./cmd/releaser

FROM alpine:3.20
RUN apk add --no-cache ca-certificates=20240705-r0
COPY --from=build /out/releaser /usr/local/bin/releaser
USER 65532:65532
ARG VERSION=dev
LABEL org.opencontainers.image.version=${VERSION}
ENTRYPOINT ["releaser"]
