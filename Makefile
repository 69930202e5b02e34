# evpipe: plain make.  `make` builds, `make check` runs every test,
# `make asan` runs them again under AddressSanitizer and UBSan.

PREFIX	?= /usr/local
MANPREFIX ?= $(PREFIX)/share/man
DESTDIR	?=
BUILD	?= build

CC	?= cc
CFLAGS	?= -O2 -g
WARN	= -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow \
	  -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
ZLIB_CFLAGS != pkg-config --cflags zlib 2>/dev/null || true
ZLIB_LIBS != pkg-config --libs zlib 2>/dev/null || echo -lz
ALL_CFLAGS = $(WARN) -pthread -Ilib $(ZLIB_CFLAGS) $(CFLAGS)
LIBS	= -lcsv $(ZLIB_LIBS) -pthread

PROGS	= evp-collect evp-classify evp-merge evp-validate evp-dedupe
LIB_SRC	= $(wildcard lib/*.c)
LIB_OBJ	= $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
TEST_SRC = $(wildcard lib/tests/test_*.c)
TESTS	= $(TEST_SRC:lib/tests/%.c=$(BUILD)/tests/%)
BINS	= $(PROGS:%=$(BUILD)/%) $(BUILD)/evp
MAN1	= $(wildcard man/*.1)
MAN5	= $(wildcard man/*.5)

all: $(BUILD)/.deps $(BINS)

# Install the Debian packages the build needs, once, if one is missing.
$(BUILD)/.deps: scripts/install-deps
	@mkdir -p $(BUILD)
	@scripts/install-deps --if-missing
	@touch $@

$(BUILD)/lib/%.o: lib/%.c lib/*.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libevp.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/cmd/%.o: cmd/%.c cmd/cmds.h lib/*.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/cmd/builtin/%.o: cmd/%.c cmd/cmds.h lib/*.h | $(BUILD)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DEVP_BUILTIN -c $< -o $@

$(BUILD)/evp-%: $(BUILD)/cmd/evp-%.o $(BUILD)/libevp.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/evp: $(BUILD)/cmd/evp.o $(PROGS:%=$(BUILD)/cmd/builtin/%.o) $(BUILD)/libevp.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: lib/tests/%.c $(BUILD)/libevp.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libevp.a -lcmocka $(LIBS)

tests: $(TESTS)

check: all tests
	@scripts/check $(BUILD)

SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
asan:
	$(MAKE) BUILD=build-asan CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check

demo: all
	@scripts/demo $(BUILD)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 $(DESTDIR)$(MANPREFIX)/man5
	cp $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp $(MAN1) $(DESTDIR)$(MANPREFIX)/man1/
	cp $(MAN5) $(DESTDIR)$(MANPREFIX)/man5/

uninstall:
	rm -f $(BINS:$(BUILD)/%=$(DESTDIR)$(PREFIX)/bin/%)
	rm -f $(MAN1:man/%=$(DESTDIR)$(MANPREFIX)/man1/%)
	rm -f $(MAN5:man/%=$(DESTDIR)$(MANPREFIX)/man5/%)

clean:
	rm -rf build build-asan

.PHONY: all tests check asan demo install uninstall clean
.SECONDARY:
