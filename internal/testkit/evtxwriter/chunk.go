package evtxwriter

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// Sizes and offsets of the EVTX format (libevtx "Windows XML Event Log
// (EVTX)" format document).
const (
	fileHeaderSize  = 0x1000 // file header block
	chunkSize       = 0x10000
	chunkHeaderSize = 0x200 // chunk header incl. string and template tables
	nameBuckets     = 64    // common string offset table, at chunk offset 128
	templateBuckets = 32    // template pointer table, at chunk offset 384
	// chunkLimit is where the records of a chunk must end. libevtx
	// (20181227) rejects a record that ends less than 4 bytes before the
	// end of the chunk, and Windows leaves at least 8 bytes free (the
	// highest free space offset in the sample corpus is 65528).
	chunkLimit = chunkSize - 8
)

// errRecordTooLarge reports a record that does not fit even an empty chunk.
var errRecordTooLarge = errors.New("record does not fit in an empty 64 KiB chunk")

// chunk builds one 64 KiB chunk. Names and template definitions are
// written inline the first time a record of the chunk uses them and are
// referenced by offset afterwards, registered in the chunk's common string
// and template pointer tables (bucket heads, chained through each entry's
// first field, newest first), as Windows does.
type chunk struct {
	buf       []byte
	free      int               // free space offset (end of the last record)
	lastRec   int               // offset of the last record
	names     map[string]uint32 // name -> chunk offset of the name entry
	templates map[string]uint32 // template key -> chunk offset of its definition
	nameHeads [nameBuckets]uint32
	tplHeads  [templateBuckets]uint32

	firstNum, lastNum uint64 // record numbers (1-based position in the file)
	firstID, lastID   uint64 // event record ids
	count             int
}

func newChunk() *chunk {
	return &chunk{
		buf:       make([]byte, chunkSize),
		names:     make(map[string]uint32),
		templates: make(map[string]uint32),
	}
}

// reset empties the chunk for reuse.
func (c *chunk) reset() {
	clear(c.buf)
	clear(c.names)
	clear(c.templates)
	c.nameHeads = [nameBuckets]uint32{}
	c.tplHeads = [templateBuckets]uint32{}
	c.free = chunkHeaderSize
	c.lastRec = 0
	c.firstNum, c.lastNum, c.firstID, c.lastID = 0, 0, 0, 0
	c.count = 0
}

// finish writes the chunk header, tables and checksums and returns the
// chunk's bytes.
func (c *chunk) finish() []byte {
	h := c.buf
	copy(h[0:8], "ElfChnk\x00")
	le := binary.LittleEndian
	le.PutUint64(h[8:], c.firstNum)
	le.PutUint64(h[16:], c.lastNum)
	le.PutUint64(h[24:], c.firstID)
	le.PutUint64(h[32:], c.lastID)
	le.PutUint32(h[40:], 128) // header size
	le.PutUint32(h[44:], uint32(c.lastRec))
	le.PutUint32(h[48:], uint32(c.free))
	le.PutUint32(h[52:], crc32.ChecksumIEEE(h[chunkHeaderSize:c.free]))
	// Offset 120: flags. Every chunk written by Windows in the sample
	// corpus has 1 here (5 with the "no CRC" bit of format 3.2).
	le.PutUint32(h[120:], 1)
	for i, off := range c.nameHeads {
		le.PutUint32(h[128+4*i:], off)
	}
	for i, off := range c.tplHeads {
		le.PutUint32(h[384+4*i:], off)
	}
	crc := crc32.NewIEEE()
	crc.Write(h[:120])
	crc.Write(h[128:chunkHeaderSize])
	le.PutUint32(h[124:], crc.Sum32())
	return h
}

// nameHash is the hash Windows stores with names and uses to pick the
// string table bucket: h = h*65599 + unit over the UTF-16 code units,
// keeping the low 16 bits. Checked against the string tables of the
// sample corpus (every entry matches, bucket = hash % 64).
func nameHash(s string) uint16 {
	var h uint32
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			h = h*65599 + uint32(0xd800+(r>>10))
			h = h*65599 + uint32(0xdc00+(r&0x3ff))
			continue
		}
		h = h*65599 + uint32(r)
	}
	return uint16(h)
}
