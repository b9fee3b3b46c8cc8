package analyze

import (
	"slices"
	"strings"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/signatures"
)

// A support bundle often holds a log twice: a .bak, the same log
// collected twice, a copy cut short, "... - Copy", " (1)". What a copy
// repeats happened once: its events are dropped before the rules see them
// (dropEventCopies), and its attempts from the timeline (dropCopies).

// dropEventCopies drops from the inputs' collectors the events that a copy
// of a log repeats (copiesOf): they happened once, and the rules neither
// see nor count them again. Each input's collector is dropped from before
// the merge, which keeps only MaxKept events of a rule: there, the counts
// of every input are whole. An input all of whose events are copies of
// one other input's is marked a copy of it (Input.CopyOf).
func dropEventCopies(results []*input) {
	if len(results) < 2 {
		return
	}
	var es []*event.Event
	of := make([][]*event.Event, len(results))      // the events of each input
	counts := map[*event.Event]*signatures.Counts{} // of the event's input
	for i, in := range results {
		n := in.col.Counts()
		of[i] = in.col.Events()
		for _, e := range of[i] {
			es = append(es, e)
			counts[e] = n
		}
	}
	copies := copiesOf(es)
	if copies == nil {
		return
	}
	for i, in := range results {
		// An input whose every event is a copy, all of one other input's
		// events, is said to be a copy of (a part of) it.
		from := ""
		for _, e := range of[i] {
			o := copies[e]
			if o == nil || (from != "" && o.Path != from) {
				from = ""
				break
			}
			from = o.Path
		}
		in.CopyOf = from
		in.col.Drop(func(e *event.Event) *signatures.Counts {
			if o := copies[e]; o != nil {
				return counts[o]
			}
			return nil
		})
	}
}

// copyKey is where and when an event happened, whatever the input.
type copyKey struct {
	kind   string
	time   time.Time
	local  bool
	line   int
	record uint64
}

// copiesOf returns the events of es that another input holds too, each
// with the event kept in its place (its original): a log and its copy
// have the same events at the same lines and times, an event log exported
// twice the same records; the copy's text may be cut short (a copy taken
// while the client wrote). Of an event and its copies, the one kept is the
// one with the whole text, else the one with the shortest path (a copy's
// name is the longer: "... - Copy", " (1)", ".bak"), else the first.
// Events without a time are never copies.
//
// The events of one place and time are taken best first (keptOver): one
// whose text a kept event of another input has is a copy; one whose text
// begins such a text (a copy cut short) is, if it is one of the first
// maxCutTexts kept, which bounds the work on hostile inputs that put
// many different texts at one place and time.
func copiesOf(es []*event.Event) map[*event.Event]*event.Event {
	at := map[copyKey][]*event.Event{}
	for _, e := range es {
		if !e.Time.IsZero() {
			k := copyKey{e.Kind, e.Time, e.Local, e.Line, e.RecordID}
			at[k] = append(at[k], e)
		}
	}
	var copies map[*event.Event]*event.Event
	for _, list := range at {
		if len(list) < 2 {
			continue
		}
		slices.SortStableFunc(list, func(a, b *event.Event) int {
			switch {
			case keptOver(a, b):
				return -1
			case keptOver(b, a):
				return 1
			}
			return 0
		})
		var kept []*event.Event
		whole := map[string]*event.Event{} // the texts kept, with the first event of each
		for _, e := range list {
			if o := copyOf(e, whole, kept); o != nil {
				if copies == nil {
					copies = map[*event.Event]*event.Event{}
				}
				copies[e] = o
				continue
			}
			kept = append(kept, e)
			if _, ok := whole[e.Text]; !ok {
				whole[e.Text] = e
			}
		}
	}
	return copies
}

// maxCutTexts bounds the kept texts of one place and time that copyOf
// compares a text with, to find it cut short.
const maxCutTexts = 16

// copyOf returns the event kept before e, from another input, that e
// repeats, or nil: the same text (whole), or a text that e's begins
// (kept, best first: no shorter than e's).
func copyOf(e *event.Event, whole map[string]*event.Event, kept []*event.Event) *event.Event {
	if o, ok := whole[e.Text]; ok {
		// Every event kept with this text is of the first one's input:
		// another input's was a copy.
		if o.Path != e.Path {
			return o
		}
		return nil
	}
	for _, k := range kept[:min(len(kept), maxCutTexts)] {
		if k.Path != e.Path && strings.HasPrefix(k.Text, e.Text) {
			return k
		}
	}
	return nil
}

// keptOver reports whether event f is kept rather than its copy e: it has
// more of the text, or as much and a shorter path, or the same length of
// path and comes first (by path).
func keptOver(f, e *event.Event) bool {
	if len(f.Text) != len(e.Text) {
		return len(f.Text) > len(e.Text)
	}
	if len(f.Path) != len(e.Path) {
		return len(f.Path) < len(e.Path)
	}
	return f.Path < e.Path
}

// dropCopies removes the attempts that another input holds too: a log and
// a copy of it (a .bak, the same log collected twice, a truncated copy)
// hold the same attempts, which happened once. Two attempts of different
// inputs are the same when they start at the same time (to the
// millisecond) with the same REGISTER dialog (Call-ID), or, without one,
// were opened by the same text (a failure text shown to the user). Of the
// two, the one that says more is kept (see saysMore), else the first. all
// is in time order; it returns the attempts kept, in that order, and the
// ones dropped, each with the attempt kept in its place (its original).
func dropCopies(all []*attempt) (kept []*attempt, copies map[*attempt]*attempt) {
	type key struct {
		at     time.Time
		local  bool
		callID string
		opener uint64
	}
	keyOf := func(a *attempt) key {
		k := key{at: a.at, local: a.local, callID: a.callID}
		if k.callID == "" {
			k.opener = a.opener
		}
		return k
	}
	idx := map[key]int{} // the index in kept
	for _, a := range all {
		if a.at.IsZero() {
			kept = append(kept, a)
			continue
		}
		k := keyOf(a)
		i, ok := idx[k]
		if !ok || kept[i].path == a.path {
			idx[k] = len(kept)
			kept = append(kept, a)
			continue
		}
		if copies == nil {
			copies = map[*attempt]*attempt{}
		}
		if b := kept[i]; saysMore(a, b) {
			kept[i], a = a, b
		}
		copies[a] = kept[i]
	}
	// A copy's original may have been dropped for a later one that says
	// more: each copy names the one kept.
	for c, o := range copies {
		for copies[o] != nil {
			o = copies[o]
		}
		copies[c] = o
	}
	return kept, copies
}

// dropTrackerCopies takes off s the attempts past maxAttempts that a copy
// of a log holds again, which no attempt kept can show: the tracker of an
// input all of whose kept attempts are copies of one other tracker's
// (trackerOf) counted past the cap the attempts of that one, or of a part
// of it, or those and more (a copy collected later). The attempts of the
// one that dropped fewer are taken off, with what they added to the
// counters.
func dropTrackerCopies(s *SignIn, trs []*tracker, copies map[*attempt]*attempt) {
	if len(copies) == 0 {
		return
	}
	trackerOf := map[*attempt]*tracker{}
	for _, t := range trs {
		for _, a := range t.attempts {
			trackerOf[a] = t
		}
	}
	for _, t := range trs {
		if t.dropped == 0 || len(t.attempts) == 0 {
			continue
		}
		var from *tracker // the tracker of the originals
		for _, a := range t.attempts {
			o := copies[a]
			if o == nil || (from != nil && trackerOf[o] != from) {
				from = nil
				break
			}
			from = trackerOf[o]
		}
		if from == nil {
			continue
		}
		fewer := t
		if from.dropped < t.dropped {
			fewer = from
		}
		s.Attempts -= fewer.dropped
		s.Failures -= fewer.droppedFailed
		s.Registers -= fewer.droppedCounts.registers
		s.Refusals -= fewer.droppedCounts.refusals
		s.Errors -= fewer.droppedCounts.errors
		s.Copies += fewer.dropped
	}
}

// saysMore reports whether attempt a is kept rather than b, its copy: it
// was decided where b was cut off, or it kept more steps, or as many and
// its path is the shorter (a copy's name is the longer: "... - Copy",
// " (1)", ".bak").
func saysMore(a, b *attempt) bool {
	if a.done != b.done {
		return a.done
	}
	if len(a.Steps) != len(b.Steps) {
		return len(a.Steps) > len(b.Steps)
	}
	return len(a.path) < len(b.path)
}
