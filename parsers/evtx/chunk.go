package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"

	gevtx "github.com/0xrawsec/golang-evtx/evtx"
)

const (
	fileHeaderSize   = 4096 // the file header block; chunk 0 starts here
	chunkSize        = gevtx.ChunkSize
	chunkHeaderSize  = 512 // header, string and template tables
	recordHeaderSize = 24  // magic, size, id, FILETIME
	fileFlagNoCRC32  = 0x4 // file header flag: checksums are not kept
)

// slotOffset is the file offset of chunk slot i.
func slotOffset(i int) int64 { return fileHeaderSize + int64(i)*chunkSize }

// slotCount is the number of chunk slots that start before size, the last
// one possibly truncated. The header's chunk count is not trusted: dirty
// files under-count and chunks need not be contiguous.
func slotCount(size int64) int {
	if size <= fileHeaderSize {
		return 0
	}
	return int((size - fileHeaderSize + chunkSize - 1) / chunkSize)
}

// reader reads chunk slots from the input, one at a time into buf.
type reader struct {
	r    io.ReadSeeker
	size int64
	buf  []byte
}

// slot reads chunk slot i into the reader's buffer, which the next read
// reuses. It returns fewer than chunkSize bytes when the file ends inside
// the slot.
func (rd *reader) slot(i int) ([]byte, error) {
	if rd.buf == nil {
		rd.buf = make([]byte, chunkSize)
	}
	return rd.slotInto(i, rd.buf)
}

// slotInto is slot reading into buf, or into a new buffer when buf holds
// less than a chunk.
func (rd *reader) slotInto(i int, buf []byte) ([]byte, error) {
	off := slotOffset(i)
	n := rd.size - off
	if n > chunkSize {
		n = chunkSize
	}
	if n <= 0 {
		return nil, io.EOF
	}
	if cap(buf) < chunkSize {
		buf = make([]byte, chunkSize)
	}
	if _, err := rd.r.Seek(off, io.SeekStart); err != nil {
		return nil, fmt.Errorf("seek to chunk %d: %w", i, err)
	}
	got, err := io.ReadFull(rd.r, buf[:n])
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("read chunk %d: %w", i, err)
	}
	return buf[:got], nil
}

// chunkHeader is the part of the chunk header the reader uses, as parsed
// by golang-evtx.
type chunkHeader struct {
	gevtx.ChunkHeader
	headerCRC uint32
}

// parseChunkHeader parses the header of a chunk through golang-evtx. The
// library panics on short input; the panic becomes an error.
func parseChunkHeader(data []byte) (h chunkHeader, err error) {
	if len(data) < chunkHeaderSize {
		return h, fmt.Errorf("chunk header cut at %d bytes", len(data))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chunk header: %v", r)
		}
	}()
	c := gevtx.NewChunk()
	c.ParseChunkHeader(bytes.NewReader(data[:chunkHeaderSize]))
	h.ChunkHeader = c.Header
	h.headerCRC = binary.LittleEndian.Uint32(data[124:])
	return h, nil
}

// isChunk reports whether data starts with the chunk signature.
func isChunk(data []byte) bool {
	return len(data) >= 8 && string(data[:8]) == gevtx.ChunkMagic
}

// checksums verifies the header CRC32 (bytes 0-119 and 128-511) and the
// records CRC32 (bytes 512 up to the free space offset) and describes what
// does not match.
func checksums(data []byte, h chunkHeader) []string {
	var bad []string
	sum := crc32.ChecksumIEEE(data[:120])
	sum = crc32.Update(sum, crc32.IEEETable, data[128:chunkHeaderSize])
	if sum != h.headerCRC {
		bad = append(bad, fmt.Sprintf("header CRC32 %#08x, stored %#08x", sum, h.headerCRC))
	}
	free := int(h.Freespace)
	switch {
	case free < chunkHeaderSize || free > chunkSize:
		bad = append(bad, fmt.Sprintf("free space offset %d out of range", free))
	case free > len(data):
		// Truncated chunk: reported on its own.
	default:
		if sum := crc32.ChecksumIEEE(data[chunkHeaderSize:free]); sum != h.CheckSum {
			bad = append(bad, fmt.Sprintf("records CRC32 %#08x, stored %#08x", sum, h.CheckSum))
		}
	}
	return bad
}

// recordRef locates one record inside a chunk.
type recordRef struct {
	off  int // offset of the record in the chunk
	size int
	hdr  header
}

// walkStop says why a record walk ended before the free space offset.
type walkStop struct {
	off int    // chunk offset where the walk stopped
	msg string // empty when the walk reached the end cleanly
}

// records walks the record headers of a chunk the way the evtx crate and
// libevtx do: from offset 512 while below the free space offset, stopping
// at the first invalid record header or after the header's last record.
// The headers are validated with golang-evtx's EventHeader.Validate.
func records(data []byte, h chunkHeader, refs []recordRef) ([]recordRef, walkStop) {
	limit := int(h.Freespace)
	if limit < chunkHeaderSize || limit > chunkSize {
		limit = chunkSize
	}
	le := binary.LittleEndian
	off := chunkHeaderSize
	for off+recordHeaderSize <= limit {
		if off+recordHeaderSize > len(data) {
			return refs, walkStop{off, "chunk ends inside a record header"}
		}
		eh := gevtx.EventHeader{
			Size:      int32(le.Uint32(data[off+4:])),
			ID:        int64(le.Uint64(data[off+8:])),
			Timestamp: gevtx.FileTime{Nanoseconds: int64(le.Uint64(data[off+16:]))},
		}
		copy(eh.Magic[:], data[off:off+4])
		if err := eh.Validate(); err != nil {
			return refs, walkStop{off, fmt.Sprintf("invalid record header: %v", err)}
		}
		size := int(eh.Size)
		if size < recordHeaderSize+4 {
			return refs, walkStop{off, fmt.Sprintf("invalid record header: size %d", size)}
		}
		if off+size > len(data) {
			return refs, walkStop{off, fmt.Sprintf("record %d cut by the end of the file", eh.ID)}
		}
		if off+size > limit {
			return refs, walkStop{off, fmt.Sprintf("record %d runs past the free space offset %d", eh.ID, limit)}
		}
		id := uint64(eh.ID)
		refs = append(refs, recordRef{off: off, size: size, hdr: header{
			id:   id,
			time: fileTime(uint64(eh.Timestamp.Nanoseconds)),
		}})
		off += size
		if id == uint64(h.LastEventRecID) {
			return refs, walkStop{off: off}
		}
	}
	return refs, walkStop{off: off}
}

// allZero reports whether b holds only zero bytes. It reads 32 bytes at
// a time: the unused slots of a file are most of what the first pass
// reads of a small log (a 1 MiB file of 112 records spent a tenth of its
// run in a loop of one byte at a time).
func allZero(b []byte) bool {
	for len(b) >= 32 {
		if binary.LittleEndian.Uint64(b)|binary.LittleEndian.Uint64(b[8:])|
			binary.LittleEndian.Uint64(b[16:])|binary.LittleEndian.Uint64(b[24:]) != 0 {
			return false
		}
		b = b[32:]
	}
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
