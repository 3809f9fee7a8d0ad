# OptimizerLab — `make demo` runs the main job, `make test` the test suite.
# Both install the C libraries first when they are missing.

SWIFT       ?= swift
# -fno-math-errno lets LLVM vectorize square roots and divisions (see
# Benchmarks/README.md); it is passed to every target, dependencies included.
SWIFT_FLAGS := -Xcc -fno-math-errno
RELEASE     := -c release $(SWIFT_FLAGS)
DEB_PACKAGES := libopenblas-dev liblapacke-dev libgsl-dev
OPTLAB      := .build/release/optlab

.PHONY: all deps build demo test bench clean

all: build

# Installs the three -dev packages when pkg-config or the headers show them missing.
deps:
	@if pkg-config --exists openblas lapacke gsl 2>/dev/null \
	    && [ -f /usr/include/lapacke.h ] && [ -f /usr/include/gsl/gsl_rng.h ] \
	    && { [ -f /usr/include/cblas.h ] || [ -f /usr/include/x86_64-linux-gnu/cblas.h ] || [ -f /usr/include/aarch64-linux-gnu/cblas.h ]; }; then \
	  :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "Installing $(DEB_PACKAGES) ..."; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(DEB_PACKAGES) pkg-config; \
	else \
	  echo "Missing C libraries. Run:  sudo apt-get update && sudo apt-get install -y $(DEB_PACKAGES) pkg-config"; \
	  exit 1; \
	fi

build: deps
	$(SWIFT) build $(RELEASE) --product optlab

# The main job: a real comparison with plots and an HTML report in Reports/demo/.
demo: build
	$(OPTLAB) compare --suite demo --out Reports/demo

test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

bench: build
	@echo "benchmarks: see Benchmarks/README.md"

clean:
	rm -rf .build
