# OptimizerLab — `make demo` runs the main job, `make test` the test suite.
# Both install the C libraries first when they are missing.

SWIFT       ?= swift
# -fno-math-errno lets LLVM vectorize square roots and divisions in Swift
# loops (see Benchmarks/README.md); it is passed to every target, dependencies
# included. The first-order kernels (CKernels) do not need it: they are fast
# in a plain `swift build -c release` too.
SWIFT_FLAGS := -Xcc -fno-math-errno
RELEASE     := -c release $(SWIFT_FLAGS)
DEB_PACKAGES := libopenblas-dev liblapacke-dev libgsl-dev
OPTLAB      := .build/release/optlab

.PHONY: all deps build demo test browser-test docs docs-site coco-check bench bench-build bench-update bench-newton bench-zeroth bench-curvature bench-deepzero bench-problems bench-torch clean

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
# --force: Reports/demo/ is the lab's own output; a changed suite replaces it.
demo: build
	$(OPTLAB) compare --suite demo --out Reports/demo --force

test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	@command -v chromium >/dev/null 2>&1 || echo "note: chromium is not installed: the report.html browser tests (BrowserTests) are skipped; 'apt-get install chromium' runs them"
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)

# report.html in headless Chromium: the page's own #selftest toggles legend
# entries and families, hovers a line and switches axes (Tests/PlottingTests/BrowserTests.swift).
browser-test: deps
	@command -v chromium >/dev/null 2>&1 || { echo "browser-test needs Chromium: apt-get install -y chromium"; exit 1; }
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS) --filter BrowserTests

# DocC documentation of the Optimizers module (swift-docc-plugin; docc ships
# with the toolchain). --warnings-as-errors: a broken symbol link or a doc
# comment that lost its declaration fails the build. Output: .build/plugins/
# Swift-DocC/outputs/Optimizers.doccarchive (open it with `docc preview` or
# Xcode; `make docs-site` writes a static site to .build/docs/).
DOCC_FLAGS ?= --warnings-as-errors
docs: deps
	$(SWIFT) package $(SWIFT_FLAGS) generate-documentation --target Optimizers $(DOCC_FLAGS)

docs-site: deps
	$(SWIFT) package $(SWIFT_FLAGS) --allow-writing-to-directory .build/docs generate-documentation --target Optimizers \
	  $(DOCC_FLAGS) --disable-indexing --transform-for-static-hosting --output-path .build/docs

# Update speed of every first-order optimizer at N = 10,000,000 on 1 and 2
# threads, next to a STREAM triad (see Benchmarks/README.md). Built for the
# native CPU in its own scratch directory, so `make build` stays portable.
BENCH_BUILD := $(SWIFT) build -c release $(SWIFT_FLAGS) -Xswiftc -target-cpu -Xswiftc native --scratch-path .build-bench --product optlab
BENCH_DIM   ?= 10000000
BENCH_STEPS ?= 20
BENCH_SPECS ?= 'sgd(lr=1e-3,momentum=0.9)' adam adamw adan lion grams exadam adamp 'sgdp(lr=1e-3)' cadamw clion \
              adagrad rmsprop adadelta adamax nadam radam adafactor rprop
# The adaptive methods of issue 18; mars and prodigy take two passes (a per-block norm,
# two global sums), the others one.
BENCH_SPECS += adopt ademamix mars 'mars(variant=lion)' schedulefree_adamw schedulefree_sgd prodigy

# Every family adds its own bench-<family> target and lists it here.
bench: bench-update bench-newton bench-zeroth bench-curvature bench-deepzero bench-problems bench-torch

bench-build: deps
	$(BENCH_BUILD)

bench-update: bench-build .build-bench/adam_triad
	@echo "optimizer,dim,threads,steps,seconds_per_step,bytes_per_step,gb_per_s,triad_gb_per_s,ratio_to_triad,kernel"
	@for spec in $(BENCH_SPECS); do for t in 1 2; do \
	  .build-bench/release/optlab bench update --optimizer "$$spec" --dim $(BENCH_DIM) --steps $(BENCH_STEPS) --threads $$t --format csv --no-header || exit 1; \
	done; done
	@for t in 1 2; do .build-bench/adam_triad $(BENCH_DIM) $(BENCH_STEPS) $$t 2>/dev/null || exit 1; done

# The same Adam update as plain C (the `c-adam` rows): what a vectorised C
# loop reaches against the same triad on this machine.
BENCH_CC ?= $(shell command -v clang 2>/dev/null || echo cc)
.build-bench/adam_triad: Benchmarks/reference/adam_triad.c
	@mkdir -p .build-bench
	$(BENCH_CC) -O3 -march=native -fno-math-errno -o $@ $< -lpthread -lm

