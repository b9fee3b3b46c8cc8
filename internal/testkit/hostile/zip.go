// Package hostile generates, deterministically and in memory, the hostile
// inputs that sfblog must survive: zip bombs of several kinds, archives with
// too many entries or too deep a nesting, client logs built to exhaust a
// parser, names and contents full of terminal control sequences, and logs
// with planted secrets. Every generator returns the same bytes for the same
// arguments. Tests call them at run time; nothing big is committed.
// genhostile writes them to a folder for manual runs.
//
// Sources of the shapes: the zip format is APPNOTE.TXT (PKWARE), the
// overlapping-entries bomb is David Fifield's "A better zip bomb" (WOOT
// 2019, https://www.bamsoftware.com/hacks/zipbomb/), the nested bomb is
// the layout of the well-known 42.zip (16 zips per level: lib, book,
// chapter, doc, page); the client-log lines follow
// testdata/logs/cases/*/bundle/Tracing/Lync-UccApi-0.UccApilog and
// /work/shared/reference/log-facts.md §2.2.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"
)

// modTime is the time stamp of every generated zip entry.
var modTime = time.Date(2024, 1, 15, 10, 2, 3, 0, time.UTC)

// ErrorText is the line repeated by ErrorTextBomb: the error a client log
// holds when the sign-in server cannot be reached.
const ErrorText = "01/15/2024|10:02:03.123 1F68:C14 ERROR :: CUccServerEndpoint::OnRegisterComplete - Sign-in failed: " +
	"Cannot sign in because the server is temporarily unavailable. If the problem continues, please call your support team. hr=0x80ee0058\r\n"

// repeated is a deflate stream of unit repeated reps times, made without
// compressing all of it: unit is compressed twice, each time up to a sync
// flush that leaves the stream on a byte boundary, and the second block,
// which only refers to the unit before it, is repeated. It returns the
// stream (with a final empty block), the CRC-32 and the length of the
// uncompressed content.
func repeated(unit []byte, reps int64) (stream []byte, crc uint32, size int64) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression) // the level is valid: no error
	write := func() []byte {
		start := buf.Len()
		_, _ = fw.Write(unit) // writes to a bytes.Buffer: no error
		_ = fw.Flush()
		return bytes.Clone(buf.Bytes()[start:])
	}
	first := write()
	var again []byte
	if reps > 1 {
		again = write()
	}
	start := buf.Len()
	_ = fw.Close()
	final := bytes.Clone(buf.Bytes()[start:])

	var out bytes.Buffer
	out.Write(first)
	for i := int64(1); i < reps; i++ {
		out.Write(again)
	}
	out.Write(final)
	unitCRC := crc32.ChecksumIEEE(unit)
	return out.Bytes(), crcRepeat(unitCRC, int64(len(unit)), reps), int64(len(unit)) * reps
}

// textUnit is ErrorText repeated to about 1 MiB.
func textUnit() []byte {
	return bytes.Repeat([]byte(ErrorText), (1<<20)/len(ErrorText))
}

// rawEntry is one entry of a zip written by writeRaw.
type rawEntry struct {
	name        string
	method      uint16
	crc         uint32
	csize       uint64
	usize       uint64
	data        []byte
	offsetShare int // >= 0: no local header of its own, share that entry's
}

// writeRaw writes a zip whose entries may share one local header and its
// data (offsetShare), which archive/zip cannot write: the shape of
// overlapping-entry bombs. Sizes must fit 32 bits.
func writeRaw(ents []rawEntry) []byte {
	var out bytes.Buffer
	offsets := make([]uint32, len(ents))
	dosTime, dosDate := dos(modTime)
	le := binary.LittleEndian
	for i, e := range ents {
		if e.offsetShare >= 0 {
			offsets[i] = offsets[e.offsetShare]
			continue
		}
		offsets[i] = uint32(out.Len())
		h := make([]byte, 30)
		le.PutUint32(h[0:], 0x04034b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[8:], e.method)
		le.PutUint16(h[10:], dosTime)
		le.PutUint16(h[12:], dosDate)
		le.PutUint32(h[14:], e.crc)
		le.PutUint32(h[18:], uint32(e.csize))
		le.PutUint32(h[22:], uint32(e.usize))
		le.PutUint16(h[26:], uint16(len(e.name)))
		out.Write(h)
		out.WriteString(e.name)
		out.Write(e.data)
	}
	dirStart := out.Len()
	for i, e := range ents {
		src := e
		if e.offsetShare >= 0 {
			src = ents[e.offsetShare]
		}
		h := make([]byte, 46)
		le.PutUint32(h[0:], 0x02014b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint16(h[10:], src.method)
		le.PutUint16(h[12:], dosTime)
		le.PutUint16(h[14:], dosDate)
		le.PutUint32(h[16:], src.crc)
		le.PutUint32(h[20:], uint32(src.csize))
		le.PutUint32(h[24:], uint32(src.usize))
		le.PutUint16(h[28:], uint16(len(e.name)))
		le.PutUint32(h[42:], offsets[i])
		out.Write(h)
		out.WriteString(e.name)
	}
	writeEOCD(&out, len(ents), out.Len()-dirStart, dirStart)
	return out.Bytes()
}

// writeEOCD appends an end-of-central-directory record.
func writeEOCD(out *bytes.Buffer, records, dirSize, dirOffset int) {
	le := binary.LittleEndian
	h := make([]byte, 22)
	le.PutUint32(h[0:], 0x06054b50)
	le.PutUint16(h[8:], uint16(records))
	le.PutUint16(h[10:], uint16(records))
	le.PutUint32(h[12:], uint32(dirSize))
	le.PutUint32(h[16:], uint32(dirOffset))
	out.Write(h)
}

// dos returns t in MS-DOS time and date format.
func dos(t time.Time) (uint16, uint16) {
	return uint16(t.Hour()<<11 | t.Minute()<<5 | t.Second()/2),
		uint16((t.Year()-1980)<<9 | int(t.Month())<<5 | t.Day())
}

// zipWriter builds a zip with archive/zip: entries deflated at the best
// compression unless stored.
type zipWriter struct {
	buf bytes.Buffer
	zw  *zip.Writer
}

func newZipWriter() *zipWriter {
	z := &zipWriter{}
	z.zw = zip.NewWriter(&z.buf)
	z.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	return z
}

// add writes one entry; stored entries have no data descriptor.
func (z *zipWriter) add(name string, data []byte, stored bool) {
	if stored {
		w, _ := z.zw.CreateRaw(&zip.FileHeader{ // writes to memory: no error
			Name: name, Method: zip.Store, Modified: modTime,
			CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data)),
		})
		_, _ = w.Write(data)
		return
	}
	w, _ := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modTime})
	_, _ = w.Write(data)
}

