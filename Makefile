# ragpack — build, sample pack, tests.
#   make pack       install missing Debian packages (as root), build, render
#                   the sample pack into output/
#   make test       the same install step, then every test
#   make sanitize   every unit and integration test under ASan + UBSan
#   make valgrind   unit tests and one build under valgrind memcheck
#   make bench      speed and memory of building packs
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each (default 60)
#   make install    binary, templates, fonts, man page, bash completion and
#                   systemd units under PREFIX (/usr/local), staged in DESTDIR
#   make uninstall  remove exactly what make install installed
#   make format     apply .clang-format to generator/ and tests/
# Targets that need libraries re-invoke make after the install step, so
# pkg-config is only asked once the packages are there.

BUILD_PKGS := gcc make pkg-config libhpdf-dev libcairo2-dev libpng-dev libfreetype-dev \
              libisal-dev \
              libfontconfig-dev libcsv-dev libcyaml-dev libyaml-dev nettle-dev \
              libcmark-dev libxlsxwriter-dev
TEST_PKGS  := libcmocka-dev qpdf poppler-utils bc python3 logrotate
A11Y_PKGS  := nodejs npm chromium
CHECK_PKGS := valgrind
FUZZ_PKGS  := clang libclang-rt-dev

CC      ?= gcc
B       ?= build
OPT     ?= -O2
SAN     ?=
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c17 -Wall -Wextra -D_POSIX_C_SOURCE=200809L $(SAN)
PKG_CFLAGS = $(shell pkg-config --cflags cairo cairo-ft cairo-svg cairo-png freetype2 libpng libcyaml libcmark xlsxwriter 2>/dev/null)
# Libraries only ragpack calls are linked from the static archives their
# Debian -dev packages ship: loading and binding 33 shared objects cost
# 2.3 ms CPU a run, a tenth of the sample pack (docs/performance.md).
# libharu and libxlsxwriter stay shared (ragpack replaces some of their
# functions through their PLT: DEVELOPERS.md), with ISA-L, and libpng and
# zlib, which they load anyway.
STATIC_LIBS = -lcairo -lpixman-1 -lfontconfig -lexpat -lfreetype -lbrotlidec \
              -lbrotlicommon -lcyaml -lyaml -lcmark -lcsv -lnettle
LIBS     = -Wl,--as-needed -Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic \
           -lpng16 -lz -lxlsxwriter -lhpdf -lisal -lm

