package hostile

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
)

// tarWriter builds a gzipped tar in memory.
type tarWriter struct {
	buf bytes.Buffer
	zw  *gzip.Writer
	tw  *tar.Writer
}

func newTarWriter() *tarWriter {
	t := new(tarWriter)
	t.zw, _ = gzip.NewWriterLevel(&t.buf, gzip.BestCompression)
	t.tw = tar.NewWriter(t.zw)
	return t
}

// add writes a file of size bytes made of unit repeated (size a multiple
// of len(unit)).
func (t *tarWriter) add(name string, unit []byte, size int64) {
	_ = t.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: modTime})
	for n := int64(0); n < size; n += int64(len(unit)) {
		_, _ = t.tw.Write(unit)
	}
}

func (t *tarWriter) bytes() []byte {
	_ = t.tw.Close()
	_ = t.zw.Close()
	return t.buf.Bytes()
}

// TarBomb is a .tar.gz holding a note, a client log of about size bytes of
// ErrorText lines (whole units of about 1 MiB, at least one) and a last
// note: 64 MiB take about 300 KB. A reader must stop at the compression
// ratio, having read the first note and the log up to the limit.
func TarBomb(size int64) []byte {
	t := newTarWriter()
	note := []byte("Sign-in fails since this morning.\r\n")
	t.add("notes.txt", note, int64(len(note)))
	unit := textUnit()
	t.add("Tracing/Lync-UccApi-0.UccApilog", unit, max(1, size/int64(len(unit)))*int64(len(unit)))
	last := []byte("The last entry of the bundle.\r\n")
	t.add("after.txt", last, int64(len(last)))
	return t.bytes()
}

// ManyTarEntries is a tar (not gzipped) of n tiny client-log fragments
// ("t/000001"), 1 KiB each: a reader stops at its limit of entries, which
// it learns only as it reads, unlike a zip's.
func ManyTarEntries(n int) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := range n {
		_ = tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("t/%06d", i), Mode: 0o644, Size: 2, ModTime: modTime})
		_, _ = tw.Write([]byte("x\n"))
	}
	_ = tw.Close()
	return buf.Bytes()
}