// addRaw writes one deflated entry of already compressed data.
func (z *zipWriter) addRaw(name string, stream []byte, crc uint32, size int64) {
	w, _ := z.zw.CreateRaw(&zip.FileHeader{
		Name: name, Method: zip.Deflate, Modified: modTime,
		CRC32: crc, CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(size),
	})
	_, _ = w.Write(stream)
}

func (z *zipWriter) bytes() []byte {
	_ = z.zw.Close()
	return z.buf.Bytes()
}

// ErrorTextBomb is a zip with a short note, one client log of about size
// bytes (whole units of about 1 MiB of repeated ErrorText lines, at least
// one) and a last note. The log is deflated about 250 times, the most
// deflate does with a line of this length: 200 MiB take about 800 KiB. It
// is the bomb that ran an analysis out of memory: every line is a finding.
func ErrorTextBomb(size int64) []byte {
	unit := textUnit()
	stream, crc, n := repeated(unit, max(1, size/int64(len(unit))))
	z := newZipWriter()
	z.add("notes.txt", []byte("Sign-in fails since this morning.\r\n"), false)
	z.addRaw("Tracing/Lync-UccApi-0.UccApilog", stream, crc, n)
	z.add("after.txt", []byte("The last entry of the bundle.\r\n"), false)
	return z.bytes()
}

// NestedBomb is a 42.zip-style nested bomb: ways entries per level, levels
// levels of zips (lib, book, chapter, doc) down to ways leaf pages of one
// ErrorText line each, so that it holds ways^levels pages. With overlap the
// entries of each level share one local header and its data (a 16-way,
// 5-level bomb is about 6 KB); without, they are copies, deflated.
func NestedBomb(ways, levels int, overlap bool) []byte {
	names := []string{"lib", "book", "chapter", "doc", "page"}
	name := func(level, i int) string {
		n := fmt.Sprintf("level%d", level)
		if level < len(names) {
			n = names[level]
		}
		if level == levels-1 {
			return fmt.Sprintf("%s %x.UccApilog", n, i)
		}
		return fmt.Sprintf("%s %x.zip", n, i)
	}
	inner := []byte(ErrorText)
	for level := levels - 1; level >= 0; level-- {
		if overlap {
			stored := level < levels-1 // zips stored, the page deflated
			data, method := inner, uint16(zip.Store)
			if !stored {
				var buf bytes.Buffer
				fw, _ := flate.NewWriter(&buf, flate.BestCompression)
				_, _ = fw.Write(inner)
				_ = fw.Close()
				data, method = buf.Bytes(), zip.Deflate
			}
			ents := make([]rawEntry, ways)
			for i := range ents {
				ents[i] = rawEntry{name: name(level, i), offsetShare: 0}
			}
			ents[0] = rawEntry{name: name(level, 0), method: method, crc: crc32.ChecksumIEEE(inner),
				csize: uint64(len(data)), usize: uint64(len(inner)), data: data, offsetShare: -1}
			inner = writeRaw(ents)
			continue
		}
		z := newZipWriter()
		for i := range ways {
			z.add(name(level, i), inner, false)
		}
		inner = z.bytes()
	}
	return inner
}

