# Hand-written equivalent of samples/href-counter.ship.
FROM golang:1.22 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/href-counter .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates=20240705-r0
COPY --from=build /out/href-counter /usr/local/bin/href-counter
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["href-counter"]
