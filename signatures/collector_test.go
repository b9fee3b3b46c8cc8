package signatures

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// TestCollectorDone: a collector that is Done keeps only its buckets that
// hold events, and merges, evaluates and observes as it did before.
func TestCollectorDone(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	m := NewMatcher(c)
	sip := func(status, code string) *event.Event {
		e := &event.Event{Source: event.SourceUccApilog, Kind: event.KindSIP, Path: "a.log", Line: 7}
		e.Set("sip.type", "response")
		e.Set("sip.direction", "received")
		e.Set("sip.status", status)
		e.Set("sip.cseq.method", "REGISTER")
		e.Set("diag.code", code)
		return e
	}
	for _, tc := range []struct {
		name   string
		events []*event.Event
	}{
		{"nothing kept", []*event.Event{{Kind: event.KindLog, Text: "hello"}}},
		{"some kept", []*event.Event{sip("404", "4005"), sip("404", "4005"), {Kind: event.KindLog, Text: "x"}}},
		{"more than MaxKept", func() (evs []*event.Event) {
			for range MaxKept + 3 {
				evs = append(evs, sip("404", "4005"))
			}
			return evs
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole, done := m.NewCollector(), m.NewCollector()
			for _, e := range tc.events {
				whole.Observe(e)
				done.Observe(e)
			}
			done.Done()
			assert.Nil(t, done.buckets)
			assert.Equal(t, tc.name != "nothing kept", len(done.kept) > 0, "buckets kept")
			for _, k := range done.kept {
				assert.NotZero(t, k.count)
			}
			a, b := m.NewCollector(), m.NewCollector()
			a.Merge(whole)
			b.Merge(done)
			assert.Equal(t, a.buckets, b.buckets, "merged")
			assert.Equal(t, m.Evaluate(whole, Order{}), m.Evaluate(done, Order{}), "evaluated")
			extra := sip("404", "4005")
			whole.Observe(extra)
			done.Observe(extra)
			assert.Equal(t, whole.buckets, done.buckets, "observed again")
		})
	}
}