# The command line (ragpack.c, cli_*.c) is the binary's; the rest is the
# library the tests link.
CLI_SRCS := generator/ragpack.c $(wildcard generator/cli_*.c)
CLI_OBJS := $(patsubst generator/%.c,$(B)/obj/%.o,$(CLI_SRCS))
SRCS    := $(filter-out $(CLI_SRCS),$(wildcard generator/*.c))
OBJS    := $(patsubst generator/%.c,$(B)/obj/%.o,$(SRCS))
HDRS    := $(wildcard generator/*.h)
TESTS   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TEST_HDRS := $(wildcard tests/unit/*.h)

PERIOD  ?=
PACKARGS = $(if $(PERIOD),-p "$(PERIOD)")

.PHONY: all pack test sanitize valgrind bench test-slurm deps deps-test build \
        build-tests clean help fuzz fuzz-build install uninstall format

all: build

help:
	@sed -n '2,12p' Makefile

# clang-format 14 (Debian clang-format); the style is in .clang-format.
format:
	@command -v clang-format >/dev/null || sh tests/deps.sh clang-format
	clang-format -i generator/*.[ch] tests/unit/*.[ch] tests/fuzz/*.c tests/bench.c

deps:
	@sh tests/deps.sh $(BUILD_PKGS)

# tests/a11y: pdf.js, axe-core and puppeteer-core at the lockfile's versions.
# Node and npm from elsewhere (nodesource, nvm) are used as they are.
deps-test:
	@sh tests/deps.sh $(BUILD_PKGS) $(TEST_PKGS)
	@{ command -v node && command -v npm; } >/dev/null 2>&1 || sh tests/deps.sh nodejs npm
	@command -v chromium >/dev/null 2>&1 || sh tests/deps.sh chromium
	@[ -d tests/a11y/node_modules/pdfjs-dist ] || (cd tests/a11y && npm ci --no-audit --no-fund >/dev/null) \
	    || echo "ragpack: npm ci in tests/a11y failed; the a11y checks will be skipped" >&2

build: $(B)/ragpack

pack: deps
	@$(MAKE) --no-print-directory build
	./$(B)/ragpack build $(PACKARGS)

test: deps-test
	@$(MAKE) --no-print-directory build build-tests
	@sh tests/run.sh $(B)

sanitize: deps-test
	@$(MAKE) --no-print-directory B=build-san OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    build build-tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run.sh build-san

valgrind: deps-test
	@sh tests/deps.sh $(CHECK_PKGS)
	@$(MAKE) --no-print-directory build build-tests
	@VALGRIND=1 sh tests/run.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory build $(B)/bench
	@sh tests/bench.sh $(B)

# A single-node Slurm cluster on localhost runs the array job (see
# deploy/slurm/); installs slurm and munge when run as root.
test-slurm: deps
	@$(MAKE) --no-print-directory build
	@sh tests/slurm.sh $(B)

# Coverage-guided fuzzing (tests/fuzz/README.md): each target is built
# with clang's libFuzzer, ASan and UBSan and run for FUZZ_SECONDS; corpora
# grow in $(FUZZ_B)/corpus/<target> across runs, crashes land in
# $(FUZZ_B)/crash-<target>-*. Not part of `make test`.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_B       := $(B)/fuzz
FUZZ_TARGETS := parse csv input template
FUZZ_CFLAGS   = -O1 -g -fno-omit-frame-pointer -std=c17 -Wall -Wextra \
                -D_POSIX_C_SOURCE=200809L -DRP_FUZZ_ROOT='"$(CURDIR)"' \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

fuzz:
	@sh tests/deps.sh $(BUILD_PKGS) $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/seeds.sh $(FUZZ_B)/seeds
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/corpus/$$t; \
	    echo "fuzz $$t for $(FUZZ_SECONDS) s"; \
	    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(FUZZ_B)/fuzz_$$t $(FUZZ_B)/corpus/$$t $(FUZZ_B)/seeds/$$t \
	        -dict=tests/fuzz/$$t.dict -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_B)/crash-$$t- || exit 1; \
	done

fuzz-build: $(patsubst %,$(FUZZ_B)/fuzz_%,$(FUZZ_TARGETS))

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c $(SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -Igenerator -o $@ $< $(SRCS) $(LIBS)

$(B)/bench: tests/bench.c $(B)/libragpack.a $(HDRS)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Igenerator -o $@ $< $(B)/libragpack.a $(LIBS)

build-tests: $(TESTS)

$(B)/obj/%.o: generator/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(B)/libragpack.a: $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/ragpack: $(CLI_OBJS) $(B)/libragpack.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libragpack.a $(HDRS) $(TEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Igenerator -o $@ $< $(B)/libragpack.a $(LIBS) -lcmocka

# Installed like a Debian program: ragpack finds its templates and fonts in
# ../share/ragpack beside its own binary (build_data_dir), so the tree can
# be moved as a whole. systemd looks for units in $(PREFIX)/lib/systemd/system
# when PREFIX is /usr/local or /usr.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR      = $(PREFIX)/bin
DATADIR     = $(PREFIX)/share/ragpack
LIBEXECDIR  = $(PREFIX)/lib/ragpack
MANDIR      = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
UNITDIR     = $(PREFIX)/lib/systemd/system
UNITS       = ragpack-batch.service ragpack-batch.timer ragpack-failure@.service
TEMPLATES   = $(notdir $(wildcard templates/*.yaml))
FONTS       = $(notdir $(wildcard fonts/*))
# The shipped units name the default paths; installed, they name PREFIX's.
UNIT_SED    = -e 's|/usr/local/bin/ragpack|$(BINDIR)/ragpack|g' \
              -e 's|/usr/local/lib/ragpack/|$(LIBEXECDIR)/|g'

install: $(B)/ragpack
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/templates \
	    $(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR) \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 755 $(B)/ragpack $(DESTDIR)$(BINDIR)/ragpack
	install -m 644 $(addprefix templates/,$(TEMPLATES)) $(DESTDIR)$(DATADIR)/templates/
	install -m 644 $(addprefix fonts/,$(FONTS)) $(DESTDIR)$(DATADIR)/fonts/
	install -m 755 deploy/systemd/record-failure $(DESTDIR)$(LIBEXECDIR)/record-failure
	install -m 644 man/ragpack.1 $(DESTDIR)$(MANDIR)/ragpack.1
	install -m 644 completion/ragpack.bash $(DESTDIR)$(BASHCOMPDIR)/ragpack
	for u in $(UNITS); do \
	    sed $(UNIT_SED) deploy/systemd/$$u >$(DESTDIR)$(UNITDIR)/$$u && \
	    chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ragpack $(DESTDIR)$(MANDIR)/ragpack.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/ragpack $(DESTDIR)$(LIBEXECDIR)/record-failure \
	    $(addprefix $(DESTDIR)$(DATADIR)/templates/,$(TEMPLATES)) \
	    $(addprefix $(DESTDIR)$(DATADIR)/fonts/,$(FONTS)) \
	    $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	-rmdir $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/fonts \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBEXECDIR) 2>/dev/null

clean:
	rm -rf build build-san output/*.pdf output/*/
