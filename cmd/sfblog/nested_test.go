package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

// gzipBytes gzips data at the best compression.
func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestNestedGzipBomb analyses a client log of error lines gzipped twice
// (F1 of the robustness review: a few KB that used to expand to whatever
// --max-bytes allowed): the inner stream stops at the ratio guard, the
// report lists it with the reason, and the run ends with exit 0.
func TestNestedGzipBomb(t *testing.T) {
	const size = 64 << 20
	log := []byte(strings.Repeat(hostile.ErrorText, size/len(hostile.ErrorText)))
	p := filepath.Join(t.TempDir(), "double.UccApilog.gz.gz")
	data := gzipBytes(t, gzipBytes(t, log))
	require.Less(t, len(data), 64<<10)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	code, out, stderr := sfblog(t, "", "analyze", "-f", "json", p)
	require.Equal(t, exitOK, code, stderr)
	r := decodeReport(t, out)
	require.Len(t, r.Inputs, 1)
	in := r.Inputs[0]
	assert.Equal(t, p+"!/double.UccApilog.gz!/double.UccApilog", in.Path)
	if assert.NotEmpty(t, in.Errors) {
		assert.Contains(t, in.Errors[len(in.Errors)-1], "compression ratio over the limit")
	}
	assert.Contains(t, stderr, "compression ratio over the limit", "told on standard error too")
}