// OverlapBomb is David Fifield's "better zip bomb" with full overlap: files
// entries that all decompress one kernel of kernelSize bytes of 'a'
// (rounded to whole MiB, at most 4095 MiB), each entry's data quoting the
// local headers of the entries after it in non-compressed deflate blocks.
// No two entries are copies: their CRC-32s and sizes differ, as in the
// paper. 256 entries of a 1 GiB kernel make 256 GiB of about 1 MB.
func OverlapBomb(files int, kernelSize int64) []byte {
	const mib = 1 << 20
	reps := min(max(1, kernelSize/mib), 4095)
	kernel, kcrc, ksize := repeated(bytes.Repeat([]byte{'a'}, mib), reps)
	le := binary.LittleEndian
	dosTime, dosDate := dos(modTime)
	type file struct {
		name         string
		crc          uint32
		csize, usize uint64
		header       []byte // local file header
	}
	fs := make([]file, files)
	for i := files - 1; i >= 0; i-- {
		f := file{name: fmt.Sprintf("%04d.UccApilog", i)}
		if i == files-1 {
			f.crc, f.csize, f.usize = kcrc, uint64(len(kernel)), uint64(ksize)
		} else {
			next := fs[i+1]
			f.csize = 5 + uint64(len(next.header)) + next.csize
			f.usize = uint64(len(next.header)) + next.usize
			f.crc = crcCombine(crc32.ChecksumIEEE(next.header), next.crc, int64(next.usize))
		}
		h := make([]byte, 30, 30+len(f.name))
		le.PutUint32(h[0:], 0x04034b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[8:], zip.Deflate)
		le.PutUint16(h[10:], dosTime)
		le.PutUint16(h[12:], dosDate)
		le.PutUint32(h[14:], f.crc)
		le.PutUint32(h[18:], uint32(f.csize))
		le.PutUint32(h[22:], uint32(f.usize))
		le.PutUint16(h[26:], uint16(len(f.name)))
		f.header = append(h, f.name...)
		fs[i] = f
	}
	var out bytes.Buffer
	offsets := make([]int, files)
	for i, f := range fs {
		offsets[i] = out.Len()
		out.Write(f.header)
		if i+1 < files {
			// A non-final stored block that quotes the next local header.
			n := len(fs[i+1].header)
			out.Write([]byte{0x00, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)})
		}
	}
	out.Write(kernel)
	dirStart := out.Len()
	for i, f := range fs {
		h := make([]byte, 46)
		le.PutUint32(h[0:], 0x02014b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint16(h[10:], zip.Deflate)
		le.PutUint16(h[12:], dosTime)
		le.PutUint16(h[14:], dosDate)
		le.PutUint32(h[16:], f.crc)
		le.PutUint32(h[20:], uint32(f.csize))
		le.PutUint32(h[24:], uint32(f.usize))
		le.PutUint16(h[28:], uint16(len(f.name)))
		le.PutUint32(h[42:], uint32(offsets[i]))
		out.Write(h)
		out.WriteString(f.name)
	}
	writeEOCD(&out, files, out.Len()-dirStart, dirStart)
	return out.Bytes()
}

// ManyEntries is a zip of n tiny stored client-log fragments (n = 200,000
// makes about 19 MB, with a zip64 end record past 65,535 entries).
func ManyEntries(n int) []byte {
	z := newZipWriter()
	for i := range n {
		z.add(fmt.Sprintf("t/%06d", i), []byte("x\n"), true)
	}
	return z.bytes()
}

// DeepNesting is a chain of depth zips, each holding a note
// ("level-<n>.txt") and the next zip ("inner.zip"); the innermost holds a
// client log line.
func DeepNesting(depth int) []byte {
	inner := newZipWriter()
	inner.add("Tracing/Lync-UccApi-0.UccApilog", []byte(ErrorText), false)
	data := inner.bytes()
	for level := depth - 1; level >= 0; level-- {
		z := newZipWriter()
		z.add(fmt.Sprintf("level-%d.txt", level), fmt.Appendf(nil, "note at nesting level %d\r\n", level), false)
		z.add("inner.zip", data, false)
		data = z.bytes()
	}
	return data
}

// Copies is a zip of n copies of one client log whose sign-in fails
// ("copies/Lync-UccApi-0 (<i>).UccApilog"), and of n logs that each hold
// one failure text at the same time and line, the texts alike for their
// first 2 KiB and different after ("alike/<i>/Lync-UccApi-0.UccApilog"):
// the copies are one attempt and one piece of evidence; the alike texts
// are n of each, and finding which text another one begins is bounded.
func Copies(n int) []byte {
	z := newZipWriter()
	one := []byte(logHeader() + ErrorText)
	for i := range n {
		z.add(fmt.Sprintf("copies/Lync-UccApi-0 (%d).UccApilog", i+1), one, false)
	}
	pad := strings.Repeat("the server is temporarily unavailable; ", 2<<10/39+1)
	for i := range n {
		text := fmt.Sprintf("CUccServerEndpoint::OnRegisterComplete - Sign-in failed: Cannot sign in because %s case %d hr=0x80ee0058", pad, i)
		z.add(fmt.Sprintf("alike/%d/Lync-UccApi-0.UccApilog", i+1), []byte(logHeader()+logLine(5, "ERROR", text)), false)
	}
	return z.bytes()
}
