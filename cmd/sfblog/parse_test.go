package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkParse runs "sfblog parse -f jsonl" over the client log of the
// healthy sign-in sample (the log benchcmp repeats) written 40 times in a
// row, about 20 MB, output discarded.
func BenchmarkParse(b *testing.B) {
	zr, err := zip.OpenReader(filepath.Join(logs, "healthy-signin.zip"))
	require.NoError(b, err)
	defer zr.Close()
	require.NotEmpty(b, zr.File)
	rc, err := zr.File[0].Open()
	require.NoError(b, err)
	one, err := io.ReadAll(rc)
	require.NoError(b, err)
	path := filepath.Join(b.TempDir(), "Lync-UccApi-0.UccApilog")
	require.NoError(b, os.WriteFile(path, bytes.Repeat(one, 40), 0o644))
	b.SetBytes(int64(40 * len(one)))
	b.ReportAllocs()
	for b.Loop() {
		code := run(context.Background(), []string{"parse", path}, strings.NewReader(""), io.Discard, io.Discard)
		require.Equal(b, 0, code)
	}
}
