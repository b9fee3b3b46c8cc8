#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 5s), from its seed corpus on.
#
# A target fails the run when it finds a failing input (Go writes it to the
# package's testdata/fuzz/TARGET/). A short run of the Go fuzzing harness
# sometimes ends with "context deadline exceeded" and no failing input at
# all; such a run is tried once more, and if it happens again it is
# reported and not counted as a failure.
set -u
GO=${GO:-go}
T=${FUZZTIME:-5s}
status=0
files=$(git ls-files '*_test.go' 2>/dev/null || find . -name '*_test.go')
for dir in $(grep -l '^func Fuzz' $files | xargs -n1 dirname | sort -u); do
	pkg=./${dir#./}
	for f in $($GO test -list '^Fuzz' "$pkg" | grep '^Fuzz'); do
		for try in 1 2; do
			before=$(ls "$dir/testdata/fuzz/$f" 2>/dev/null)
			echo "$GO test -run '^\$' -fuzz '^$f\$' -fuzztime $T $pkg"
			out=$($GO test -run '^$' -fuzz "^$f\$" -fuzztime "$T" "$pkg" 2>&1)
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
