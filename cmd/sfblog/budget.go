package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sfblog/sfblog/bundle"
)

// budgetFlags are the limits a run puts on what archives may make it read:
// --max-bytes and --max-entries. An input over a limit is listed in the
// report with the reason; the rest is analysed.
type budgetFlags struct {
	maxBytes   string
	maxEntries int
}

func (b *budgetFlags) add(fl *pflag.FlagSet) {
	fl.StringVar(&b.maxBytes, "max-bytes", formatSize(bundle.DefaultMaxBytes),
		"decompress at most `SIZE` from the archives of one run (4GiB, 512MiB, 100MB, or bytes)")
	fl.IntVar(&b.maxEntries, "max-entries", bundle.DefaultMaxEntries, "read at most `N` entries of archives and folders in one run (nested zips and subfolders included)")
}

// apply sets the limits in opt.
func (b *budgetFlags) apply(opt *bundle.Options) error {
	n, err := parseSize(b.maxBytes)
	if err != nil || n <= 0 {
		return usageErr("--max-bytes %q: want a size such as 4GiB, 512MiB or 100MB", b.maxBytes)
	}
	if b.maxEntries < 1 {
		return usageErr("--max-entries must be at least 1")
	}
	opt.MaxBytes, opt.MaxEntries = n, b.maxEntries
	return nil
}

// sizeUnits are the suffixes parseSize takes, longest first.
var sizeUnits = []struct {
	suffix string
	n      int64
}{
	{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
}

// parseSize reads "4GiB", "512MiB", "100MB", "64k" or a number of bytes.
func parseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.n
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("size %q: %w", s, strconv.ErrSyntax)
	}
	return int64(v * float64(mult)), nil
}

// formatSize renders a byte count the way parseSize reads it back.
func formatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.n && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}
