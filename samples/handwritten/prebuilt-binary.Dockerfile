# Hand-written equivalent of samples/prebuilt-binary.ship.
FROM gcr.io/distroless/static-debian12:nonroot@sha256:6ec5aa99dc335666e79dc64e4a6c8b89c33a543a1967f20d360922a80dd21f02
COPY dist/exporter /usr/local/bin/exporter
EXPOSE 9100
ENTRYPOINT ["exporter"]
