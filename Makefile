# make bench: the performance benchmarks on one core, summarised by
# benchstat (see scripts/bench.sh for COUNT, BENCH, BENCHTIME and OUT,
# e.g. `make bench COUNT=3 OUT=new.txt`). Not run by CI: it takes minutes.
.PHONY: bench
bench:
	./scripts/bench.sh

# make instructions: the instructions a request executes on the request
# path and on the bare loop, counted with valgrind's cachegrind (see
# scripts/instructions.sh). Not run by CI: it needs valgrind and minutes.
.PHONY: instructions
instructions:
	./scripts/instructions.sh
