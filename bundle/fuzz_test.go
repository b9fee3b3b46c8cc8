package bundle

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/testkit/hostile"
)

// FuzzWalkZip walks any bytes given on standard input, as a zip when they
// look like one, and reads every entry to the end: no panic, no error out
// of Walk, and no more read than the run's budget allows. Seeds: the
// hostile zips at small sizes and the sample bundles of testdata/logs.
func FuzzWalkZip(f *testing.F) {
	f.Add(hostile.ErrorTextBomb(1 << 20))
	f.Add(hostile.NestedBomb(4, 3, true))
	f.Add(hostile.NestedBomb(4, 3, false))
	f.Add(hostile.OverlapBomb(4, 1<<20))
	f.Add(hostile.ManyEntries(100))
	f.Add(hostile.DeepNesting(8))
	f.Add(hostile.ControlChars())
	// Compressed containers nested in one another around a bomb (F1 of the
	// robustness review): the ratio must hold across the chain.
	zeros := gzStream(f, zeroReader{}, 8<<20)
	f.Add(mkgz(f, "", zeros))                                                       // gzip in gzip
	f.Add(mkgz(f, "", mkgz(f, "", zeros)))                                          // gzip in gzip in gzip
	f.Add(mkgz(f, "", mkzip(f, zent{name: "b.log.gz", data: zeros, stored: true}))) // gzip in a zip in gzip
	f.Add(mkzip(f, zent{name: "b.log.gz.gz", data: mkgz(f, "", zeros)}))            // gzip in gzip in a zip
	f.Add(mkgz(f, "", mkzip(f, zent{name: "x.log", data: make([]byte, 1<<20)})))    // deflated entry in gzip
	// Tar archives: plain, gzipped, cut short, holding a zip (tar.go).
	tarred := mktar(f, tent{name: "Tracing/a.UccApilog", data: []byte("01/15/2024|10:02:03.123 1F68:C14 ERROR :: x\r\n")},
		tent{name: "l", typ: '2', link: "a"}, tent{name: "z.zip", data: mkzip(f, zent{name: "x.log", data: []byte("x")})})
	f.Add(tarred)
	f.Add(mkgz(f, "", tarred))
	f.Add(tarred[:700])
	samples, err := filepath.Glob("../testdata/logs/*.zip")
	require.NoError(f, err)
	require.NotEmpty(f, samples)
	for _, p := range samples {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	const maxBytes = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := Options{
			MaxMemory:  1 << 20,
			MaxBytes:   maxBytes,
			MaxEntries: 1000,
			TempDir:    t.TempDir(),
			Stdin:      bytes.NewReader(data),
		}
		var read int64
		err := Walk(context.Background(), []string{"-"}, opt, func(e *Entry) error {
			if e.Err != nil {
				return nil
			}
			rc, err := e.Open()
			if err != nil {
				return nil
			}
			n, _ := io.Copy(io.Discard, rc)
			read += n
			_ = rc.Close() // repeats a decompression error of Read
			return nil
		})
		require.NoError(t, err)
		// What is read out of archives counts against MaxBytes; the one
		// read that passes it is cut at its buffer (32 KiB for io.Copy).
		// Standard input itself, when it is no archive, is read as it is.
		require.LessOrEqual(t, read, int64(maxBytes+32<<10+len(data)))
	})
}
