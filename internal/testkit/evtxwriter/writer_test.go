package evtxwriter

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeBytes(t testing.TB, recs []Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, recs))
	return buf.Bytes()
}

func TestWriteLayout(t *testing.T) {
	recs := variedRecords(t)
	l := inspect(t, writeBytes(t, recs))
	ids := expectedIDs(recs)

	require.GreaterOrEqual(t, len(l.chunks), 3, "the varied records span several chunks")
	assert.Equal(t, ids[len(ids)-1]+1, l.nextID, "next record id")
	var n int
	for ci, c := range l.chunks {
		assert.EqualValues(t, n+1, c.firstNum, "chunk %d numbers records on from the previous chunk", ci)
		for _, r := range c.records {
			assert.Equal(t, ids[n], r.id, "record %d id", n)
			ft, err := fileTime(recs[n].Time)
			require.NoError(t, err)
			assert.Equal(t, ft, r.time, "record %d written time", n)
			n++
		}
		// Every chunk defines what it uses: the names of the System
		// template and at least one template of each kind.
		for _, name := range []string{"Event", "xmlns", "System", "Provider", "EventID", "Qualifiers",
			"TimeCreated", "SystemTime", "EventRecordID", "Correlation", "Execution", "Channel",
			"Computer", "Security", "UserID", "EventData", "Data", "Name"} {
			assert.Contains(t, c.names, name, "chunk %d string table", ci)
		}
		assert.GreaterOrEqual(t, c.templates, 2, "chunk %d template table", ci)
	}
	assert.Equal(t, len(recs), n, "every record is in a chunk")
	// A chunk is closed only when the next record does not fit: a chunk
	// starts from an empty state, so writing its records alone gives one
	// chunk, and with the next record added, two.
	first := 0
	for ci, c := range l.chunks[:len(l.chunks)-1] {
		part := append([]Record(nil), recs[first:first+len(c.records)+1]...)
		for i := range part {
			part[i].RecordID = ids[first+i]
		}
		assert.Equal(t, 1, inspect(t, writeBytes(t, part[:len(part)-1])).chunkCount, "chunk %d alone", ci)
		assert.Equal(t, 2, inspect(t, writeBytes(t, part)).chunkCount, "chunk %d and the next record", ci)
		first += len(c.records)
	}
}

func TestWriteDeterministic(t *testing.T) {
	recs := variedRecords(t)
	a := writeBytes(t, recs)
	b := writeBytes(t, recs)
	assert.True(t, bytes.Equal(a, b), "same records, same bytes")
	recs[10].Data = append(recs[10].Data, Data{"Extra", "x"})
	c := writeBytes(t, recs)
	assert.False(t, bytes.Equal(a, c))
}

func TestWriteRecordIDs(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := func(id uint64) Record {
		return Record{Provider: "Lync", Time: at, RecordID: id, Channel: "Application", Computer: "PC"}
	}
	tests := []struct {
		name string
		in   []uint64
		want []uint64
		err  string
	}{
		{"sequential from 1", []uint64{0, 0, 0}, []uint64{1, 2, 3}, ""},
		{"explicit with gaps", []uint64{10, 0, 20, 0}, []uint64{10, 11, 20, 21}, ""},
		{"decreasing", []uint64{5, 4}, nil, "record id 4 does not follow 5"},
		{"repeated", []uint64{0, 1}, nil, "record id 1 does not follow 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []Record
			for _, id := range tt.in {
				recs = append(recs, rec(id))
			}
			var buf bytes.Buffer
			err := Write(&buf, recs)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				assert.Zero(t, buf.Len(), "nothing written")
				return
			}
			require.NoError(t, err)
			l := inspect(t, buf.Bytes())
			var got []uint64
			for _, r := range l.chunks[0].records {
				got = append(got, r.id)
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want[len(tt.want)-1]+1, l.nextID)
		})
	}
}

