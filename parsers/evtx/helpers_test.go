package evtx

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// corpusDir holds the public sample files shipped with the repository
// (see PROVENANCE.md there): every test that must always run reads them.
const corpusDir = "../../testdata/evtx"

// extraCorpusDir returns the directory of the full reference corpus, of
// which corpusDir holds the files whose licence allows shipping them:
// $SFBLOG_EVTX_CORPUS, else the reference copy beside the clone when it is
// there, else "" (the extra files are then skipped, with a message).
func extraCorpusDir() string {
	if d := os.Getenv("SFBLOG_EVTX_CORPUS"); d != "" {
		return d
	}
	const beside = "../../../shared/corpus/evtx"
	if st, err := os.Stat(beside); err == nil && st.IsDir() {
		return beside
	}
	return ""
}

// corpusFile returns the path of a corpus file: shipped in corpusDir, or
// else in the full reference corpus; the test is skipped, saying so, when
// the file is in neither.
func corpusFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(corpusDir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if dir := extraCorpusDir(); dir != "" {
		p = filepath.Join(dir, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("corpus file %s is not shipped (its licence does not allow it) and the full corpus is not available (set SFBLOG_EVTX_CORPUS)", rel)
	return ""
}

// readCorpus returns the bytes of a corpus file.
func readCorpus(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(corpusFile(t, rel))
	require.NoError(t, err)
	return b
}

// result is everything one Parse call produced.
type result struct {
	events   []event.Event
	problems []event.Problem
	err      error
}

func parseBytes(t testing.TB, name string, b []byte) result {
	t.Helper()
	var res result
	res.problems, res.err = Parse(context.Background(), name, bytes.NewReader(b), int64(len(b)), func(e event.Event) error {
		res.events = append(res.events, e)
		return nil
	})
	return res
}

func parseCorpus(t testing.TB, rel string) result {
	t.Helper()
	p := corpusFile(t, rel)
	return parseFile(t, strings.TrimSuffix(p, filepath.FromSlash(rel)), rel)
}

// parseFile parses dir/rel, naming its events rel.
func parseFile(t testing.TB, dir, rel string) result {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(rel)))
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	var res result
	res.problems, res.err = Parse(context.Background(), rel, f, st.Size(), func(e event.Event) error {
		res.events = append(res.events, e)
		return nil
	})
	return res
}

func (r result) byRecord(id uint64) (event.Event, bool) {
	for _, e := range r.events {
		if e.RecordID == id {
			return e, true
		}
	}
	return event.Event{}, false
}

func (r result) problemTexts() []string {
	var out []string
	for _, p := range r.problems {
		out = append(out, p.String())
	}
	return out
}

// binXML writes template-less binary XML the way JPCERTCC/xml2evtx does:
// element names stored inline, values as string value tokens. Offsets are
// chunk-relative, so the writer knows where its output will sit.
type binXML struct {
	buf  bytes.Buffer
	base int // chunk offset of buf[0]
}

func (x *binXML) pos() int { return x.base + x.buf.Len() }

func (x *binXML) u8(v byte) { x.buf.WriteByte(v) }

func (x *binXML) u16(v uint16) { _ = binary.Write(&x.buf, binary.LittleEndian, v) }

func (x *binXML) u32(v uint32) { _ = binary.Write(&x.buf, binary.LittleEndian, v) }

func (x *binXML) utf16(s string) {
	for _, c := range utf16.Encode([]rune(s)) {
		x.u16(c)
	}
}

// name writes a name reference followed by the inline name.
func (x *binXML) name(s string) {
	x.u32(uint32(x.pos() + 4))
	x.u32(0) // next name in the hash bucket
	x.u16(0) // hash, not checked by readers
	x.u16(uint16(len(utf16.Encode([]rune(s)))))
	x.utf16(s)
	x.u16(0)
}

// elem writes <name attrs...>text</name>, or children written by body.
func (x *binXML) elem(name string, attrs [][2]string, text string, body func()) {
	tok := byte(tokOpenStart)
	if len(attrs) > 0 {
		tok |= tokMoreFlag
	}
	x.u8(tok)
	x.u32(0) // data size, not needed by readers
	x.name(name)
	if len(attrs) > 0 {
		x.u32(0) // attribute list size
		for i, a := range attrs {
			t := byte(tokAttribute)
			if i < len(attrs)-1 {
				t |= tokMoreFlag
			}
			x.u8(t)
			x.name(a[0])
			x.value(a[1])
		}
	}
	if text == "" && body == nil {
		x.u8(tokCloseEmpty)
		return
	}
	x.u8(tokCloseStart)
	if text != "" {
		x.value(text)
	}
	if body != nil {
		body()
	}
	x.u8(tokEnd)
}

