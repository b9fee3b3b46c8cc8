package evtx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sfblog/sfblog/event"
)

// maxTextLen bounds Event.Text, which is an excerpt for reports; the full
// values stay in the evt.data.* fields.
const maxTextLen = 1024

// header is what the record header says about a record.
type header struct {
	id   uint64
	time time.Time
}

// DataItem is one value of the data sections, in document order.
// DataItem is one value of a record's EventData or UserData, for SetData.
type DataItem struct {
	Key   string // field name after "evt.data."
	Path  string // element path, used when Key collides
	Value string
	Named bool // Key is an EventData Name or position: never replaced by Path
}

// toEvent turns the decoded tree of a record into a normalized event.
func (t *tree) toEvent(path string, h header) event.Event {
	ev := event.Event{
		Source:   event.SourceEvtx,
		Kind:     event.KindRecord,
		Path:     path,
		RecordID: h.id,
		Fields:   make(map[string]string, 24),
	}
	root := t.root()
	var items []DataItem
	var sys sysInfo
	for c := t.elems[root].firstChild; c >= 0; c = t.elems[c].nextSibling {
		switch t.elems[c].name {
		case "System":
			sys = t.system(c, &ev)
		case "RenderingInfo":
			// Rendered message strings of forwarded events: not data.
		case "EventData":
			items = t.eventData(c, items)
		default:
			// UserData, and the rarer DebugData, ProcessingErrorData,
			// BinaryEventData sections: flatten their leaves.
			items = t.leaves(c, "", items)
		}
	}
	if ev.RecordID == 0 {
		ev.RecordID = h.id
	}
	ev.Time = sys.time
	if ev.Time.IsZero() {
		ev.Time = h.time
	}
	SetData(&ev, items)
	ev.Text = text(&ev, items)
	return ev
}

// check reports whether the tree is an event: an Event element with a
// System element that holds an EventID. Anything else is a record whose
// binary XML decoded into something that is not an event (damage).
func (t *tree) check() error {
	root := t.root()
	if t.elems[root].name != "Event" {
		return fmt.Errorf("record holds <%s>, not an <Event>", t.elems[root].name)
	}
	for c := t.elems[root].firstChild; c >= 0; c = t.elems[c].nextSibling {
		if t.elems[c].name != "System" {
			continue
		}
		for cc := t.elems[c].firstChild; cc >= 0; cc = t.elems[cc].nextSibling {
			if t.elems[cc].name == "EventID" {
				return nil
			}
		}
	}
	return errors.New("record has no System/EventID")
}

// root returns the Event element, or the first element when the record
// has no Event element.
func (t *tree) root() int32 {
	for i := range t.elems {
		if t.elems[i].parent < 0 && t.elems[i].name == "Event" {
			return int32(i)
		}
	}
	return 0
}

func (t *tree) findAttr(e int32, name string) (*attribute, bool) {
	el := &t.elems[e]
	for i := el.attrLo; i < el.attrHi; i++ {
		a := &t.attrs[i]
		if a.name == name && !a.dropped {
			return a, true
		}
	}
	return nil, false
}

type sysInfo struct {
	time time.Time
}

// system reads the System element into ev.
func (t *tree) system(sys int32, ev *event.Event) sysInfo {
	var info sysInfo
	for c := t.elems[sys].firstChild; c >= 0; c = t.elems[c].nextSibling {
		e := &t.elems[c]
		switch e.name {
		case "Provider":
			// Read the Name attribute directly: golang-evtx loses it when
			// it is the only attribute (<Provider Name="EventLog"/>).
			if a, ok := t.findAttr(c, "Name"); ok {
				ev.Set("evt.provider", a.value)
			}
			if a, ok := t.findAttr(c, "EventSourceName"); ok {
				ev.Set("evt.source", a.value)
			}
		case "EventID":
			ev.Set("evt.event_id", strings.TrimSpace(e.text))
			if a, ok := t.findAttr(c, "Qualifiers"); ok {
				ev.Set("evt.qualifiers", a.value)
			}
		case "Level":
			ev.Set("evt.level", e.text)
		case "Task":
			ev.Set("evt.task", e.text)
		case "Keywords":
			ev.Set("evt.keywords", e.text)
		case "Channel":
			ev.Set("evt.channel", e.text)
		case "Computer":
			ev.Set("evt.computer", e.text)
		case "Security":
			if a, ok := t.findAttr(c, "UserID"); ok {
				ev.Set("evt.user_sid", a.value)
			}
		case "EventRecordID":
			if id, err := strconv.ParseUint(strings.TrimSpace(e.text), 10, 64); err == nil {
				ev.RecordID = id
			}
		case "TimeCreated":
			if a, ok := t.findAttr(c, "SystemTime"); ok {
				info.time = a.time
				if info.time.IsZero() {
					info.time, _ = time.Parse(time.RFC3339Nano, strings.TrimSpace(a.value))
				}
			}
		}
	}
	info.time = info.time.UTC()
	return info
}

