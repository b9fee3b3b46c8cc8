#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 5s), from its seed corpus on.
#
# A target fails the run when it finds a failing input (Go writes it to the
# package's testdata/fuzz/TARGET/). A short run of the Go fuzzing harness
# sometimes ends with "context deadline exceeded" and no failing input at
# all (a race in Go's fuzzing coordinator at the -fuzztime deadline,
# go.dev/issue/75804); such a run is tried once more, and if it happens
# again it is reported and not counted as a failure.
#
# FUZZMINIMIZETIME (default 5s) bounds how long a worker shrinks each new
# input it finds; the harness reports no executions meanwhile, and Go's
# default of a minute left the targets that take whole logs shrinking for
# most of a 10-minute run.
set -u
GO=${GO:-go}
T=${FUZZTIME:-5s}
M=${FUZZMINIMIZETIME:-5s}
status=0
files=$(git ls-files '*_test.go' 2>/dev/null || find . -name '*_test.go')
for dir in $(grep -l '^func Fuzz' $files | xargs -n1 dirname | sort -u); do
	pkg=./${dir#./}
	for f in $($GO test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		for try in 1 2; do
			before=$(ls "$dir/testdata/fuzz/$f" 2>/dev/null)
			echo "$GO test -run '^\$' -fuzz '^$f\$' -fuzztime $T -fuzzminimizetime $M $pkg"
			out=$($GO test -run '^$' -fuzz "^$f\$" -fuzztime "$T" -fuzzminimizetime "$M" "$pkg" 2>&1)
			rc=$?
			echo "$out" | grep -v '^fuzz: elapsed' | tail -4
			[ $rc -eq 0 ] && break
			after=$(ls "$dir/testdata/fuzz/$f" 2>/dev/null)
			if [ "$before" != "$after" ] || echo "$out" | grep -q 'Failing input written'; then
				echo "fuzz-short: $f found a failing input"
				status=1
				break
			fi
			echo "fuzz-short: $f: the fuzzing harness stopped without a failing input (try $try of 2)"
			[ $try -eq 2 ] && echo "fuzz-short: $f: harness error, not counted as a failure"
		done
	done
done
exit $status