func (x *binXML) value(s string) {
	x.u8(tokValue)
	x.u8(typeString)
	x.u16(uint16(len(utf16.Encode([]rune(s)))))
	x.utf16(s)
}

// testRecord describes one synthetic record.
type testRecord struct {
	id       uint64
	provider string
	eventID  string
	time     string
	data     [][2]string // Name, value; an empty Name writes an unnamed <Data>
}

// record writes one event record at chunk offset off.
func (r testRecord) bytes(off int) []byte {
	x := &binXML{base: off + recordHeaderSize}
	x.u8(tokFragment)
	x.u8(1)
	x.u8(1)
	x.u8(0)
	x.elem("Event", [][2]string{{"xmlns", "http://schemas.microsoft.com/win/2004/08/events/event"}}, "", func() {
		x.elem("System", nil, "", func() {
			x.elem("Provider", [][2]string{{"Name", r.provider}}, "", nil)
			x.elem("EventID", nil, r.eventID, nil)
			x.elem("Level", nil, "2", nil)
			x.elem("TimeCreated", [][2]string{{"SystemTime", r.time}}, "", nil)
			x.elem("EventRecordID", nil, strconv.FormatUint(r.id, 10), nil)
			x.elem("Channel", nil, "Application", nil)
			x.elem("Computer", nil, "PC1", nil)
		})
		x.elem("EventData", nil, "", func() {
			for _, d := range r.data {
				var attrs [][2]string
				if d[0] != "" {
					attrs = [][2]string{{"Name", d[0]}}
				}
				x.elem("Data", attrs, d[1], nil)
			}
		})
	})
	x.u8(tokEOF)
	size := recordHeaderSize + x.buf.Len() + 4
	out := make([]byte, size)
	copy(out, "**\x00\x00")
	binary.LittleEndian.PutUint32(out[4:], uint32(size))
	binary.LittleEndian.PutUint64(out[8:], r.id)
	binary.LittleEndian.PutUint64(out[16:], 132000000000000000)
	copy(out[recordHeaderSize:], x.buf.Bytes())
	binary.LittleEndian.PutUint32(out[size-4:], uint32(size))
	return out
}

// buildChunk writes a 64 KiB chunk holding recs, with both CRC32s set.
func buildChunk(recs []testRecord) []byte {
	c := make([]byte, chunkSize)
	copy(c, gevtxChunkMagic)
	off := chunkHeaderSize
	last := 0
	for _, r := range recs {
		b := r.bytes(off)
		copy(c[off:], b)
		last = off
		off += len(b)
	}
	le := binary.LittleEndian
	if len(recs) > 0 {
		le.PutUint64(c[8:], recs[0].id)
		le.PutUint64(c[16:], recs[len(recs)-1].id)
		le.PutUint64(c[24:], recs[0].id)
		le.PutUint64(c[32:], recs[len(recs)-1].id)
	}
	le.PutUint32(c[40:], 128)
	le.PutUint32(c[44:], uint32(last))
	le.PutUint32(c[48:], uint32(off))
	le.PutUint32(c[52:], crc32.ChecksumIEEE(c[chunkHeaderSize:off]))
	sum := crc32.ChecksumIEEE(c[:120])
	le.PutUint32(c[124:], crc32.Update(sum, crc32.IEEETable, c[128:chunkHeaderSize]))
	return c
}

const gevtxChunkMagic = "ElfChnk\x00"

// buildFile writes an EVTX file with one chunk per element of chunks.
func buildFile(chunks ...[]byte) []byte {
	h := make([]byte, fileHeaderSize)
	copy(h, "ElfFile\x00")
	le := binary.LittleEndian
	le.PutUint64(h[16:], uint64(len(chunks))-1)
	le.PutUint32(h[32:], 128)
	le.PutUint16(h[36:], 1)
	le.PutUint16(h[38:], 3)
	le.PutUint16(h[40:], fileHeaderSize)
	le.PutUint16(h[42:], uint16(len(chunks)))
	le.PutUint32(h[124:], crc32.ChecksumIEEE(h[:120]))
	out := h
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}

// smallFile is a valid one-chunk file with two records, cut right after
// its records: a small input that still holds both records.
func smallFile() []byte {
	b := buildFile(buildChunk([]testRecord{
		{id: 1, provider: "EventLog", eventID: "6005", time: "2024-01-02T03:04:05.0000000Z", data: [][2]string{{"", "x"}, {"", ""}}},
		{id: 2, provider: "Schannel", eventID: "36882", time: "2024-01-02T03:04:06.0000000Z", data: [][2]string{{"Status", "0x80090325"}}},
	}))
	free := binary.LittleEndian.Uint32(b[fileHeaderSize+48:])
	return b[:fileHeaderSize+int(free)]
}
