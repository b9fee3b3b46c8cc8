package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// module is the import path prefix of this module's packages.
const module = "github.com/sfblog/sfblog"

// initBudget is the most one package may allocate while it initialises.
// Budgets are counted in allocations and bytes, which do not depend on the
// machine's speed.
type initBudget struct {
	allocs, bytes int64
}

var (
	// defaultBudget holds for every package of the module: regular
	// expressions, templates and tables are built on first use, so a
	// package's init does little more than set a few pointers.
	defaultBudget = initBudget{allocs: 200, bytes: 64 << 10}
	// lazyBudget holds for the packages whose start-up work was made lazy:
	// it leaves room for a few more sync.OnceValue closures (2 allocations,
	// 72 bytes each) but not for one regular expression compiled at init
	// (`^\s+"` alone takes 20 allocations, 1.7 KB).
	lazyBudget = initBudget{allocs: 16, bytes: 4 << 10}
)

// initBudgets are the packages with a budget other than defaultBudget.
var initBudgets = map[string]initBudget{
	module + "/analyze":                    lazyBudget,
	module + "/event":                      lazyBudget,
	module + "/parsers/scan":               lazyBudget,
	module + "/parsers/uccapilog":          lazyBudget,
	module + "/parsers/regfile":            lazyBudget,
	module + "/signatures":                 lazyBudget,
	module + "/parsers/adexport":           lazyBudget,
	module + "/parsers/certutil":           lazyBudget,
	module + "/parsers/dns":                lazyBudget,
	module + "/parsers/evttext":            lazyBudget,
	module + "/parsers/internal/localtime": lazyBudget,
	module + "/parsers/netcfg":             lazyBudget,
	module + "/parsers/text":               lazyBudget,
	module + "/parsers/w32tm":              lazyBudget,
	module + "/report":                     lazyBudget,
}

// pkgInit is one line of GODEBUG=inittrace=1 output.
type pkgInit struct {
	pkg    string
	clock  float64 // milliseconds
	bytes  int64
	allocs int64
}

// initLine is the line the runtime prints for each package it initialises
// (runtime/proc.go, doInit1):
//
//	init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs
var initLine = regexp.MustCompile(`^init (\S+) @[0-9.]+ ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs$`)

// parseInitTrace reads the init lines of a GODEBUG=inittrace=1 run and
// ignores every other line.
func parseInitTrace(s string) ([]pkgInit, error) {
	var out []pkgInit
	sc := bufio.NewScanner(strings.NewReader(s))
	for n := 1; sc.Scan(); n++ {
		m := initLine.FindStringSubmatch(strings.TrimRight(sc.Text(), "\r"))
		if m == nil {
			continue
		}
		clock, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: clock: %w", n, err)
		}
		b, err := strconv.ParseInt(m[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: bytes: %w", n, err)
		}
		a, err := strconv.ParseInt(m[4], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: allocs: %w", n, err)
		}
		out = append(out, pkgInit{pkg: m[1], clock: clock, bytes: b, allocs: a})
	}
	return out, sc.Err()
}

func TestParseInitTrace(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []pkgInit
		wantErr bool
	}{
		{
			name: "runtime output",
			in: "init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs\n" +
				"init github.com/sfblog/sfblog/parsers/dns @8.5 ms, 0.91 ms clock, 455160 bytes, 3425 allocs\r\n" +
				"sfblog dev\n",
			want: []pkgInit{
				{pkg: "internal/bytealg"},
				{pkg: module + "/parsers/dns", clock: 0.91, bytes: 455160, allocs: 3425},
			},
		},
		{name: "no trace", in: "sfblog dev\n"},
		{name: "not a trace line", in: "init os: 3 allocs\n"},
		{
			name:    "count out of range",
			in:      "init x @1 ms, 1 ms clock, 99999999999999999999 bytes, 1 allocs\n",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseInitTrace(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestInitIsLazy: starting the binary does not compile the parsers'
// regular expressions or build the report's tables and templates; each
// package of the module stays within the start-up budget.
func TestInitIsLazy(t *testing.T) {
	bin := binary(t)
	cmd := exec.Command(bin, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())

	inits, err := parseInitTrace(stderr.String())
	require.NoError(t, err)
	// The runtime traces every package with init work, the standard
	// library's included: none means the trace was not read at all.
	require.NotEmpty(t, inits, "no inittrace lines in:\n%s", stderr.String())

	var total float64
	for _, p := range inits {
		if !strings.HasPrefix(p.pkg, module+"/") && p.pkg != module {
			continue
		}
		total += p.clock
		budget, ok := initBudgets[p.pkg]
		if !ok {
			budget = defaultBudget
		}
		t.Run(strings.TrimPrefix(p.pkg, module+"/"), func(t *testing.T) {
			assert.LessOrEqual(t, p.allocs, budget.allocs, "allocations at init")
			assert.LessOrEqual(t, p.bytes, budget.bytes, "bytes allocated at init")
		})
	}
	t.Logf("module packages' init: %.3f ms", total)
}
