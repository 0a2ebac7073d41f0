# make run:  install what is missing, build, run the quick start (no external service needed)
# make test: install what is missing, build, start a real Kafka on loopback, run every test, stop Kafka
# make bench: run the micro benchmarks

BUILD ?= build
JOBS ?= 2
# Outside the clone, so a fresh clone reuses what earlier runs fetched (Kafka jars, Go builds, the test venv).
CACHE ?= $(HOME)/.cache/eventhost
VENV := $(CACHE)/venv
# Python packages the end-to-end tests use as outside clients.
PIP_PACKAGES := cloudevents==2.2.0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and the tests need (bookworm names).
APT_PACKAGES := \
	g++ meson ninja-build pkg-config cmake \
	libboost1.81-dev librdkafka-dev rapidjson-dev libtomlplusplus-dev libspdlog-dev libfmt-dev \
	libhowardhinnant-date-dev tzdata libssl-dev \
	libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libjemalloc-dev \
	clang-14 libclang-rt-14-dev \
	curl kcat wrk uuid-runtime openssl python3 python3-venv \
	openjdk-17-jre-headless maven

.PHONY: all deps test-deps build run test bench clean

all: build

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(PIP_PACKAGES)
	touch $@

test-deps: deps $(VENV)/.installed

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dtest_python=$(VENV)/bin/python3

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(JOBS)

run: build
	$(BUILD)/host/eventhost run configs/quickstart.toml

# The kube-apiserver and etcd of the Kubernetes end-to-end tests are built from the Go module proxy once (20-30
# minutes on 2 cores) and cached under $(CACHE)/kube; later runs reuse them.
test: test-deps build
	meson configure $(BUILD) -Dtest_python=$(VENV)/bin/python3
	tests/kube/kube.sh build
	tests/run-all.sh $(BUILD)

bench: build
	bench/run-micro.sh $(BUILD)

clean:
	rm -rf $(BUILD)
