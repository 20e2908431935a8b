# syntax=docker/dockerfile:1
# A small image around a statically linked vetted (README: "Installing
# vetted"). Build it from a clone of this repository:
#
#   docker build -t vetted .                 # FROM scratch: vetted and nothing else
#   docker build --target ci -t vetted:ci .  # the same binary beside a shell, for CI jobs
#
# and run it on a registry mounted at /repo, as your own user so it can
# write there and git accepts the repository as yours:
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/repo" vetted check --today 2026-11-29

# The build stage runs the same script as a developer or CI does.
FROM rust:1.85-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    scripts/build-static

# For CI systems that run a job's script in the image (GitLab CI needs a
# shell): BusyBox's, and vetted on PATH.
FROM busybox:1.36.1-musl AS ci
COPY --from=build /src/target/static/vetted /usr/local/bin/vetted
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/vetted"]
CMD ["check"]

# The default image: the binary alone, run as a user that is not root.
FROM scratch
COPY --from=build /src/target/static/vetted /usr/local/bin/vetted
USER 65532:65532
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/vetted"]
CMD ["check"]
