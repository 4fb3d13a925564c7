# syntax=docker/dockerfile:1
#
# The server as an image: docker build -t wexio . ; compose.yaml runs two of
# them on one PostgreSQL (see docs/several-servers.md).
#
# Build stage: SQLite is compiled in (mattn/go-sqlite3 is cgo), so cgo stays
# on and the build needs the C compiler the golang image has. The image is
# the bookworm variant on purpose: a cgo binary needs a glibc at least as new
# as the one it was built against, and the plain golang:1.26 tag is built on
# a newer Debian than the runtime stage's bookworm. go.mod asks for go
# 1.26.8: the golang images set GOTOOLCHAIN=local, so auto is set here to
# let an image older than that fetch the toolchain go.mod names.
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=1 GOTOOLCHAIN=auto
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
# The build cache survives between builds: compiling SQLite takes over a
# minute the first time only.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -o /wexio .

# Runtime stage: the binary, CA certificates for outbound HTTPS, curl for a
# health check on /readyz (compose.yaml has one), and a user of its own.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/wexio --create-home wexio \
 && install -d -o wexio -g wexio /var/lib/wexio/data
COPY --from=build /wexio /wexio
# Without WEXIO_DATABASE_URL the server keeps SQLite and its key in data/
# under its working directory: mount a volume on /var/lib/wexio/data to keep
# them (the directory exists, owned by wexio, so a new volume is too).
WORKDIR /var/lib/wexio
USER wexio
EXPOSE 8080
ENTRYPOINT ["/wexio"]
