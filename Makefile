# evpipe: plain make.  `make` builds (it needs only the build
# dependencies: scripts/install-deps --build-only), `make check` runs every
# test, `make asan` runs them again under AddressSanitizer and UBSan.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
SHAREDIR ?= $(PREFIX)/share
MANPREFIX ?= $(SHAREDIR)/man
# The profiles and their schemas; the programs look there (EVP_DATADIR).
DATADIR	?= $(SHAREDIR)/evpipe
BASHCOMPDIR ?= $(SHAREDIR)/bash-completion/completions
ZSHCOMPDIR ?= $(SHAREDIR)/zsh/site-functions
FISHCOMPDIR ?= $(SHAREDIR)/fish/vendor_completions.d
DESTDIR	?=
BUILD	?= build

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
	  -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
ZLIB_CFLAGS != pkg-config --cflags zlib 2>/dev/null || true
ZLIB_LIBS != pkg-config --libs zlib 2>/dev/null || echo -lz
PCRE2_CFLAGS != pkg-config --cflags libpcre2-8 2>/dev/null || true
PCRE2_LIBS != pkg-config --libs libpcre2-8 2>/dev/null || echo -lpcre2-8
# zstd, xz and bzip2 (Debian's libbz2-dev has no pkg-config file).
Z_CFLAGS != pkg-config --cflags libzstd liblzma 2>/dev/null || true
Z_LIBS	!= pkg-config --libs libzstd liblzma 2>/dev/null || echo -lzstd -llzma
ALL_CFLAGS = $(WARN) -pthread -Ilib -DEVP_DATADIR='"$(DATADIR)"' \
	  $(ZLIB_CFLAGS) $(Z_CFLAGS) $(PCRE2_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LIBS	= -lcsv $(ZLIB_LIBS) $(Z_LIBS) -lbz2 $(PCRE2_LIBS) -pthread

PROGS	= evp-collect evp-classify evp-merge evp-validate evp-dedupe evp-sort \
	  evp-filter evp-sessionize evp-summarize
LAYERS	= core types formats schema stages aep nordeus prog
LIB_SRC	= $(foreach d,$(LAYERS),$(wildcard lib/$(d)/*.c))
LIB_HDR	= $(foreach d,$(LAYERS),$(wildcard lib/$(d)/*.h))
LIB_OBJ	= $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
TEST_SRC = $(wildcard lib/tests/test_*.c)
TEST_UTIL = $(BUILD)/tests/testutil.o
TESTS	= $(TEST_SRC:lib/tests/%.c=$(BUILD)/tests/%) $(BUILD)/tests/jsonschema_suite
BINS	= $(PROGS:%=$(BUILD)/%) $(BUILD)/evp
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)
COMP	= $(BUILD)/completions
# The built-in profiles and their schemas: each system's folder holds
# them; they are installed side by side in DATADIR.
SHARE	= $(wildcard lib/*/*.json)
# Files under a share/ folder of the sources, if one is there, are
# installed under SHAREDIR as they lie (share/evpipe/x in DATADIR).
SHARETREE != find share -type f 2>/dev/null | sort

all: $(BINS) $(COMP)/.done

# The build dependencies, checked once per build folder: a clear message
# naming what is missing rather than a compiler error.  Nothing is
# installed here (scripts/install-deps does that, as root).
$(BUILD)/.deps: scripts/check-deps
	@mkdir -p $(BUILD)
	@CC="$(CC)" scripts/check-deps --build
	@touch $@

# What the tests need besides, checked before any test is built.
test-deps:
	@CC="$(CC)" scripts/check-deps --test

# Shell completions made from the programs' option tables (--print-options).
$(COMP)/.done: scripts/completions $(BINS)
	scripts/completions $(BUILD) $(COMP)
	@touch $@

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDR) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libevp.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/cmd/%.o: cmd/%.c cmd/cmds.h $(LIB_HDR) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/cmd/builtin/%.o: cmd/%.c cmd/cmds.h $(LIB_HDR) | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DEVP_BUILTIN -c $< -o $@

$(BUILD)/evp-%: $(BUILD)/cmd/evp-%.o $(BUILD)/libevp.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/evp: $(BUILD)/cmd/evp.o $(PROGS:%=$(BUILD)/cmd/builtin/%.o) $(BUILD)/libevp.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(TEST_UTIL): lib/tests/testutil.c lib/tests/testutil.h $(LIB_HDR) | test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/test_%: lib/tests/test_%.c lib/tests/testutil.h $(TEST_UTIL) \
    $(BUILD)/libevp.a | test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_UTIL) $(BUILD)/libevp.a -lcmocka $(LIBS)

# The JSON Schema Test Suite's runner (scripts/test-jsonschema), not a unit test.
$(BUILD)/tests/jsonschema_suite: lib/tests/jsonschema_suite.c $(BUILD)/libevp.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libevp.a $(LIBS)

