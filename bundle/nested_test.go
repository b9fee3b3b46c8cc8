package bundle

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gzStream gzips n bytes of r at the best compression.
func gzStream(t testing.TB, r io.Reader, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	require.NoError(t, err)
	_, err = io.CopyN(zw, r, n)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// logLines is n bytes of client-log-like lines that compress about 5:1 to
// 10:1, as real logs do (deterministic).
func logLines(n int) []byte {
	rnd := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	for sb.Len() < n {
		fmt.Fprintf(&sb, "12/07/2026|10:%02d:%02d.%03d %X:%X INFO :: CUccDataChannel::OnRequestCompleted, id=%d, status=0x%08x\r\n",
			rnd.IntN(60), rnd.IntN(60), rnd.IntN(1000), rnd.IntN(4096), rnd.IntN(4096), rnd.IntN(1_000_000), rnd.Uint32())
	}
	return []byte(sb.String()[:n])
}

// TestNestedRatio walks compressed containers nested in one another
// (gzip in gzip, gzip in zip, zip in gzip, ...) whose innermost content is
// a bomb: the compression ratio holds against the bytes of the file at
// every level, so the walk reads a few RatioFloor at most, names ErrRatio,
// and goes on with the next input. The same shapes around an ordinary log
// are read whole.
func TestNestedRatio(t *testing.T) {
	const (
		mib  = 1 << 20
		bomb = 96 * mib // zeros: deflate makes them about 1000 times smaller
	)
	zeros := func() []byte { return gzStream(t, zeroReader{}, bomb) }
	gz := func(data []byte) []byte { return mkgz(t, "", data) }
	log := logLines(12 * mib)
	tests := []struct {
		name    string
		file    string
		data    func() []byte
		wantErr bool  // the innermost entry ends with ErrRatio
		maxRead int64 // bound on the bytes read out of the innermost entry
	}{
		{"gzip in gzip", "double.log.gz.gz", func() []byte { return gz(zeros()) }, true, RatioFloor},
		{"gzip in gzip in gzip", "triple.log.gz.gz.gz", func() []byte { return gz(gz(zeros())) }, true, RatioFloor},
		{"gzip in a stored zip entry in gzip", "b.zip.gz", func() []byte {
			return gz(mkzip(t, zent{name: "double.log.gz", data: zeros(), stored: true}))
		}, true, RatioFloor},
		{"gzip in gzip in a zip", "b.zip", func() []byte {
			return mkzip(t, zent{name: "double.log.gz.gz", data: gz(zeros())})
		}, true, RatioFloor},
		{"deflated zip entry in gzip", "b.zip.gz", func() []byte {
			return gz(mkzip(t, zent{name: "x.log", data: make([]byte, 8*mib)}))
		}, true, RatioFloor},
		{"log in gzip in gzip", "ok.log.gz.gz", func() []byte { return gz(gz(log)) }, false, int64(len(log))},
		{"log in gzip in a zip in gzip", "ok.zip.gz", func() []byte {
			return gz(mkzip(t, zent{name: "ok.log.gz", data: gz(log), stored: true}))
		}, false, int64(len(log))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, tc.file)
			require.NoError(t, os.WriteFile(p, tc.data(), 0o644))
			next := filepath.Join(dir, "next.log")
			require.NoError(t, os.WriteFile(next, []byte("the next input\r\n"), 0o644))
			got := walkAll(t, []string{p, next}, Options{TempDir: t.TempDir()})
			require.GreaterOrEqual(t, len(got), 2)
			assert.Equal(t, next, got[len(got)-1].path, "the next input is walked")
			leaf := got[len(got)-2]
			t.Logf("%s: read %d bytes, err %v, read error %v", leaf.path, leaf.size, leaf.err, leaf.readErr)
			assert.LessOrEqual(t, leaf.size, tc.maxRead, "bytes read out of the innermost entry")
			if !tc.wantErr {
				assert.NoError(t, leaf.err)
				assert.NoError(t, leaf.readErr)
				assert.Equal(t, int64(len(log)), leaf.size, "an ordinary log is read whole")
				return
			}
			err := leaf.err
			if err == nil {
				err = leaf.readErr
			}
			assert.ErrorIs(t, err, ErrRatio, "the innermost entry names the ratio")
		})
	}
}

// zeroReader reads zeros forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestShare checks an entry's part of its archive's base.
func TestShare(t *testing.T) {
	tests := []struct {
		csize      uint64
		base, size int64
		want       int64
	}{
		{100, 1000, 1000, 100},         // a file on disk: its own compressed size
		{100, 10, 1000, 1},             // a zip expanded 100 times: a hundredth
		{1, 10, 1000, 1},               // rounded up
		{100, -1, 1000, 100},           // base unknown: its own size
		{1 << 63, -1, 1000, 1<<63 - 1}, // ... in range
		{1 << 63, 10, 1000, 10},        // a damaged size: no more than the archive
		{2000, 1000, 1000, 1000},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, share(tt.csize, tt.base, tt.size), "%+v", tt)
	}
}
