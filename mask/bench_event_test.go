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
//
// On a generated 64 MiB client log (41,822 events, 40,796 of them SIP),
// instructions per op counted by valgrind --tool=cachegrind
// --cache-sim=no, as the difference between runs of 3 and of 1
// iterations (which cancels the parse): old 3.05 G, new 1.38 G with
// GOGC=off (2.2x); old 3.62 G, new 1.84 G with the default GOGC (2.0x).
// Wall clock on a shared 2-core machine, old and new in alternate
// processes: old 430-490 ms/op, new 225-275 ms/op.
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