func TestWriteErrors(t *testing.T) {
	good := Record{Provider: "Lync", Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Channel: "Application", Computer: "PC"}
	with := func(f func(*Record)) []Record {
		bad := good
		f(&bad)
		return []Record{good, bad}
	}
	tests := []struct {
		name string
		recs []Record
		err  string
	}{
		{"empty provider", with(func(r *Record) { r.Provider = "" }), "record 2 (id 2): empty provider name"},
		{"bad provider GUID", with(func(r *Record) { r.ProviderGUID = "{not-a-guid}" }), "provider GUID: invalid GUID"},
		{"bad SID", with(func(r *Record) { r.UserSID = "S-1-five" }), "user SID: invalid SID"},
		{"time before 1601", with(func(r *Record) { r.Time = time.Time{} }), "outside the FILETIME range"},
		{"untyped int", with(func(r *Record) { r.Data = []Data{{"N", 5}} }), `data 1 ("N"): unsupported value type int`},
		{"nil value", with(func(r *Record) { r.Data = []Data{{"", "a"}, {"", nil}} }), `data 2 (""): nil value`},
		{"NUL in string array", with(func(r *Record) { r.Data = []Data{{"", []string{"a\x00"}}} }), "contains a NUL"},
		{"data time before 1601", with(func(r *Record) { r.Data = []Data{{"T", time.Time{}}} }), "outside the FILETIME range"},
		{"value over 64 KiB", with(func(r *Record) { r.Data = []Data{{"Big", strings.Repeat("x", 40000)}} }),
			"80000 bytes, more than a substitution can hold"},
		{"EventData over 64 KiB", with(func(r *Record) {
			r.Data = []Data{{"A", strings.Repeat("a", 30000)}, {"B", strings.Repeat("b", 30000)}}
		}), "EventData of 120151 bytes exceeds"},
		{"record over a chunk", with(func(r *Record) {
			r.Computer, r.Channel = strings.Repeat("c", 20000), strings.Repeat("h", 20000)
		}), "does not fit in an empty 64 KiB chunk"},
		{"computer name too long", with(func(r *Record) { r.Computer = strings.Repeat("c", 70000) }), "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Write(&buf, tt.recs)
			require.ErrorContains(t, err, tt.err)
			assert.Zero(t, buf.Len(), "nothing written")
		})
	}
}

func TestWriteEmpty(t *testing.T) {
	b := writeBytes(t, nil)
	l := inspect(t, b)
	require.Equal(t, 1, l.chunkCount, "one empty chunk")
	assert.Empty(t, l.chunks[0].records)
	assert.EqualValues(t, 1, l.nextID)
	assert.Len(t, b, fileHeaderSize+chunkSize)
}

func TestWriteSpillsToNewChunks(t *testing.T) {
	// Records of about 20 KiB: three fit a chunk, the fourth starts the
	// next one, which must define names and templates again.
	var recs []Record
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 10; i++ {
		recs = append(recs, Record{Provider: "Lync", Time: at, Channel: "Application", Computer: "PC",
			Data: []Data{{"", strings.Repeat(string(rune('a'+i)), 10000)}}})
	}
	l := inspect(t, writeBytes(t, recs))
	require.Len(t, l.chunks, 4)
	for ci, c := range l.chunks {
		want := 3
		if ci == 3 {
			want = 1
		}
		assert.Len(t, c.records, want, "chunk %d", ci)
		assert.Contains(t, c.names, "EventData", "chunk %d", ci)
		assert.Equal(t, 2, c.templates, "chunk %d: System and EventData templates", ci)
	}
	// A record that nearly fills a chunk on its own gets one.
	big := Record{Provider: "Lync", Time: at, Channel: "Application", Computer: "PC",
		Data: []Data{{"A", strings.Repeat("a", 31000)}}}
	l = inspect(t, writeBytes(t, []Record{recs[0], big, recs[1]}))
	require.Len(t, l.chunks, 3)
	assert.Greater(t, l.chunks[1].records[0].size, 63000)
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after <= 0 {
		return 0, errors.New("disk full")
	}
	w.after--
	return len(p), nil
}

func TestWriteReportsWriterErrors(t *testing.T) {
	recs := variedRecords(t)
	for _, after := range []int{0, 1, 2} {
		err := Write(&failWriter{after: after}, recs)
		require.ErrorContains(t, err, "disk full")
	}
}

// fullChunkRecords returns two records that fill a chunk up to its limit,
// and the same two with the second one 8 bytes longer.
func fullChunkRecords(t *testing.T) (fits, spills []Record) {
	t.Helper()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(n int) []Record {
		return []Record{
			{Provider: "Lync", Time: at, Channel: "Application", Computer: "PC", Data: []Data{{"A", "x"}}},
			{Provider: "Lync", Time: at, Channel: "Application", Computer: "PC", Data: []Data{{"A", strings.Repeat("y", n)}}},
		}
	}
	// Lengthen the second record by the room left: 2 bytes per character,
	// and the room is a multiple of 8 as record sizes are.
	end := func(n int) int {
		l := inspect(t, writeBytes(t, mk(n)))
		require.Len(t, l.chunks, 1)
		last := l.chunks[0].records[1]
		return last.offset + last.size
	}
	n := 30000
	n += (chunkLimit - end(n)) / 2
	require.Equal(t, chunkLimit, end(n), "the records end at the chunk's limit")
	return mk(n), mk(n + 4)
}

func TestWriteFillsChunkToLimit(t *testing.T) {
	fits, spills := fullChunkRecords(t)
	assert.Len(t, inspect(t, writeBytes(t, fits)).chunks, 1)
	assert.Len(t, inspect(t, writeBytes(t, spills)).chunks, 2, "8 bytes more start a new chunk")
}
