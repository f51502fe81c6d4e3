# betaalrun — GNU make build.  See README.md.
#
#   make            build ./betaalrun (-Wall -Wextra -Werror and the rest, see CFLAGS)
#   make test       layering check, unit tests (cmocka), fuzz-corpus replay, end-to-end tests
#   make demo       install what is missing, build, run the pipeline on samples/
#   make deps       apt-get install the Debian packages a fresh machine lacks
#   make deps-package   ... and those to build the .deb (tests/package/build_deb.sh)
#   make install    PREFIX=/usr/local DESTDIR= : binary, shipped data, man pages, docs
#   make deps-tools apt-get install LibreOffice Calc and Chromium for the report tests
#   make fuzz       libFuzzer targets with clang (build/fuzz/)
#   make bench      the month at 100,000 and 500,000 dossiers and more (BENCH_SIZES=20000: quick)
#   make SANITIZE=address,undefined   build everything with sanitizers
#   make WERROR=1   warnings are errors (CI)
#   make XMLIN_CHUNK=13 B=build-chunk unit   XML read 13 bytes at a time

CC      ?= cc
PKGS    := libxml-2.0 openssl zlib sqlite3
B       := build
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wformat=2 -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT     ?= -O2 -g
# Where the binary finds its shipped data (schemas/, rules/) unless
# $BETAALRUN_DATADIR says otherwise: this tree's data/ for a build here.
DATADIR ?= $(CURDIR)/data
# The program's version, in one place: the VERSION file (`betaalrun --version`).
VERSION := $(shell cat $(CURDIR)/VERSION)
CFLAGS  += -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
           -Icore -Iparsers -Iwriters -Ipipeline $(PKG_CFLAGS) \
           -DBR_SOURCE_DIR='"$(CURDIR)"' -DBR_DATADIR='"$(DATADIR)"' \
           -DBR_VERSION='"$(VERSION)"'
LDLIBS  += $(PKG_LIBS) -pthread
ifneq ($(XMLIN_CHUNK),)
CFLAGS  += -DXMLIN_CHUNK=$(XMLIN_CHUNK)
endif
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
B       := build-san
endif

LIB_SRC := $(wildcard core/*.c parsers/*.c writers/*.c pipeline/*.c)
LIB_SRC := $(filter-out pipeline/main.c,$(LIB_SRC))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
GEN      := $(B)/brgen

.PHONY: all layers test unit e2e fuzz fuzz-replay demo deps deps-tools bench clean check-deps \
        install install-build uninstall deps-package
all: betaalrun $(GEN)

$(B)/%.o: %.c $(wildcard core/*.h parsers/*.h writers/*.h pipeline/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The EPC's list of SEPA countries (data/rules/sepa_landen.txt, data
# reviewed like code) as a C table for iban.c: the distinct IBAN country
# codes in the order of the file, and the `versie` line.  Written to
# core/ (not tracked) so that every build (make, make fuzz, SANITIZE)
# finds it; a line that is not `XX YY name` stops the build.
core/sepa_landen.h: data/rules/sepa_landen.txt
	@awk 'BEGIN { print "/* Generated from data/rules/sepa_landen.txt by make: edit that file. */" } \
	  /^#/ || NF == 0 { next } \
	  $$1 == "versie" { sub(/^versie[ \t]+/, ""); versie = $$0; next } \
	  $$1 !~ /^[A-Z][A-Z]$$/ || $$2 !~ /^([A-Z][A-Z]|-)$$/ || NF < 3 { \
	    printf "%s:%d: not IBAN-code ISO-code name\n", FILENAME, FNR > "/dev/stderr"; bad = 1; exit 1 } \
	  !($$1 in seen) { seen[$$1] = 1; codes = codes (n++ % 10 ? " " : "\n\t") "\"" $$1 "\"," } \
	  END { if (bad) exit 1; if (versie == "" || n == 0) { print FILENAME ": no versie or no countries" > "/dev/stderr"; exit 1 } \
	    print "#define SEPA_LANDEN_VERSIE \"" versie "\""; \
	    print "static const char sepa_landen[][3] = {" codes "\n};" }' $< >$@.tmp && mv $@.tmp $@
$(B)/core/iban.o: core/sepa_landen.h
$(B)/pipeline/version.o: VERSION

$(B)/libbetaalrun.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/betaalrun: $(B)/pipeline/main.o $(B)/libbetaalrun.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

