# Hand-written equivalent of samples/rust-cross.ship
# (docker buildx build --platform linux/amd64,linux/arm64 .).
FROM --platform=$BUILDPLATFORM rust:1.79 AS build
ARG TARGETPLATFORM
RUN case "$TARGETPLATFORM" in \
      linux/amd64) t=x86_64-unknown-linux-gnu \
        p="gcc-x86-64-linux-gnu=4:12.2.0-3 libc6-dev-amd64-cross=2.36-8cross1" ;; \
      linux/arm64) t=aarch64-unknown-linux-gnu \
        p="gcc-aarch64-linux-gnu=4:12.2.0-3 libc6-dev-arm64-cross=2.36-8cross1" ;; \
      *) exit 1 ;; \
    esac \
 && echo "$t" > /target && rustup target add "$t" \
 && if ! command -v "${t%%-*}-linux-gnu-gcc" >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends $p \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER=x86_64-linux-gnu-gcc \
    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git/db \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin ripsum --target "$(cat /target)" \
 && cp "target/$(cat /target)/release/ripsum" /ripsum

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /ripsum /usr/local/bin/ripsum
ENTRYPOINT ["ripsum"]
CMD ["--help"]
