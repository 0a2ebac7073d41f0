# Multi-stage: build the worker and its plugins on Debian bookworm, ship only the binaries and their runtime
# libraries on a slim base, running as a non-root user with a read-only root filesystem.
FROM debian:bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ meson ninja-build pkg-config cmake \
      libboost1.81-dev librdkafka-dev rapidjson-dev libtomlplusplus-dev libspdlog-dev libfmt-dev \
      libhowardhinnant-date-dev libssl-dev libyaml-cpp-dev libjemalloc-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN meson setup /build --buildtype=release --prefix=/opt/eventhost -Dtests=disabled -Dbenchmarks=disabled \
    && ninja -C /build \
    && meson install -C /build --skip-subprojects

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      librdkafka1 libtomlplusplus3 libspdlog1.10 libfmt9 libdate-tz3 libssl3 libyaml-cpp0.7 libjemalloc2 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/eventhost /opt/eventhost
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/opt/eventhost/bin/eventhost"]
CMD ["run", "/etc/eventhost/pipelines"]
