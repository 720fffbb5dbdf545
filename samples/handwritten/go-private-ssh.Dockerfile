# Hand-written equivalent of samples/go-private-ssh.ship
# (docker buildx build --ssh default --platform linux/amd64,linux/arm64 .).
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
WORKDIR /src
ENV GONOPROXY=github.com/acme/* GONOSUMDB=github.com/acme/*
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked \
    --mount=type=ssh \
    --mount=type=bind,source=deploy/known_hosts,target=/root/.ssh/known_hosts \
    git config --global url."ssh://git@github.com/".insteadOf https://github.com/ \
    && go mod download
COPY . .
ARG TARGETOS TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod,sharing=locked \
    --mount=type=cache,target=/root/.cache/go-build \
    --mount=type=ssh \
    --mount=type=bind,source=deploy/known_hosts,target=/root/.ssh/known_hosts \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/billing ./cmd/billing

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/billing /usr/local/bin/billing
EXPOSE 8080
ENTRYPOINT ["billing"]
