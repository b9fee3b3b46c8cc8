package stage

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// The stage hands events and skipped blocks to the sink in the order they
// were sent, across batch boundaries.
func TestStageKeepsOrder(t *testing.T) {
	for _, n := range []int{0, 1, stageBatch - 1, stageBatch, stageBatch + 1, 5*stageBatch*stageBatches + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var got []string
			sink := func(ev event.Event) error { got = append(got, fmt.Sprint("e", ev.Line)); return nil }
			skipped := func(ev event.Event) { got = append(got, fmt.Sprint("s", ev.Line)) }
			st := New(sink, skipped)
			var want []string
			for i := range n {
				if i%3 == 0 {
					st.Skip(event.Event{Line: i})
					want = append(want, fmt.Sprint("s", i))
					continue
				}
				require.NoError(t, st.Send(event.Event{Line: i}))
				want = append(want, fmt.Sprint("e", i))
			}
			require.NoError(t, st.Close())
			assert.Equal(t, want, got)
		})
	}
}

// A sink that fails or panics stops the stage: later sends fail, close
// returns why, and nothing is left waiting.
func TestStageStops(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		sink    event.Sink
		wantErr string
	}{
		{"error", func(ev event.Event) error {
			if ev.Line == 3 {
				return boom
			}
			return nil
		}, "boom"},
		{"panic", func(ev event.Event) error {
			if ev.Line == 3 {
				panic("bad event")
			}
			return nil
		}, "internal error while reading: bad event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := New(tt.sink, func(event.Event) {})
			stopped := false
			for i := 0; i < 100*stageBatch && !stopped; i++ {
				if err := st.Send(event.Event{Line: i}); err != nil {
					assert.ErrorIs(t, err, ErrStopped)
					stopped = true
				}
			}
			assert.True(t, stopped, "send kept accepting events after the sink failed")
			assert.EqualError(t, st.Close(), tt.wantErr)
		})
	}
}

// A batch goes over once it holds stageText bytes of event text, however
// few events: the queue stays at a few MiB even when every event is a SIP
// block of 1 MiB.
func TestStageBoundsText(t *testing.T) {
	release := make(chan struct{})
	seen := 0
	st := New(func(event.Event) error {
		if seen++; seen == 1 {
			<-release // the sink is stuck: batches pile up
		}
		return nil
	}, func(event.Event) {})
	big := strings.Repeat("x", 600<<10) // two pass stageText
	var queued atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 100 {
			if st.Send(event.Event{Text: big}) != nil {
				return
			}
			queued.Add(1)
		}
	}()
	time.Sleep(200 * time.Millisecond)
	// The batch the sink is stuck on, stageBatches waiting, one being
	// filled: two events each, as two events pass stageText.
	assert.LessOrEqual(t, queued.Load(), int64(2*(stageBatches+2)), "events of %d bytes queued", len(big))
	close(release)
	<-done
	require.NoError(t, st.Close())
	assert.Equal(t, 100, seen)
}
