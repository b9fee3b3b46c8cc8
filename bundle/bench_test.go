package bundle

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/flate"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// benchEntries and benchEntrySize shape the generated bundle: a few client
// logs at the client's 50 MB rollover size.
const (
	benchEntries   = 3
	benchEntrySize = 50 << 20
)

// writeBenchZip writes a zip of benchEntries text entries of benchEntrySize
// bytes each and returns its path. Deflate runs at BestSpeed to keep the
// setup short.
func writeBenchZip(b *testing.B, method uint16) string {
	b.Helper()
	p := filepath.Join(b.TempDir(), "bench.zip")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	for i := range benchEntries {
		w, err := zw.CreateHeader(&zip.FileHeader{
			Name:   fmt.Sprintf("Tracing/Lync-UccApi-%d.UccApilog", i),
			Method: method, Modified: modTime,
		})
		if err != nil {
			b.Fatal(err)
		}
		bw := bufio.NewWriterSize(w, 1<<16)
		written := 0
		for n := 0; written < benchEntrySize; n++ {
			k, err := fmt.Fprintf(bw, "01/15/2024|10:%02d:%02d.%03d 1F68:C14 INFO  :: Sending Packet - 10.0.0.%d:443 (From Local Address: 192.168.1.%d:%d) %d bytes:\r\n",
				n/60000%60, n/1000%60, n%1000, n%250, n%200, 50000+n%10000, 1000+n%4000)
			if err != nil {
				b.Fatal(err)
			}
			written += k
		}
		if err := bw.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkWalkZip walks a generated bundle and reads every entry to the
// end, as an analysis does; MB/s counts uncompressed bytes.
func BenchmarkWalkZip(b *testing.B) {
	for _, m := range []struct {
		name   string
		method uint16
	}{{"deflated", zip.Deflate}, {"stored", zip.Store}} {
		b.Run(m.name, func(b *testing.B) {
			p := writeBenchZip(b, m.method)
			benchWalk(b, p)
		})
	}
}

// benchWalk walks p and reads every entry to the end, as an analysis does;
// MB/s counts uncompressed bytes.
func benchWalk(b *testing.B, p string) {
	var total int64
	walk := func() {
		total = 0
		err := Walk(context.Background(), []string{p}, Options{}, func(e *Entry) error {
			if e.Err != nil {
				return e.Err
			}
			rc, err := e.Open()
			if err != nil {
				return err
			}
			defer rc.Close()
			n, err := io.Copy(io.Discard, rc)
			total += n
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	walk()
	if total < benchEntries*benchEntrySize {
		b.Fatalf("read %d bytes, want at least %d", total, benchEntries*benchEntrySize)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		walk()
	}
}

// writeBenchTar writes the entries of writeBenchZip as a tar, gzipped at
// BestSpeed when gz is set, and returns its path.
func writeBenchTar(b *testing.B, gz bool) string {
	b.Helper()
	zp := writeBenchZip(b, zip.Store)
	zr, err := zip.OpenReader(zp)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	p := filepath.Join(b.TempDir(), "bench.tar")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var w io.Writer = f
	var zw *gzip.Writer
	if gz {
		if zw, err = gzip.NewWriterLevel(f, gzip.BestSpeed); err != nil {
			b.Fatal(err)
		}
		w = zw
	}
	tw := tar.NewWriter(w)
	for _, zf := range zr.File {
		if err := tw.WriteHeader(&tar.Header{Name: zf.Name, Mode: 0o644, Size: int64(zf.UncompressedSize64), ModTime: modTime}); err != nil {
			b.Fatal(err)
		}
		rc, err := zf.Open()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(tw, rc); err != nil {
			b.Fatal(err)
		}
		rc.Close()
	}
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// BenchmarkWalkTar walks the bundle of BenchmarkWalkZip as a .tar.gz (read
// as it streams, one entry at a time) and as a .tar (read in place).
func BenchmarkWalkTar(b *testing.B) {
	for _, gz := range []bool{true, false} {
		name := "plain"
		if gz {
			name = "gzipped"
		}
		b.Run(name, func(b *testing.B) {
			p := writeBenchTar(b, gz)
			benchWalk(b, p)
		})
	}
}
