# sfblog - see README.md.
GO       ?= go
# VERSION: the release tag (git describe); without a tag, empty, and the
# binary reports the version Go records (a pseudo-version with the commit).
VERSION  ?= $(shell git describe --tags --dirty 2>/dev/null)
LDFLAGS  := $(if $(VERSION),-X main.version=$(VERSION))
PKGS     := ./...
FUZZTIME ?= 5s

.PHONY: all build test lint fmt vet bench cover golden samples samples-check regress tools fuzz-short clean

all: lint test build

## build: the sfblog binary in ./bin, with the commit it was built from;
## static (sfblog calls no C code; cgo would only link libc for the net
## package, which cobra's flags import): it starts about 1 ms sooner, with
## no dynamic loader, and runs on any Linux
build:
	CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=auto -ldflags "$(LDFLAGS)" -o bin/sfblog ./cmd/sfblog

## test: every test, with the race detector when a C compiler is there (the
## race detector needs cgo); sample zips must be up to date
test: samples-check
	@set -- $$($(GO) env CC); \
	if [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$1" >/dev/null 2>&1; then \
		echo "$(GO) test -race -count=1 $(PKGS)"; \
		$(GO) test -race -count=1 $(PKGS); \
	else \
		echo "make test: no C compiler, running without the race detector"; \
		echo "$(GO) test -count=1 $(PKGS)"; \
		$(GO) test -count=1 $(PKGS); \
	fi

## fuzz-short: every fuzz target for FUZZTIME (5s) each, from its seed corpus on;
## a failing input fails it (see scripts/fuzz-short.sh)
fuzz-short:
	GO=$(GO) FUZZTIME=$(FUZZTIME) bash scripts/fuzz-short.sh

## lint: gofmt and go vet must be clean
lint: fmt vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

## bench: speed and memory benchmarks, then EVTX records/s of sfblog, a bare
## golang-evtx loop and evtxexport on the same files, with the ratios
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime=3x ./parsers/... ./analyze/... ./mask/... ./bundle/... ./internal/testkit/evtxwriter/...
	$(GO) run ./internal/testkit/cmd/evtxbench -runs 3
	$(GO) run ./internal/testkit/cmd/benchcmp

## cover: test coverage summary and coverage.out
cover:
	$(GO) test -count=1 -coverprofile=coverage.out $(PKGS)
	$(GO) tool cover -func=coverage.out | tail -1

## golden: rewrite golden files after an intended output change
golden:
	$(GO) test ./report/... ./parsers/... ./cmd/... -update

## samples: rebuild testdata/logs/*.zip from the committed case fixtures
samples:
	$(GO) run ./internal/testkit/cmd/genlogs

samples-check:
	$(GO) run ./internal/testkit/cmd/genlogs -check

## regress: the shipped samples through "sfblog regress", as a CI job would
## run its own corpus: each case's built zip beside its expected.json (the
## case folders hold the generators' specs of some inputs, not the inputs)
regress: build
	@d=$$(mktemp -d) && trap 'rm -rf "$$d"' EXIT && \
	for e in testdata/logs/cases/*/expected.json; do \
		c=$$(basename $$(dirname $$e)); mkdir "$$d/$$c" && \
		cp "testdata/logs/$$c.zip" "$$d/$$c/bundle.zip" && cp "$$e" "$$d/$$c/" || exit 1; \
	done && ./bin/sfblog regress "$$d"

## tools: the independent EVTX readers the cross-check tests use (Debian)
tools:
	@command -v evtxexport >/dev/null && test -x /usr/bin/evtx_dump.py || \
	{ (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libevtx-utils python3-evtx) \
	  || echo "tools: could not install libevtx-utils/python3-evtx; cross-check tests will skip"; }

clean:
	rm -rf bin coverage.out
