package signatures

import (
	"testing"
	"time"

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

// TestCollectorDrop: dropped events are neither kept nor counted, by
// plain and by correlated rules, before and after Done; the rest match as
// if the dropped had never been observed.
func TestCollectorDrop(t *testing.T) {
	c := sigWith(t, `
  - {name: symptom, role: symptom, kind: [record], when: {field: k, equals: s}}
  - name: pair
    role: decides
    correlate:
      first: {kind: [record], when: {field: k, equals: s}}
      second: {kind: [record], when: {field: k, equals: d}}
      on: [{first: host, second: host, op: equal}]
`)
	at := time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)
	s := rec("a", 1, at, false, "k", "s", "host", "h")
	d := rec("a", 2, at, false, "k", "d", "host", "h")
	sCopy := rec("a.bak", 1, at, false, "k", "s", "host", "h")
	dCopy := rec("a.bak", 2, at, false, "k", "d", "host", "h")
	copies := map[*event.Event]bool{sCopy: true, dCopy: true}
	for _, done := range []bool{false, true} {
		m := NewMatcher(c)
		col := m.NewCollector()
		for _, e := range []*event.Event{s, d, sCopy, dCopy} {
			col.Observe(e)
		}
		if done {
			col.Done()
		}
		assert.ElementsMatch(t, []*event.Event{s, d, sCopy, dCopy}, col.Events())
		before := m.Evaluate(col, Order{})
		require.Len(t, before, 1)
		assert.Equal(t, 2+4, before[0].Total, "2 symptoms and 4 pairs with the copies")
		n := col.Counts()
		col.Drop(func(e *event.Event) *Counts {
			if copies[e] {
				return n
			}
			return nil
		})
		assert.ElementsMatch(t, []*event.Event{s, d}, col.Events())
		hits := m.Evaluate(col, Order{})
		require.Len(t, hits, 1)
		assert.Equal(t, evaluate(c, Order{}, s, d), hits, "as if the copies had not been observed")
		assert.Equal(t, 1+1, hits[0].Total)
		assert.Equal(t, []*event.Event{s, d}, hits[0].Events)
	}
}

// TestCollectorDropCapped: a rule that matched more events of a copy
// than it kept, all the kept ones copies, counts what it matched beyond
// what the original's input matched; if one kept event is no copy, only
// the copies kept are taken off.
func TestCollectorDropCapped(t *testing.T) {
	c := sigWith(t, `
  - {name: symptom, role: decides, kind: [record], when: {field: k, equals: s}}
`)
	at := time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)
	const n = MaxKept + 10 // the original's matches
	for _, tc := range []struct {
		name  string
		copy  int // matches of the copy
		own   int // kept events of the copy that are no copies
		count int // left after Drop
	}{
		{"the same log twice", n, 0, 0},
		{"collected again later: 30 more events", n + 30, 0, 30},
		{"collected before: a part", MaxKept + 5, 0, 0},
		{"near miss: one kept is no copy", n, 1, n - (MaxKept - 1)},
	} {
		for _, done := range []bool{false, true} {
			m := NewMatcher(c)
			orig, cp := m.NewCollector(), m.NewCollector()
			for i := range n {
				orig.Observe(rec("a", i+1, at, false, "k", "s"))
			}
			var es []*event.Event
			for i := range tc.copy {
				e := rec("a (1)", i+1, at, false, "k", "s")
				es = append(es, e)
				cp.Observe(e)
			}
			if done {
				orig.Done()
				cp.Done()
			}
			n := orig.Counts()
			cp.Drop(func(e *event.Event) *Counts {
				if e.Line > tc.own {
					return n
				}
				return nil
			})
			hits := m.Evaluate(cp, Order{})
			if tc.count == 0 {
				assert.Empty(t, hits, tc.name)
				assert.Empty(t, cp.Events(), tc.name)
				continue
			}
			require.Len(t, hits, 1, tc.name)
			assert.Equal(t, tc.count, hits[0].Total, tc.name)
			assert.Len(t, hits[0].Events, tc.own, tc.name)
			for i, e := range hits[0].Events {
				assert.Same(t, es[i], e, tc.name)
			}
		}
	}
}