tests: $(TESTS)

check: all tests
	@scripts/check $(BUILD)

SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check

demo: all
	@scripts/demo $(BUILD)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man5 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR) \
	    $(DESTDIR)$(DATADIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)/
	install -m 644 $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	install -m 644 $(MAN5) $(DESTDIR)$(MANPREFIX)/man5/
	install -m 644 $(COMP)/bash/* $(DESTDIR)$(BASHCOMPDIR)/
	install -m 644 $(COMP)/zsh/_evp $(DESTDIR)$(ZSHCOMPDIR)/
	install -m 644 $(COMP)/fish/*.fish $(DESTDIR)$(FISHCOMPDIR)/
	$(if $(SHARE),install -m 644 $(SHARE) $(DESTDIR)$(DATADIR)/)
	for f in $(SHARETREE:share/%=%); do \
	    install -D -m 644 share/$$f $(DESTDIR)$(SHAREDIR)/$$f || exit 1; \
	done

uninstall:
	rm -f $(BINS:$(BUILD)/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANPREFIX)/man1/%)
	rm -f $(MAN5:man/%=$(DESTDIR)$(MANPREFIX)/man5/%)
	rm -f $(BINS:$(BUILD)/%=$(DESTDIR)$(BASHCOMPDIR)/%)
	rm -f $(DESTDIR)$(ZSHCOMPDIR)/_evp
	rm -f $(BINS:$(BUILD)/%=$(DESTDIR)$(FISHCOMPDIR)/%.fish)
	rm -f $(addprefix $(DESTDIR)$(DATADIR)/,$(notdir $(SHARE)))
	rm -f $(SHARETREE:share/%=$(DESTDIR)$(SHAREDIR)/%)
	[ ! -d share ] || (cd share && find . -mindepth 1 -depth -type d) | \
	    while read -r d; do rmdir $(DESTDIR)$(SHAREDIR)/$$d 2>/dev/null; \
	    done; true
	rmdir $(DESTDIR)$(DATADIR) 2>/dev/null || true

# The value of a variable, for scripts (scripts/bench: make -s print-LIBS).
print-%:
	@echo '$($*)'

clean:
	rm -rf build build-asan

.PHONY: all tests test-deps check asan demo install uninstall clean
.SECONDARY:

# ---- fuzzing: added with lib/fuzz/, scripts/fuzz and testdata/fuzz/ ----
# libFuzzer harnesses (lib/fuzz/fuzz_*.c) linked with the library built
# again by clang with the same sanitizers, in build-fuzz/.  `make fuzz`
# fuzzes each harness FUZZ_SECONDS (default 60) from its seed corpus
# testdata/fuzz/<harness>/ (new inputs and findings go to build-fuzz/, not
# into testdata); `make fuzz-replay` runs each harness once over its
# corpus.  FUZZ="fuzz_jsonl fuzz_query" limits either to those harnesses;
# FUZZ_JOBS sets how many run at once (default: one per CPU).
FUZZ_BUILD	= build-fuzz
FUZZ_CC		= clang
FUZZ_SECONDS	?= 60
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer
FUZZ_CFLAGS	= $(WARN) -Wno-format-nonliteral -pthread -Ilib $(ZLIB_CFLAGS) \
		  $(Z_CFLAGS) $(PCRE2_CFLAGS) \
		  -O1 -g $(FUZZ_SAN)
FUZZ_SRC	= $(wildcard lib/fuzz/fuzz_*.c)
FUZZ_BINS	= $(FUZZ_SRC:lib/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ	= $(LIB_SRC:lib/%.c=$(FUZZ_BUILD)/lib/%.o)

$(FUZZ_BUILD)/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libevp.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(FUZZ_LIB_OBJ)

# What the harnesses share: fuzzutil, and for the input harnesses the
# reference decoders (fuzzcodec) and the compressed files they make (fuzzmake).
FUZZ_UTIL	= $(FUZZ_BUILD)/fuzzutil.o $(FUZZ_BUILD)/fuzzcodec.o \
		  $(FUZZ_BUILD)/fuzzmake.o

$(FUZZ_BUILD)/fuzz%.o: lib/fuzz/fuzz%.c lib/fuzz/fuzzutil.h lib/fuzz/fuzzcodec.h \
    $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: lib/fuzz/fuzz_%.c lib/fuzz/fuzzutil.h lib/fuzz/fuzzcodec.h \
    $(LIB_HDR) $(FUZZ_UTIL) $(FUZZ_BUILD)/libevp.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_UTIL) \
	    $(FUZZ_BUILD)/libevp.a $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@scripts/fuzz run $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ)

fuzz-replay: fuzz-build
	@scripts/fuzz replay $(FUZZ_BUILD) $(FUZZ)

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

clean: fuzz-clean

.PHONY: fuzz fuzz-build fuzz-replay fuzz-clean
# ---- end of fuzzing ----
