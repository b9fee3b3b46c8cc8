package mask

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/uccapilog"
)

// benchEventsLog is the client log whose events BenchmarkEventInto masks:
// $SFBLOG_MASK_BENCH_LOG, or the largest sample log.
func benchEventsLog() string {
	if p := os.Getenv("SFBLOG_MASK_BENCH_LOG"); p != "" {
		return p
	}
	return filepath.Join(casesDir, "healthy-signin", "bundle", "Tracing", "Lync-UccApi-0.UccApilog")
}

var benchEvents = sync.OnceValues(func() ([]event.Event, error) {
	path := benchEventsLog()
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var evs []event.Event
	_, err = uccapilog.Parse(context.Background(), path, f, func(e event.Event) error {
		evs = append(evs, e)
		return nil
	})
	return evs, err
})

// loadBenchEvents returns the events of benchEventsLog.
func loadBenchEvents(tb testing.TB) []event.Event {
	tb.Helper()
	evs, err := benchEvents()
	require.NoError(tb, err)
	require.NotEmpty(tb, evs)
	return evs
}

// BenchmarkEventInto masks every event of a client log into one reused
// event, as sfblog parse does; one op is the whole log. The old
// sub-benchmark runs the EventInto of c2b86d4 (old_test.go) on the same
// events, for figures measured side by side.
func BenchmarkEventInto(b *testing.B) {
	evs := loadBenchEvents(b)
	for _, bm := range []struct {
		name string
		into func(dst, e *event.Event)
	}{{"old", oldEventInto}, {"new", EventInto}} {
		b.Run(bm.name, func(b *testing.B) {
			var m event.Event
			b.ReportAllocs()
			for b.Loop() {
				for i := range evs {
					bm.into(&m, &evs[i])
				}
			}
		})
	}
}
