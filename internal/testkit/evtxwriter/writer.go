// Package evtxwriter writes Windows XML Event Log (.evtx) files for test
// fixtures.
//
// The files have the shape Windows gives them, so that every reader treats
// them as it treats real logs: a 4 KiB file header, 64 KiB chunks with
// their common string and template pointer tables and CRC32 checksums, and
// records whose Binary XML is a fragment holding a template instance. The
// System template mirrors the one Windows 7 writes to System.evtx and
// Application.evtx (20 typed values: Level, Opcode, Task, EventID,
// Qualifiers, Keywords as HexInt64, TimeCreated as FILETIME, EventRecordID
// as UInt64, ProcessID, ThreadID, Version, UserID as SID...; provider,
// channel and computer as literal text) and carries the EventData as a
// nested Binary XML value with its own template. Names and template
// definitions are written inline on first use in a chunk and referenced by
// offset afterwards.
//
// The format follows the libevtx format document (libyal/libevtx,
// documentation/Windows XML Event Log (EVTX).asciidoc) and the records of
// the public sample corpus; tests read the output back with golang-evtx,
// libevtx (evtxexport) and python-evtx.
package evtxwriter

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Write writes a complete .evtx file holding recs in order: the file
// header, as many 64 KiB chunks as needed (a record that does not fit the
// current chunk starts a new one; no records give one empty chunk), the
// chunks' string and template tables and all CRCs. The header is clean (flags 0) with the right chunk count
// and next record id. Nothing is written when a record is invalid; errors
// name the record by its 1-based position and its id.
func Write(w io.Writer, recs []Record) error {
	chunks, lastID, err := build(recs, func([]byte) error { return nil })
	if err != nil {
		return err
	}
	if chunks > 0xffff {
		return fmt.Errorf("evtx: %d chunks exceed the format's limit of 65535", chunks)
	}
	if _, err := w.Write(fileHeader(chunks, lastID+1)); err != nil {
		return fmt.Errorf("evtx: write file header: %w", err)
	}
	_, _, err = build(recs, func(b []byte) error {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("evtx: write chunk: %w", err)
		}
		return nil
	})
	return err
}

// fileHeader returns the 4096-byte file header.
func fileHeader(chunks int, nextID uint64) []byte {
	h := make([]byte, fileHeaderSize)
	le := binary.LittleEndian
	copy(h, "ElfFile\x00")
	le.PutUint64(h[8:], 0) // first (oldest) chunk number
	if chunks > 0 {
		le.PutUint64(h[16:], uint64(chunks-1)) // last (current) chunk number
	}
	le.PutUint64(h[24:], nextID)
	le.PutUint32(h[32:], 128) // header size
	le.PutUint16(h[36:], 1)   // minor version
	le.PutUint16(h[38:], 3)   // major version
	le.PutUint16(h[40:], fileHeaderSize)
	le.PutUint16(h[42:], uint16(chunks))
	le.PutUint32(h[120:], 0) // flags: not dirty, not full
	le.PutUint32(h[124:], crc32.ChecksumIEEE(h[:120]))
	return h
}

// errNoRoom reports that the encoded record does not fit the current chunk.
var errNoRoom = errors.New("no room in chunk")