# ratio_to_triad of the CKernels loops measured in pairs (one triad pass, then
# one kernel step, median over BENCH_PAIRS pairs): readable on a shared machine
# where the best-of rows of bench-update scatter (Benchmarks/README.md, issue 18).
# Compiled like the library (no -march: the kernels pick their path at run time).
BENCH_PAIRS ?= 21
.PHONY: bench-kernel-pairs
bench-kernel-pairs: .build-bench/kernel_pairs
	@for t in 1 2; do .build-bench/kernel_pairs $(BENCH_DIM) $(BENCH_PAIRS) $$t 2>/dev/null | { [ $$t = 1 ] && cat || tail -n +2; } || exit 1; done
.build-bench/kernel_pairs: Benchmarks/reference/kernel_pairs.c $(wildcard Sources/CKernels/*.c Sources/CKernels/*.h Sources/CKernels/include/*.h)
	@mkdir -p .build-bench
	$(BENCH_CC) -O3 -ISources/CKernels/include -o $@ Benchmarks/reference/kernel_pairs.c Sources/CKernels/*.c -lpthread -lm

# Dense Newton-family steps at d = 500, 1000, 2000 next to one dpotrf / dsyevd.
bench-newton: bench-build
	.build-bench/release/optlab bench newton --dims 500,1000,2000 --repeats 5

# Block-streamed zo2 against in-RAM mezo on a ~1e8-parameter mlp: peak RSS
# (each method in its own process) and seconds per step (Benchmarks/README.md).
bench-zeroth: bench-build
	.build-bench/release/optlab bench zeroth --steps 3

# K-FAC, MKOR and M-FAC (m = 32, 128, 1024) steps on mlp(digits, 256x256, batch 128), as ratios to Adam's.
bench-curvature: bench-build
	.build-bench/release/optlab bench curvature

# DeepZero's feature reuse: layer evaluations and seconds per step with and
# without reuse, 1 and 2 threads, on mlp(data=digits) (Benchmarks/README.md).
bench-deepzero: bench-build
	.build-bench/release/optlab bench deepzero --steps 20 --threads 2

# One gradient of charlm(d=128,layers=4,context=128,batch=32) and of cnn against
# the same models in PyTorch (float64, 1 thread), in one run (Benchmarks/README.md).
PYTHON ?= $(shell [ -x /tmp/venv/bin/python ] && echo /tmp/venv/bin/python || echo python3)
bench-problems: bench-build
	.build-bench/release/optlab bench problems --threads 1 --rounds 3 --repeats 3 --python $(PYTHON)

# The PORTABLE build's Adam (what `make build` and an importer's plain release
# build get; its kernels pick AVX2/AVX-512 at run time) against
# torch.optim.Adam(fused=True) in the same run, 1 and 2 threads: the last
# column is torch's seconds / ours, each the best of BENCH_ROUNDS alternating
# rounds of BENCH_STEPS steps. PYTHON needs torch; without it the torch
# columns stay empty (a note says why). OPTLAB_KERNEL=baseline|avx2|avx512 forces a path.
BENCH_ROUNDS ?= 5
bench-torch: build
	@echo "optimizer,dim,threads,steps,seconds_per_step,bytes_per_step,gb_per_s,triad_gb_per_s,ratio_to_triad,kernel,torch_seconds_per_step,speedup_vs_torch"
	@for t in 1 2; do \
	  $(OPTLAB) bench update --optimizer adam --dim $(BENCH_DIM) --steps $(BENCH_STEPS) --threads $$t --rounds $(BENCH_ROUNDS) --format csv --no-header --compare-torch --python "$(PYTHON)" || exit 1; \
	done

clean:
	rm -rf .build

# COCO as a client (not part of `make test`): the bbob values against cocoex
# at 1,000 points per (function, instance 1-5, d in 2,5,10,20) to 1e-12, and
# cocopp's ERT on an exported run set against the lab's to 1e-9. Creates
# .venv-coco with coco-experiment and cocopp unless COCO_PYTHON names a Python
# that has them.
COCO_VENV   ?= .venv-coco
COCO_PYTHON ?= $(COCO_VENV)/bin/python
coco-check: build
	@if [ ! -x "$(COCO_PYTHON)" ]; then python3 -m venv $(COCO_VENV) && $(COCO_VENV)/bin/pip install -q coco-experiment==2.8.2 cocopp six numpy; fi
	$(COCO_PYTHON) Benchmarks/coco/coco_check.py $(OPTLAB)