// eventData collects the values of an EventData element: named Data
// elements by name, unnamed ones by their 1-based position among the Data
// elements, anything else (Binary, complex content) by leaf name.
func (t *tree) eventData(ed int32, items []DataItem) []DataItem {
	pos := 0
	for c := t.elems[ed].firstChild; c >= 0; c = t.elems[c].nextSibling {
		e := &t.elems[c]
		if e.name != "Data" {
			items = t.leaves(c, "", items)
			continue
		}
		pos++
		key := strconv.Itoa(pos)
		if a, ok := t.findAttr(c, "Name"); ok && a.value != "" {
			key = a.value
		}
		items = append(items, DataItem{Key: key, Path: key, Value: e.text, Named: true})
		if e.firstChild >= 0 {
			// Binary XML nested in a Data value: keep its leaves too.
			for cc := e.firstChild; cc >= 0; cc = t.elems[cc].nextSibling {
				items = t.leaves(cc, key, items)
			}
		}
	}
	return items
}

// leaves appends the leaf elements and the attributes below e (e
// included), each keyed by its name and carrying its path for collisions.
func (t *tree) leaves(e int32, prefix string, items []DataItem) []DataItem {
	el := &t.elems[e]
	p := el.name
	if prefix != "" {
		p = prefix + "." + el.name
	}
	for i := el.attrLo; i < el.attrHi; i++ {
		a := &t.attrs[i]
		if a.dropped || a.name == "xmlns" || strings.HasPrefix(a.name, "xmlns:") {
			continue
		}
		items = append(items, DataItem{Key: a.name, Path: p + "." + a.name, Value: a.value})
	}
	if el.firstChild < 0 {
		if el.attrLo == el.attrHi || el.text != "" {
			items = append(items, DataItem{Key: el.name, Path: p, Value: el.text})
		}
		return items
	}
	for c := el.firstChild; c >= 0; c = t.elems[c].nextSibling {
		items = t.leaves(c, p, items)
	}
	return items
}

// SetData writes evt.data.KEY for every item and evt.data.all. A leaf name
// used more than once is replaced by its path; a key still repeated gets
// "[2]", "[3]", ... in document order. Readers of event logs saved in other
// forms (XML) use it so that their records carry the same fields.
func SetData(ev *event.Event, items []DataItem) {
	if len(items) == 0 {
		return
	}
	count := make(map[string]int, len(items))
	for _, it := range items {
		count[it.Key]++
	}
	seen := make(map[string]int, len(items))
	var all strings.Builder
	for i, it := range items {
		key := it.Key
		if count[key] > 1 && !it.Named {
			key = it.Path
		}
		seen[key]++
		if n := seen[key]; n > 1 {
			key += "[" + strconv.Itoa(n) + "]"
		}
		ev.Set("evt.data."+key, it.Value)
		if i > 0 {
			all.WriteByte('\n')
		}
		all.WriteString(it.Value)
	}
	ev.Set("evt.data.all", all.String())
}

// text renders the one-line excerpt of a record:
// "Channel/Provider EventID Level=L Computer=C: value | value".
func text(ev *event.Event, items []DataItem) string {
	var sb strings.Builder
	sb.WriteString(ev.Get("evt.channel"))
	sb.WriteByte('/')
	if p := ev.Get("evt.provider"); p != "" {
		sb.WriteString(p)
	} else {
		sb.WriteString(ev.Get("evt.source"))
	}
	sb.WriteByte(' ')
	sb.WriteString(ev.Get("evt.event_id"))
	sb.WriteString(" Level=")
	sb.WriteString(ev.Get("evt.level"))
	sb.WriteString(" Computer=")
	sb.WriteString(ev.Get("evt.computer"))
	sep := ": "
	for _, it := range items {
		if it.Key == "Binary" || strings.TrimSpace(it.Value) == "" {
			// Binary data is kept in evt.data.Binary; as hex it is noise
			// in an excerpt.
			continue
		}
		sb.WriteString(sep)
		sep = " | "
		appendOneLine(&sb, it.Value, maxTextLen)
		if sb.Len() > maxTextLen {
			break
		}
	}
	return truncate(sb.String(), maxTextLen)
}

// appendOneLine appends s to sb with its runs of white space (line breaks
// included) collapsed to one space and its ends trimmed, stopping once sb
// holds more than limit bytes: the excerpt is cut there, and a script
// block's value may be megabytes long. A value without a line break, tab
// or double space is only trimmed, its single spaces of any kind kept.
func appendOneLine(sb *strings.Builder, s string, limit int) {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		s = strings.TrimSpace(s)
		sb.WriteString(s[:min(len(s), max(limit+1-sb.Len(), 0))])
		return
	}
	// The fields of s, as strings.Fields has them, joined by spaces.
	inField, wrote := false, false
	for i := 0; i < len(s) && sb.Len() <= limit; {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			inField = false
		} else {
			if !inField && wrote {
				sb.WriteByte(' ')
			}
			sb.WriteString(s[i : i+size])
			inField, wrote = true, true
		}
		i += size
	}
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }
