package signatures

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
)

// MaxKept bounds how many events one rule keeps; every match is still
// counted. A finding shows a handful of them and the count; a correlation
// pairs a few dozen. The events kept own their strings (the parsers copy
// what an event holds), so this bounds the memory a long log can hold.
const MaxKept = 64

// Matcher is a catalog compiled for matching: rules indexed by event kind,
// so an event is only tested against the rules that read its kind.
type Matcher struct {
	cat    *Catalog
	byKind map[string][]ref
	// slot[s][r] is the collector bucket of rule r of signature s: its
	// when condition, or the first side of its correlation (the second
	// side is the next bucket).
	slot  [][]int
	slots int
}

// ref points at the condition that fills one collector bucket.
type ref struct {
	slot int
	cond *Cond
}

// NewMatcher compiles the catalog.
func NewMatcher(c *Catalog) *Matcher {
	m := &Matcher{cat: c, byKind: map[string][]ref{}, slot: make([][]int, len(c.sigs))}
	add := func(kinds []string, cond *Cond) {
		for _, k := range kinds {
			m.byKind[k] = append(m.byKind[k], ref{m.slots, cond})
		}
		m.slots++
	}
	for si, s := range c.sigs {
		m.slot[si] = make([]int, len(s.Evidence))
		for ri, ev := range s.Evidence {
			m.slot[si][ri] = m.slots
			if ev.When != nil {
				add(ev.Kind, ev.When)
				continue
			}
			add(ev.Correlate.First.Kind, ev.Correlate.First.When)
			add(ev.Correlate.Second.Kind, ev.Correlate.Second.When)
		}
	}
	return m
}

// bucket holds the events one condition matched.
type bucket struct {
	events []*event.Event
	count  int
}

// Collector keeps the events of one input that some rule reads. It is not
// safe for concurrent use: give each input its own and Merge them.
type Collector struct {
	m       *Matcher
	buckets []bucket     // one per slot; nil after Done
	kept    []slotBucket // after Done: the buckets that hold events
	memo    memo
}

// NewCollector returns an empty collector.
func (m *Matcher) NewCollector() *Collector {
	return &Collector{m: m, buckets: make([]bucket, m.slots), memo: memo{}}
}

// Done says that no more events will be observed: the collector lets go
// of what only Observe needs, and keeps its buckets that hold events, by
// slot, instead of one per rule. A bundle of thousands of inputs keeps
// one collector each until they are merged (9,000 small client logs: 20
// MB of buckets, most of them empty). It can still be merged, and
// observing again makes it whole.
func (c *Collector) Done() {
	c.memo = nil
	if c.buckets == nil {
		return
	}
	var kept []slotBucket
	for i, b := range c.buckets {
		if b.count != 0 {
			kept = append(kept, slotBucket{i, b})
		}
	}
	c.buckets, c.kept = nil, slices.Clip(kept)
}

// slotBucket is a bucket that holds events, and its slot.
type slotBucket struct {
	slot int
	bucket
}

// whole gives c a bucket per slot again, after Done.
func (c *Collector) whole() {
	if c.buckets != nil {
		return
	}
	c.buckets = make([]bucket, c.m.slots)
	for _, k := range c.kept {
		c.buckets[k.slot] = k.bucket
	}
	c.kept = nil
}

// Observe tests e against every rule that reads its kind and keeps it where
// one matches. It reports whether any rule kept it.
func (c *Collector) Observe(e *event.Event) bool {
	c.whole()
	if c.memo == nil {
		c.memo = memo{}
	}
	kept := false
	for _, r := range c.m.byKind[e.Kind] {
		if !r.cond.match(e, c.memo) {
			continue
		}
		b := &c.buckets[r.slot]
		b.count++
		if len(b.events) < MaxKept {
			b.events = append(b.events, e)
		}
		kept = true
	}
	return kept
}

// Merge adds the events of other (a later input) to c.
func (c *Collector) Merge(other *Collector) {
	c.whole()
	if other.buckets == nil {
		for _, k := range other.kept { // after Done
			c.buckets[k.slot].merge(&k.bucket)
		}
		return
	}
	for i := range c.buckets {
		c.buckets[i].merge(&other.buckets[i])
	}
}

// Events returns the events c keeps, each once, in the order of the
// rules' slots and then of observation.
func (c *Collector) Events() []*event.Event {
	var out []*event.Event
	seen := map[*event.Event]bool{}
	c.each(func(b *bucket) {
		for _, e := range b.events {
			if !seen[e] {
				seen[e] = true
				out = append(out, e)
			}
		}
	})
	return out
}

// Counts is how many events each rule of a collector had matched when
// they were taken (Collector.Counts).
type Counts struct {
	by map[int]int // by slot
}

// Counts returns how many events each rule of c matched so far.
func (c *Collector) Counts() *Counts {
	n := &Counts{by: map[int]int{}}
	c.eachSlot(func(i int, b *bucket) { n.by[i] = b.count })
	return n
}

// Drop forgets the events of c that are copies of another input's (a copy
// of a log): origin returns the counts of the collector of the input that
// holds the original of e (taken before any Drop), or nil when e is no
// copy. The copies are neither kept nor counted. A rule that matched more
// events than it kept (MaxKept), all of the kept ones copies, counts what
// it matched beyond what the original's input matched: a log collected
// twice holds the first one's events and, the later one, some more after
// them.
func (c *Collector) Drop(origin func(*event.Event) *Counts) {
	c.eachSlot(func(i int, b *bucket) {
		from := 0 // what the rule matched in the input of the originals
		total, capped := b.count, b.count > len(b.events)
		kept := b.events[:0]
		for _, e := range b.events {
			o := origin(e)
			if o == nil {
				kept = append(kept, e)
				continue
			}
			b.count--
			from = max(from, o.by[i])
		}
		clear(b.events[len(kept):])
		b.events = kept
		if capped && len(kept) == 0 {
			b.count = max(0, total-from)
		}
	})
	if c.buckets == nil {
		c.kept = slices.DeleteFunc(c.kept, func(k slotBucket) bool { return k.count == 0 })
	}
}

// each calls fn with every bucket of c that holds events, whole or Done.
func (c *Collector) each(fn func(*bucket)) {
	c.eachSlot(func(_ int, b *bucket) { fn(b) })
}

// eachSlot calls fn with every bucket of c that holds events, and its
// slot.
func (c *Collector) eachSlot(fn func(int, *bucket)) {
	if c.buckets == nil {
		for i := range c.kept {
			fn(c.kept[i].slot, &c.kept[i].bucket)
		}
		return
	}
	for i := range c.buckets {
		if c.buckets[i].count != 0 {
			fn(i, &c.buckets[i])
		}
	}
}

// merge adds the events of o to b, up to MaxKept kept.
func (b *bucket) merge(o *bucket) {
	b.count += o.count
	room := min(MaxKept-len(b.events), len(o.events))
	b.events = append(b.events, o.events[:room]...)
}

// Hit is a signature whose rules matched.
type Hit struct {
	Sig       *Signature
	Confirmed bool           // a deciding rule matched
	RuledOut  bool           // a rules_out rule matched
	Events    []*event.Event // evidence of deciding and symptom rules, in evidence order
	Total     int            // matches counted, including those not kept
	// Deciding is the earliest event of the deciding rules when the hit is
	// confirmed, else the earliest event of its evidence.
	Deciding *event.Event
	// RuledOutBy names the first rules_out rule that matched and its
	// earliest event.
	RuledOutBy *RuleMatch
}

// RuleMatch is a rule and the event that made it match.
type RuleMatch struct {
	Rule  string
	Event *event.Event
}

// Order compares events in time. Events of one file are ordered by line or
// record; others by time, converting local wall-clock times with Zone (the
// client's offset from UTC) when it is known. ok is false when the two
// events cannot be ordered.
type Order struct {
	Zone    time.Duration
	HasZone bool
}

// Before reports whether a happened before b, and whether that is known.
func (o Order) Before(a, b *event.Event) (before, ok bool) {
	if a.Path == b.Path {
		if a.Line != b.Line {
			return a.Line < b.Line, true
		}
		return a.RecordID < b.RecordID, a.RecordID != b.RecordID
	}
	ta, oka := o.utc(a)
	tb, okb := o.utc(b)
	if !oka || !okb || !o.comparable(a, b) {
		return false, false
	}
	return ta.Before(tb), true
}

// Distance returns |a-b| in time, and whether it is known.
func (o Order) Distance(a, b *event.Event) (time.Duration, bool) {
	ta, oka := o.utc(a)
	tb, okb := o.utc(b)
	if !oka || !okb {
		return 0, false
	}
	d := ta.Sub(tb)
	if d < 0 {
		d = -d
	}
	return d, true
}

// utc returns the event's time in UTC, when it has one that can be placed.
func (o Order) utc(e *event.Event) (time.Time, bool) {
	if e.Time.IsZero() {
		return time.Time{}, false
	}
	if !e.Local {
		return e.Time, true
	}
	if !o.HasZone {
		// Local times of one client are comparable with each other; place
		// them as if they were UTC so that they order among themselves.
		return e.Time, true
	}
	return e.Time.Add(-o.Zone), true
}

// comparable reports whether the times of a and b can be compared: both
// UTC, both local, or mixed with a known zone.
func (o Order) comparable(a, b *event.Event) bool {
	return a.Local == b.Local || o.HasZone
}

// Evaluate decides which signatures hit, given everything collected.
func (m *Matcher) Evaluate(c *Collector, o Order) []*Hit {
	c.whole()
	var hits []*Hit
	for si, s := range m.cat.sigs {
		type ruleResult struct {
			events []*event.Event
			count  int
		}
		results := make([]ruleResult, len(s.Evidence))
		for ri, ev := range s.Evidence {
			slot := m.slot[si][ri]
			if ev.When != nil {
				b := c.buckets[slot]
				results[ri] = ruleResult{b.events, b.count}
				continue
			}
			first, second := c.buckets[slot], c.buckets[slot+1]
			results[ri].events, results[ri].count = correlate(ev.Correlate, first.events, second.events, o)
		}
		matched := map[string]bool{}
		for ri, ev := range s.Evidence {
			matched[ev.Name] = results[ri].count > 0
		}
		h := &Hit{Sig: s}
		seen := map[*event.Event]bool{}
		counted := false
		for ri, ev := range s.Evidence {
			if !matched[ev.Name] || !allMatched(matched, ev.With) || anyMatched(matched, ev.Unless) {
				continue
			}
			switch ev.Role {
			case RoleRulesOut:
				h.RuledOut = true
				if h.RuledOutBy == nil && len(results[ri].events) > 0 {
					h.RuledOutBy = &RuleMatch{Rule: ev.Name, Event: earliest(results[ri].events)}
				}
				continue
			case RoleDecides:
				h.Confirmed = true
				if e := earliest(results[ri].events); e != nil && (h.Deciding == nil || eventLess(e, h.Deciding)) {
					h.Deciding = e
				}
			}
			counted = true
			h.Total += results[ri].count
			for _, e := range results[ri].events {
				if !seen[e] {
					seen[e] = true
					h.Events = append(h.Events, e)
				}
			}
		}
		if counted {
			SortEvents(h.Events)
			if h.Deciding == nil && len(h.Events) > 0 {
				h.Deciding = h.Events[0]
			}
			hits = append(hits, h)
		} else if h.RuledOut {
			// Only ruled out: kept so that the report can say which cause
			// the evidence excluded.
			hits = append(hits, h)
		}
	}
	return hits
}

func anyMatched(matched map[string]bool, names []string) bool {
	for _, n := range names {
		if matched[n] {
			return true
		}
	}
	return false
}

func allMatched(matched map[string]bool, names []string) bool {
	for _, n := range names {
		if !matched[n] {
			return false
		}
	}
	return true
}

// correlate pairs first and second events; it returns the events of the
// pairs that hold and how many pairs hold.
func correlate(c *Correlate, first, second []*event.Event, o Order) ([]*event.Event, int) {
	var out []*event.Event
	in := map[*event.Event]bool{}
	n := 0
	for _, a := range first {
		for _, b := range second {
			if a == b || !pairHolds(c, a, b, o) {
				continue
			}
			n++
			for _, e := range []*event.Event{a, b} {
				if !in[e] && len(out) < MaxKept {
					in[e] = true
					out = append(out, e)
				}
			}
		}
	}
	return out, n
}

func pairHolds(c *Correlate, a, b *event.Event, o Order) bool {
	for _, j := range c.On {
		va, oka := value(a, j.First)
		vb, okb := value(b, j.Second)
		if !oka || !okb || va == "" || vb == "" {
			return false
		}
		switch j.Op {
		case "equal":
			if !strings.EqualFold(va, vb) {
				return false
			}
		case "differ":
			if strings.EqualFold(va, vb) {
				return false
			}
		case "contains":
			if !containsFold(vb, strings.ToLower(va)) {
				return false
			}
		case "in":
			if !containsFold(va, strings.ToLower(vb)) {
				return false
			}
		}
	}
	if c.Order == "before" {
		before, ok := o.Before(a, b)
		if !ok || !before {
			return false
		}
	}
	if c.within > 0 {
		// Events that cannot be placed on one time line are not "within".
		d, ok := o.Distance(a, b)
		if !ok || !o.comparable(a, b) || d > c.within {
			return false
		}
	}
	return true
}

// SortEvents orders events by path, then line, then record id.
func SortEvents(es []*event.Event) {
	sort.SliceStable(es, func(i, j int) bool { return eventLess(es[i], es[j]) })
}

// eventLess is the order of SortEvents.
func eventLess(a, b *event.Event) bool {
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.RecordID < b.RecordID
}

// earliest returns the first of es in the order of SortEvents, or nil.
func earliest(es []*event.Event) *event.Event {
	var first *event.Event
	for _, e := range es {
		if first == nil || eventLess(e, first) {
			first = e
		}
	}
	return first
}
