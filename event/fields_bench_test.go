package event_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/parsers/uccapilog"
)

// BenchmarkAppendJSONFieldsLog writes every event of a client log as
// sfblog parse does, masked fields and text, into one reused buffer; one
// op is the whole log: $SFBLOG_JSON_BENCH_LOG, or the healthy sign-in
// sample's log (about 480 KB, 300 events, most of them SIP). fields
// writes them with AppendJSONFields, encoder with one Encoder, as a parse
// worker does.
//
// On the first 8 MB of benchcmp's 64 MiB log: fields 44.0-44.3 ms/op,
// encoder 35.4-35.6 ms/op, in the same run.
func BenchmarkAppendJSONFieldsLog(b *testing.B) {
	path := os.Getenv("SFBLOG_JSON_BENCH_LOG")
	if path == "" {
		path = filepath.Join("..", "testdata", "logs", "cases", "healthy-signin", "bundle", "Tracing", "Lync-UccApi-0.UccApilog")
	}
	f, err := os.Open(path)
	require.NoError(b, err)
	defer f.Close()
	type masked struct {
		e      event.Event
		fields []event.Field
	}
	var evs []masked
	_, err = uccapilog.Parse(context.Background(), path, f, func(e event.Event) error {
		m := masked{e: e}
		m.e.Text, m.fields = mask.EventFields(nil, &e)
		evs = append(evs, m)
		return nil
	})
	require.NoError(b, err)
	require.NotEmpty(b, evs)
	var buf []byte
	n := 0
	for i := range evs {
		n += len(evs[i].e.AppendJSONFields(nil, evs[i].fields))
	}
	b.SetBytes(int64(n))
	b.Run("fields", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range evs {
				buf = evs[i].e.AppendJSONFields(buf[:0], evs[i].fields)
			}
		}
	})
	b.Run("encoder", func(b *testing.B) {
		var o event.Encoder
		b.ReportAllocs()
		for b.Loop() {
			for i := range evs {
				buf = o.Append(buf[:0], &evs[i].e, evs[i].fields)
			}
		}
	})
}