betaalrun: $(B)/betaalrun
	cp $< $@

$(GEN): samples/brgen.c $(B)/libbetaalrun.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/test_%: tests/unit/test_%.c $(B)/libbetaalrun.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(CMOCKA_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(CMOCKA_LIBS) $(LDLIBS)

# Standalone driver: replays tests/fuzz/corpus/<target>/* through each target
# without libFuzzer (libgit2's standalone driver).
$(B)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/standalone.c $(B)/libbetaalrun.a $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LDLIBS)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; BR_SOURCE_DIR=$(CURDIR) $$t; done

fuzz-replay: $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz-replay/%)
	@set -e; for t in $^; do n=$$(basename $$t); echo "== replay $$n"; $$t tests/fuzz/corpus/$$n; done

e2e: betaalrun $(GEN)
	@set -e; for t in tests/e2e/test_*.sh; do echo "== $$t"; BR=$(CURDIR)/betaalrun BRGEN=$(CURDIR)/$(GEN) bash $$t; done

# Randomized differential test of the settlement (issue 15, tests/history/):
# generated register histories through intake, the engine and the ledger,
# month by month, against an independent oracle written from rules.md.
# `history`: the fixed seeds and one fresh seed (printed); `history-long`:
# HISTORY_COUNT seeds (default 2000) from a fresh or given HISTORY_FIRST.
HISTORY_SRC := $(wildcard tests/history/*.c)
$(B)/tests/history/test_history: $(HISTORY_SRC) $(wildcard tests/history/*.h) $(B)/libbetaalrun.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LDLIBS)
.PHONY: history history-long
history: $(B)/tests/history/test_history
	BR_SOURCE_DIR=$(CURDIR) $<
history-long: $(B)/tests/history/test_history
	BR_SOURCE_DIR=$(CURDIR) HISTORY_COUNT=$${HISTORY_COUNT:-2000} $<

# Include discipline (tests/lint/layers.sh): core/ < parsers/, writers/ < pipeline/.
layers:
	@bash tests/lint/layers.sh
	@bash tests/lint/standalone.sh

test: layers unit fuzz-replay e2e history
	@echo "all tests passed"

# The fuzz targets read their input in chunks of 61 bytes (XMLIN_CHUNK), so
# that the short inputs a fuzzer makes still cross chunk boundaries.
FUZZ_CC := clang
FUZZ_CHUNK ?= 61
FUZZ_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
        -fsanitize=fuzzer,address,undefined -Icore -Iparsers -Iwriters -Ipipeline $(PKG_CFLAGS) \
        -DBR_SOURCE_DIR='"$(CURDIR)"' -DBR_DATADIR='"$(DATADIR)"' -DBR_VERSION='"$(VERSION)"' -DXMLIN_CHUNK=$(FUZZ_CHUNK)
fuzz: $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(LIB_SRC) core/sepa_landen.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(PKG_LIBS)

DEPS_DEB := build-essential pkg-config libxml2-dev libssl-dev zlib1g-dev \
            libsqlite3-dev libcmocka-dev libxml2-utils openssl sqlite3 \
            clang libclang-rt-14-dev bc time util-linux \
            mandoc man-db groff-base bsdextrautils binutils git systemd
# Packages to build the Debian package (tests/package/build_deb.sh, CI
# only; not needed by make test).
DEPS_PACKAGE := $(DEPS_DEB) debhelper dpkg-dev devscripts lintian fakeroot

# The tools the end-to-end tests open the reports with (test_report_tools.sh:
# the CSV files in LibreOffice Calc, rapport.html in Chromium); without
# them those checks say SKIP.  .ci/run installs them, so CI runs them.
DEPS_TOOLS_DEB := libreoffice-calc-nogui chromium

# One rule installs what each list lacks (Debian packages only; the tools
# without their recommends, which would pull in a desktop).
deps: DEPS_WANTED = $(DEPS_DEB)
deps-package: DEPS_WANTED = $(DEPS_PACKAGE)
deps-tools: DEPS_WANTED = $(DEPS_TOOLS_DEB)
deps-tools: APT_FLAGS = --no-install-recommends
deps deps-package deps-tools:
	@missing=""; for p in $(DEPS_WANTED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_FLAGS) $$missing; \
	else echo "all of $@'s packages present"; fi

demo: deps
	$(MAKE) all
	bash samples/demo.sh

$(B)/settle_bench: tests/bench/settle_bench.c $(B)/libbetaalrun.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make bench (not part of make test; README "Measured"): the month, step by
# step, at each of BENCH_SIZES dossiers (default 100000 500000) beside
# xmllint; 61 monthly runs (HISTORY_DOSSIERS, 5000); the worklist; the
# settlement engine alone; the bank files.  Goals are reported, met or not;
# only a failing step fails it.  Measuring code: tests/bench/lib.sh.
BENCH_ENV = BR=$(CURDIR)/betaalrun BRGEN=$(CURDIR)/$(GEN)
bench: all $(B)/settle_bench
	$(BENCH_ENV) bash tests/bench/bench_month.sh
	$(BENCH_ENV) bash tests/bench/bench_history.sh
	$(BENCH_ENV) bash tests/bench/bench_jobs.sh
	$(BENCH_ENV) SETTLE_BENCH=$(CURDIR)/$(B)/settle_bench bash tests/bench/bench_settle.sh
	$(BENCH_ENV) bash tests/bench/bench_bank.sh

# ---- install (FHS) ----------------------------------------------------------
# `make install PREFIX=/usr DESTDIR=/tmp/stage`.  The installed binary is
# built apart, in $(IB), with BR_DATADIR = $(PKGDATADIR) compiled in, so
# that ./betaalrun keeps reading this tree's data/; $(IB)/.datadir records
# the DATADIR it was built for and a different one rebuilds it.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
PKGDATADIR ?= $(PREFIX)/share/betaalrun
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/betaalrun
# The systemd unit; empty UNITDIR installs none (debian/rules places it).
UNITDIR    ?= $(PREFIX)/lib/systemd/system
IB         ?= build-install
DOCS       := README.md $(wildcard docs/*.md)

install-build:
	@if [ "$$(cat $(IB)/.datadir 2>/dev/null)" != "$(PKGDATADIR)" ]; then \
	  rm -rf $(IB); mkdir -p $(IB); echo "$(PKGDATADIR)" >$(IB)/.datadir; fi
	$(MAKE) B=$(IB) DATADIR=$(PKGDATADIR) $(IB)/betaalrun $(IB)/betaalrun.conf.example

# The example configuration is the commented one `betaalrun init` writes.
$(B)/betaalrun.conf.example: $(B)/betaalrun
	@rm -rf $(B)/example-home
	$(B)/betaalrun --home $(B)/example-home init >/dev/null
	cp $(B)/example-home/betaalrun.conf $@
	@rm -rf $(B)/example-home

install: install-build
	install -d -m 755 $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(DOCDIR)/examples
	install -m 755 $(IB)/betaalrun $(DESTDIR)$(BINDIR)/betaalrun
	@set -e; for f in $$(cd data && find schemas rules -type f | LC_ALL=C sort); do \
	  echo "install data/$$f"; install -D -m 644 data/$$f $(DESTDIR)$(PKGDATADIR)/$$f; done
	install -D -m 644 man/betaalrun.1 $(DESTDIR)$(MANDIR)/man1/betaalrun.1
	install -D -m 644 man/betaalrun.conf.5 $(DESTDIR)$(MANDIR)/man5/betaalrun.conf.5
	@set -e; for f in $(DOCS); do install -D -m 644 $$f $(DESTDIR)$(DOCDIR)/$$f; done
	install -m 644 $(IB)/betaalrun.conf.example $(DESTDIR)$(DOCDIR)/examples/betaalrun.conf
	@set -e; if [ -n "$(UNITDIR)" ]; then install -d -m 755 $(DESTDIR)$(UNITDIR); \
	  echo "install dist/betaalrun-watch.service (ExecStart $(BINDIR)/betaalrun)"; \
	  sed 's|/usr/bin/betaalrun|$(BINDIR)/betaalrun|g' dist/betaalrun-watch.service >$(DESTDIR)$(UNITDIR)/betaalrun-watch.service; \
	  chmod 644 $(DESTDIR)$(UNITDIR)/betaalrun-watch.service; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/betaalrun $(DESTDIR)$(MANDIR)/man1/betaalrun.1 $(DESTDIR)$(MANDIR)/man5/betaalrun.conf.5
	rm -rf $(DESTDIR)$(PKGDATADIR) $(DESTDIR)$(DOCDIR)
	@if [ -n "$(UNITDIR)" ]; then rm -f $(DESTDIR)$(UNITDIR)/betaalrun-watch.service; fi

clean:
	rm -rf build build-san build-install betaalrun