// build lays recs out in chunks and hands each finished chunk to emit. It
// returns the number of chunks and the last record id.
func build(recs []Record, emit func([]byte) error) (int, uint64, error) {
	c := newChunk()
	c.reset()
	var e encoder
	var types []byte // reused by prepare
	chunks := 0
	var lastID uint64
	flush := func() error {
		if c.count == 0 {
			return nil
		}
		chunks++
		if err := emit(c.finish()); err != nil {
			return err
		}
		c.reset()
		return nil
	}
	for i := range recs {
		r := &recs[i]
		id := r.RecordID
		if id == 0 {
			id = lastID + 1
		} else if id <= lastID {
			return 0, 0, fmt.Errorf("evtx: record %d: record id %d does not follow %d", i+1, id, lastID)
		}
		p, err := prepare(r, types[:0])
		types = p.types
		if err != nil {
			return 0, 0, fmt.Errorf("evtx: record %d (id %d): %w", i+1, id, err)
		}
		err = e.record(c, r, &p, id)
		if errors.Is(err, errNoRoom) && c.count > 0 {
			e.rollback()
			if err := flush(); err != nil {
				return 0, 0, err
			}
			err = e.record(c, r, &p, id)
		}
		if err != nil {
			e.rollback()
			if errors.Is(err, errNoRoom) {
				err = errRecordTooLarge
			}
			return 0, 0, fmt.Errorf("evtx: record %d (id %d): %w", i+1, id, err)
		}
		num := uint64(i + 1)
		copy(c.buf[c.free:], e.b)
		c.lastRec = c.free
		c.free += len(e.b)
		if c.count == 0 {
			c.firstNum, c.firstID = num, id
		}
		c.lastNum, c.lastID = num, id
		c.count++
		lastID = id
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	if chunks == 0 {
		// No records: one empty chunk, as in a log Windows has just
		// created (libevtx calls a file without chunks corrupted).
		chunks++
		if err := emit(c.finish()); err != nil {
			return 0, 0, err
		}
	}
	return chunks, lastID, nil
}

// prepared holds the parts of a record that are checked and converted once.
type prepared struct {
	guid  string // provider GUID text with braces, or ""
	sid   []byte // binary SID, or nil
	time  uint64 // FILETIME
	types []byte // value type of each EventData value
}

// prepare checks r and converts its parts; the value types are appended
// to types.
func prepare(r *Record, types []byte) (prepared, error) {
	p := prepared{types: types}
	if r.Provider == "" {
		return p, errors.New("empty provider name")
	}
	if r.ProviderGUID != "" {
		if _, err := ParseGUID(r.ProviderGUID); err != nil {
			return p, fmt.Errorf("provider GUID: %w", err)
		}
		p.guid = r.ProviderGUID
		if !strings.HasPrefix(p.guid, "{") {
			p.guid = "{" + p.guid + "}"
		}
	}
	if r.UserSID != "" {
		sid, err := parseSID(r.UserSID)
		if err != nil {
			return p, fmt.Errorf("user SID: %w", err)
		}
		p.sid = sid
	}
	ft, err := fileTime(r.Time)
	if err != nil {
		return p, err
	}
	p.time = ft
	for i, d := range r.Data {
		t, err := valueType(d.Value)
		if err != nil {
			return p, fmt.Errorf("data %d (%q): %w", i+1, d.Name, err)
		}
		p.types = append(p.types, t)
	}
	return p, nil
}

// appendKeyString appends a length-prefixed string to a template key.
func appendKeyString(k []byte, s string) []byte {
	k = binary.LittleEndian.AppendUint32(k, uint32(len(s)))
	return append(k, s...)
}

// record encodes r into e.b for the free space of chunk c. It returns
// errNoRoom when the result does not fit.
func (e *encoder) record(c *chunk, r *Record, p *prepared, id uint64) error {
	e.begin(c)
	e.b = append(e.b, '*', '*', 0, 0)
	e.u32(0) // size, patched below
	e.u64(id)
	e.u64(p.time)

	// Fragment with the System template instance.
	e.b = append(e.b, tokFragment, 1, 1, 0)
	e.sysKey = append(e.sysKey[:0], 'S')
	for _, s := range []string{r.Provider, p.guid, r.EventSourceName, r.Channel, r.Computer} {
		e.sysKey = appendKeyString(e.sysKey, s)
	}
	if err := e.templateInstance(e.sysKey, func() error { return e.systemBody(r, p.guid) }); err != nil {
		return err
	}

	e.u32(systemValues)
	desc := len(e.b)
	e.b = append(e.b, make([]byte, 4*systemValues)...)
	for i := 0; i < systemValues; i++ {
		start := len(e.b)
		typ := byte(typeNull)
		switch i {
		case subLevel:
			typ = typeUInt8
			e.u8(r.Level)
		case subOpcode:
			typ = typeUInt8
			e.u8(r.Opcode)
		case subTask:
			typ = typeUInt16
			e.u16(r.Task)
		case subEventID:
			typ = typeUInt16
			e.u16(r.EventID)
		case subQualifiers:
			if r.Qualifiers != nil {
				typ = typeUInt16
				e.u16(*r.Qualifiers)
			}
		case subKeywords:
			typ = typeHexInt64
			e.u64(r.Keywords)
		case subTimeCreated:
			typ = typeFileTime
			e.u64(p.time)
		case subProcessID:
			typ = typeUInt32
			e.u32(r.ProcessID)
		case subThreadID:
			typ = typeUInt32
			e.u32(r.ThreadID)
		case subRecordID:
			typ = typeUInt64
			e.u64(id)
		case subVersion:
			typ = typeUInt8
			e.u8(r.Version)
		case subUserID:
			if p.sid != nil {
				typ = typeSID
				e.b = append(e.b, p.sid...)
			}
		case subEventData:
			typ = typeBinXML
			if err := e.eventData(r.Data, p.types); err != nil {
				return err
			}
		}
		if err := e.descriptor(desc, i, start, typ); err != nil {
			if i == subEventData {
				return fmt.Errorf("EventData of %d bytes exceeds the 65535 bytes of a substitution value", len(e.b)-start)
			}
			return err
		}
	}
	e.u8(tokEOF)

	// Records are 8-byte aligned; the size is repeated at the end.
	for (len(e.b)+4)%8 != 0 {
		e.u8(0)
	}
	size := len(e.b) + 4
	e.u32(uint32(size))
	binary.LittleEndian.PutUint32(e.b[4:], uint32(size))
	if e.base+size > chunkLimit {
		return errNoRoom
	}
	return nil
}

// descriptor fills value descriptor i (at desc) for the value written
// from start to the end of e.b.
func (e *encoder) descriptor(desc, i, start int, typ byte) error {
	n := len(e.b) - start
	if n > 0xffff {
		return fmt.Errorf("value %d is %d bytes, more than a substitution can hold (65535)", i, n)
	}
	d := e.b[desc+4*i:]
	binary.LittleEndian.PutUint16(d, uint16(n))
	d[2] = typ
	d[3] = 0
	return nil
}

// eventData writes the nested Binary XML value holding the EventData:
// fragment header, template instance, instance data, end of file token.
func (e *encoder) eventData(data []Data, types []byte) error {
	e.b = append(e.b, tokFragment, 1, 1, 0)
	e.dataKey = append(e.dataKey[:0], 'D')
	for i, d := range data {
		e.dataKey = append(e.dataKey, types[i])
		e.dataKey = appendKeyString(e.dataKey, d.Name)
		if d.Name == "" {
			e.dataKey = append(e.dataKey, 0)
		} else {
			e.dataKey = append(e.dataKey, 1)
		}
	}
	if err := e.templateInstance(e.dataKey, func() error { return e.dataBody(data, types) }); err != nil {
		return err
	}
	e.u32(uint32(len(data)))
	desc := len(e.b)
	e.b = append(e.b, make([]byte, 4*len(data))...)
	for i, d := range data {
		start := len(e.b)
		var err error
		if e.b, err = appendValue(e.b, d.Value); err != nil {
			return fmt.Errorf("data %d (%q): %w", i+1, d.Name, err)
		}
		if err := e.descriptor(desc, i, start, types[i]); err != nil {
			return fmt.Errorf("data %d (%q): %w", i+1, d.Name, err)
		}
	}
	e.u8(tokEOF)
	return nil
}
