package event_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/signatures"
)

// oldJSON is how "sfblog parse" encoded an event before AppendJSON:
// json.Encoder (HTML escaping off) over MarshalJSON, then termesc.JSON.
func oldJSON(t testing.TB, e *event.Event) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(e))
	return termesc.JSON(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

// sampleEvents calls fn with every event of the sample bundles and of the
// event log corpus, as "sfblog parse" reads them.
func sampleEvents(t *testing.T, fn func(*event.Event)) {
	t.Helper()
	paths, err := filepath.Glob("../testdata/logs/*.zip")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	paths = append(paths, "../testdata/evtx")
	cat, err := signatures.Default()
	require.NoError(t, err)
	a := analyze.New(signatures.NewMatcher(cat), analyze.Options{})
	n := 0
	_, err = a.Events(context.Background(), paths, func(e *event.Event) error {
		fn(e)
		n++
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 10000, "the samples hold that many events")
}

// fieldsOf returns e's fields as a slice, in the reverse of their names'
// order: AppendJSONFields takes them in any order.
func fieldsOf(e *event.Event) []event.Field {
	var fs []event.Field
	for k, v := range e.Fields {
		fs = append(fs, event.Field{Name: k, Value: v})
	}
	slices.SortFunc(fs, func(a, b event.Field) int { return strings.Compare(b.Name, a.Name) })
	return fs
}

// appendJSONFields is e.AppendJSONFields with e's own fields, from a copy
// of e without them: what AppendJSONFields writes must not depend on them.
func appendJSONFields(e *event.Event) []byte {
	fs := fieldsOf(e)
	c := *e
	c.Fields = map[string]string{"decoy": "x"}
	return c.AppendJSONFields(nil, fs)
}

func TestAppendJSONSamples(t *testing.T) {
	var o event.Encoder // one for all the events, as a parse worker has
	sampleEvents(t, func(e *event.Event) {
		want := oldJSON(t, e)
		got := e.AppendJSON(nil)
		if !bytes.Equal(want, got) {
			require.Equal(t, string(want), string(got), "%s:%d#%d", e.Path, e.Line, e.RecordID)
		}
		if got := appendJSONFields(e); !bytes.Equal(want, got) {
			require.Equal(t, string(want), string(got), "AppendJSONFields: %s:%d#%d", e.Path, e.Line, e.RecordID)
		}
		if got := o.Append(nil, e, fieldsOf(e)); !bytes.Equal(want, got) {
			require.Equal(t, string(want), string(got), "Encoder.Append: %s:%d#%d", e.Path, e.Line, e.RecordID)
		}
	})
}

func TestAppendJSON(t *testing.T) {
	at := time.Date(2018, 4, 12, 8, 58, 3, 962_000_000, time.UTC)
	for _, tc := range []struct {
		name string
		e    event.Event
		want string
	}{
		{"minimal", event.Event{}, `{"path":"","source":"","kind":""}`},
		{
			"client log", event.Event{Path: "b.zip!/x.UccApilog", Line: 3, EndLine: 9, Time: at, Local: true, Source: "uccapilog", Kind: "sip",
				Fields: map[string]string{"sip.method": "REGISTER", "diag.code": "4005"}, Text: "REGISTER <sip:a@b> & \"q\"\\"},
			`{"path":"b.zip!/x.UccApilog","line":3,"end_line":9,"time":"2018-04-12T08:58:03.962","local_time":true,"source":"uccapilog","kind":"sip",` +
				`"fields":{"diag.code":"4005","sip.method":"REGISTER"},"text":"REGISTER \u003csip:a@b\u003e \u0026 \"q\"\\"}`,
		},
		{
			"event log", event.Event{Path: "System.evtx", RecordID: 42, Time: at.Add(time.Nanosecond), Source: "evtx", Kind: "record", Fields: map[string]string{}},
			`{"path":"System.evtx","record_id":42,"time":"2018-04-12T08:58:03.962000001Z","source":"evtx","kind":"record"}`,
		},
		{
			"controls", event.Event{Text: "\x1b[2J\x00\b\f\n\r\t\x7f\u009b31m\u0085\ufffe\uffff\u2028\u2029\xff\xc2é日本"},
			`{"path":"","source":"","kind":"","text":"\u001b[2J\u0000\b\f\n\r\t\u007f\u009b31m\u0085\ufffe\uffff\u2028\u2029\ufffd\ufffdé日本"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.e.AppendJSON([]byte("prefix"))
			assert.Equal(t, "prefix"+tc.want, string(got))
			assert.Equal(t, string(oldJSON(t, &tc.e)), tc.want, "the old encoding")
			assert.True(t, json.Valid(got[len("prefix"):]))
		})
	}
}

// FuzzAppendJSON: any event, any bytes in its strings, encodes as the old
// path did, and decodes to the same values as MarshalJSON's output.
// TestAppendJSONEveryByte: a text of bytes written as they are, with any
// one byte at any place, is written as encoding/json writes it.
func TestAppendJSONEveryByte(t *testing.T) {
	for _, bg := range []string{"abcdefghijklmnopqrstuvw", "                       ", "~~~~~~~~~~~~~~~~~~~~~~~", "!#$%'()*+,-./0123456789", "=?@[]^_`{|}~;:ABCZ`az{|"} {
		for c := range 256 {
			for i := range len(bg) {
				b := []byte(bg)
				b[i] = byte(c)
				e := event.Event{Text: string(b)}
				if want, got := oldJSON(t, &e), e.AppendJSON(nil); !bytes.Equal(want, got) {
					require.Equal(t, string(want), string(got), "byte %#x at %d", c, i)
				}
			}
		}
	}
}

// TestAppendJSONManyFields: the fields of an event are sorted by name on
// the stack up to 64 of them and on the heap beyond; both give what
// encoding/json gives.
func TestAppendJSONManyFields(t *testing.T) {
	for _, n := range []int{1, 2, 3, 17, 63, 64, 65, 200} {
		e := event.Event{Path: "System.evtx", Source: "evtx", Kind: "record", Fields: map[string]string{}}
		for i := range n {
			// Names that share long prefixes and sort apart from their
			// numbers: evt.data.Param10 before evt.data.Param2.
			e.Fields[fmt.Sprintf("evt.data.Param%d", (i*7919)%n)] = fmt.Sprint(i)
		}
		assert.Equal(t, string(oldJSON(t, &e)), string(e.AppendJSON(nil)), "%d fields", n)
		assert.Equal(t, string(oldJSON(t, &e)), string(appendJSONFields(&e)), "AppendJSONFields, %d fields", n)
		var o event.Encoder
		assert.Equal(t, string(oldJSON(t, &e)), string(o.Append(nil, &e, fieldsOf(&e))), "Encoder.Append, %d fields", n)
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("a.zip!/x.log", "uccapilog", "sip", "REGISTER sip:x SIP/2.0\r\n", 1, 2, uint64(0), int64(1523523483962000000), true, "sip.header.to", "<sip:a@b>", "k", "v")
	f.Add("Sys\x7f.evtx", "evtx", "record", "\u009b\x1b]0;t\x07\u2028\u2029\ufffe\uffff", -1, 0, uint64(1<<63), int64(-6213559680000000000), false, "a\xffb", "\xc2\x9b", "", "\"\\&<>")
	f.Add("", "", "", "", 0, 0, uint64(0), int64(0), false, "", "", "", "")
	f.Fuzz(func(t *testing.T, path, source, kind, text string, line, endLine int, record uint64, nanos int64, local bool, k1, v1, k2, v2 string) {
		e := event.Event{Path: path, Source: source, Kind: kind, Text: text, Line: line, EndLine: endLine, RecordID: record, Local: local}
		if nanos != 0 {
			e.Time = time.Unix(0, nanos)
		}
		if k1 != "" || v1 != "" {
			e.Set(k1, v1)
			e.Set(k2, v2)
		}
		got := e.AppendJSON(nil)
		require.Equal(t, string(oldJSON(t, &e)), string(got))
		require.Equal(t, string(got), string(appendJSONFields(&e)), "AppendJSONFields")
		var o event.Encoder
		fs := fieldsOf(&e)
		require.Equal(t, string(got), string(o.Append(nil, &e, fs)), "Encoder.Append")
		slices.Reverse(fs)
		require.Equal(t, string(got), string(o.Append(nil, &e, fs)), "Encoder.Append, names known")
		var a, b any
		require.NoError(t, json.Unmarshal(got, &a))
		old, err := e.MarshalJSON()
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(old, &b))
		require.Equal(t, b, a, "the same decoded value")
		for _, c := range got {
			require.False(t, c < 0x20 || c == 0x7f, "raw control byte %#x in %q", c, got)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	e := event.Event{
		Path: "bundle.zip!/Tracing/Lync-UccApi-0.UccApilog", Line: 63, EndLine: 81, Local: true, Source: "uccapilog", Kind: "sip",
		Time: time.Date(2018, 4, 12, 8, 58, 3, 962_000_000, time.UTC),
		Fields: map[string]string{
			"sip.call_id": "36aa321ccf84d8847efe9fb59a0d9053", "sip.method": "REGISTER", "sip.uri": "sip:contoso.com",
			"sip.header.from": "<sip:bob@contoso.com>;tag=0436e47160;epid=5a852ad8e5", "sip.header.to": "<sip:bob@contoso.com>",
			"sip.header.user-agent": "UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)",
		},
		Text: "REGISTER sip:contoso.com SIP/2.0\nVia: SIP/2.0/TLS 10.0.4.15:55861\nMax-Forwards: 70\nFrom: <sip:bob@contoso.com>;tag=0436e47160;epid=5a852ad8e5\n" +
			"To: <sip:bob@contoso.com>\nCall-ID: 36aa321ccf84d8847efe9fb59a0d9053\nCSeq: 2 REGISTER\nUser-Agent: UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)\nContent-Length: 0",
	}
	b.Run("AppendJSON", func(b *testing.B) {
		var buf []byte
		b.SetBytes(int64(len(e.AppendJSON(nil))))
		b.ReportAllocs()
		for b.Loop() {
			buf = e.AppendJSON(buf[:0])
		}
	})
	b.Run("old", func(b *testing.B) {
		b.SetBytes(int64(len(e.AppendJSON(nil))))
		b.ReportAllocs()
		for b.Loop() {
			oldJSON(b, &e)
		}
	})
}
