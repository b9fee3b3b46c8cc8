package event

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AppendJSON appends the event to dst as one JSON object, with no newline,
// and returns the extended buffer.
//
// The object is the one [Event.MarshalJSON] writes, byte for byte (the
// same keys in the same order, Fields sorted by name, strings escaped as
// encoding/json escapes them: invalid UTF-8 as \ufffd, <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and \u2029),
// except that the characters encoding/json leaves raw although a terminal
// acts on them are escaped too: DEL, the C1 controls U+0080-U+009F (the
// CSI U+009B among them) and the noncharacters U+FFFE and U+FFFF, as
// \u007f, \u009b, \uffff. The decoded values are the same. No raw control
// character is ever written, so the line is safe on a terminal.
func (e *Event) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"path":`...)
	dst = appendString(dst, e.Path)
	if e.Line != 0 {
		dst = append(dst, `,"line":`...)
		dst = strconv.AppendInt(dst, int64(e.Line), 10)
	}
	if e.EndLine != 0 {
		dst = append(dst, `,"end_line":`...)
		dst = strconv.AppendInt(dst, int64(e.EndLine), 10)
	}
	if e.RecordID != 0 {
		dst = append(dst, `,"record_id":`...)
		dst = strconv.AppendUint(dst, e.RecordID, 10)
	}
	if !e.Time.IsZero() {
		dst = append(dst, `,"time":"`...)
		dst = appendTime(dst, e.Time, e.Local)
		dst = append(dst, '"')
	}
	if e.Local {
		dst = append(dst, `,"local_time":true`...)
	}
	dst = append(dst, `,"source":`...)
	dst = appendString(dst, e.Source)
	dst = append(dst, `,"kind":`...)
	dst = appendString(dst, e.Kind)
	if n := len(e.Fields); n > maxSorted {
		dst = appendFieldsSlice(dst, e.Fields)
	} else if n > 0 {
		// The names and values, in map order, stay on the stack; only
		// their indexes are sorted, which moves no pointers (a pointer
		// written to memory costs a write barrier while the collector
		// runs, and parse allocates enough to keep it running).
		var names, values [maxSorted]string
		var order [maxSorted]uint8
		i := 0
		for k, v := range e.Fields {
			names[i], values[i] = k, v
			i++
		}
		sortIndexes(&names, order[:n])
		dst = append(dst, `,"fields":{`...)
		for i, x := range order[:n] {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, names[x])
			dst = append(dst, ':')
			dst = appendString(dst, values[x])
		}
		dst = append(dst, '}')
	}
	if e.Text != "" {
		dst = append(dst, `,"text":`...)
		dst = appendString(dst, e.Text)
	}
	return append(dst, '}')
}

// maxSorted is the largest number of fields AppendJSON sorts on the
// stack; an event with more (an event log record with many data values)
// is sorted on the heap.
const maxSorted = 64

// sortIndexes sets order to the indexes 0 to len(order)-1 of names in the
// order of the names (binary insertion sort: few comparisons for the 10 to
// 40 fields of an event).
func sortIndexes(names *[maxSorted]string, order []uint8) {
	for i := range order {
		key := names[i]
		lo, hi := 0, i
		for lo < hi {
			m := int(uint(lo+hi) >> 1)
			if names[order[m]] < key {
				lo = m + 1
			} else {
				hi = m
			}
		}
		copy(order[lo+1:i+1], order[lo:i])
		order[lo] = uint8(i)
	}
}

// appendFieldsSlice appends the "fields" member of an event with more than
// maxSorted fields.
func appendFieldsSlice(dst []byte, fields map[string]string) []byte {
	sorted := make([]field, 0, len(fields))
	for k, v := range fields {
		sorted = append(sorted, field{k, v})
	}
	slices.SortFunc(sorted, func(a, b field) int { return strings.Compare(a.name, b.name) })
	dst = append(dst, `,"fields":{`...)
	for i, f := range sorted {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, f.name)
		dst = append(dst, ':')
		dst = appendString(dst, f.value)
	}
	return append(dst, '}')
}

// field is one of Event.Fields.
type field struct{ name, value string }

// appendTime appends FormatTime(t, local), which needs no escaping: the
// layouts write digits and ASCII punctuation only (a year past 9999 is
// written with more digits, a year before 0 with a minus sign).
func appendTime(dst []byte, t time.Time, local bool) []byte {
	if local {
		return t.AppendFormat(dst, LocalLayout)
	}
	return t.UTC().AppendFormat(dst, time.RFC3339Nano)
}

// safeASCII[c] is true for the bytes written as they are: ASCII but not a
// control character, ", \, <, > or & (encoding/json's HTML escaping) or
// DEL.
var safeASCII = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	return t
}()

const hex = "0123456789abcdef"

// appendString appends s as a quoted JSON string, escaped as AppendJSON
// documents.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if safeASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				// Other control characters, DEL, <, > and &.
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029' || r <= 0x9f || r == 0xfffe || r == 0xffff:
			// U+2028 and U+2029 (as encoding/json), the C1 controls and
			// the noncharacters (as termesc.JSON).
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hex[r>>12], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
