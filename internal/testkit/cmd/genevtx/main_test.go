package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/testkit/evtxwriter"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunSpec(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.evtx"), filepath.Join(dir, "b.evtx")
	spec := filepath.Join("testdata", "spec.json")
	code, _, stderr := runCmd(t, "-spec", spec, "-o", a)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = runCmd(t, "-spec", spec, "-o", b)
	require.Equal(t, 0, code, stderr)

	got, err := os.ReadFile(a)
	require.NoError(t, err)
	again, err := os.ReadFile(b)
	require.NoError(t, err)
	assert.Equal(t, got, again, "same spec, same bytes")

	recs, err := evtxwriter.ReadSpec(spec)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	var want bytes.Buffer
	require.NoError(t, evtxwriter.Write(&want, recs))
	assert.Equal(t, want.Bytes(), got, "the file holds the spec's records")

	// -o - writes the same bytes to standard output.
	code, stdout, stderr := runCmd(t, "-spec", spec, "-o", "-")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, got, []byte(stdout))

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary files left")
}

func TestRunCount(t *testing.T) {
	dir := t.TempDir()
	path := func(n string) string { return filepath.Join(dir, n) }
	for _, c := range [][]string{
		{"-count", "1500", "-seed", "5", "-o", path("a.evtx")},
		{"-count", "1500", "-seed", "5", "-o", path("b.evtx")},
		{"-count", "1500", "-seed", "6", "-o", path("c.evtx")},
		{"-count", "1500", "-seed", "5", "-start", "2025-01-01T00:00:00Z", "-o", path("d.evtx")},
	} {
		code, _, stderr := runCmd(t, c...)
		require.Equal(t, 0, code, stderr)
	}
	read := func(n string) []byte {
		b, err := os.ReadFile(path(n))
		require.NoError(t, err)
		return b
	}
	var want bytes.Buffer
	require.NoError(t, evtxwriter.Write(&want, evtxwriter.Noise(1500, 5, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))))
	assert.Equal(t, want.Bytes(), read("a.evtx"))
	assert.Equal(t, read("a.evtx"), read("b.evtx"), "same seed, same bytes")
	assert.NotEqual(t, read("a.evtx"), read("c.evtx"), "another seed")
	assert.NotEqual(t, read("a.evtx"), read("d.evtx"), "another start")
	assert.Greater(t, len(read("a.evtx")), 4096+2*65536, "1500 records take several chunks")
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"help", []string{"-h"}, 0, "usage: genevtx"},
		{"nothing", nil, 2, "-o is required"},
		{"no input", []string{"-o", "x.evtx"}, 2, "either -spec or a positive -count"},
		{"both inputs", []string{"-spec", "s.json", "-count", "3", "-o", "x.evtx"}, 2, "either -spec or a positive -count"},
		{"negative count", []string{"-count", "-3", "-o", "x.evtx"}, 2, "either -spec or a positive -count"},
		{"unknown flag", []string{"-n", "3"}, 2, "flag provided but not defined"},
		{"argument", []string{"-count", "3", "-o", "x.evtx", "extra"}, 2, `unexpected argument "extra"`},
		{"bad start", []string{"-count", "3", "-start", "yesterday", "-o", "x.evtx"}, 2, "-start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Contains(t, stderr, tt.msg)
			assert.Empty(t, stdout)
		})
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	badSID := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badSID,
		[]byte(`[{"provider":"Lync","time":"2024-01-01T00:00:00Z","userSid":"S-1-x"}]`), 0o644))
	out := filepath.Join(dir, "out.evtx")
	tests := []struct {
		name string
		args []string
		msg  string
	}{
		{"missing spec", []string{"-spec", filepath.Join(dir, "none.json"), "-o", out}, "read spec"},
		{"invalid record", []string{"-spec", badSID, "-o", out}, "record 1 (id 1): user SID: invalid SID"},
		{"missing output folder", []string{"-count", "3", "-o", filepath.Join(dir, "no", "out.evtx")}, "create output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tt.args...)
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, tt.msg)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err), "no output written")
		})
	}
}
