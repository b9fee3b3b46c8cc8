package event

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sfblog/sfblog/internal/termesc"
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
// CSI U+009B among them), the noncharacters U+FFFE and U+FFFF and the
// bidirectional embeddings, overrides and isolates (U+202E ...), as
// \u007f, \u009b, \uffff, \u202e (termesc.Special). The decoded values are the same. No raw control
// character is ever written, so the line is safe on a terminal.
func (e *Event) AppendJSON(dst []byte) []byte {
	dst = e.appendHead(dst)
	if n := len(e.Fields); n > maxSorted {
		dst = appendFieldsSlice(dst, e.Fields)
	} else if n > 0 {
		// The names and values, in map order, stay on the stack; only
		// their indexes are sorted, which moves no pointers (a pointer
		// written to memory costs a write barrier while the collector
		// runs, and parse allocates enough to keep it running).
		var names, values [maxSorted]string
		i := 0
		for k, v := range e.Fields {
			names[i], values[i] = k, v
			i++
		}
		dst = appendSorted(dst, &names, &values, n)
	}
	return e.appendText(dst)
}

// AppendJSONFields is [Event.AppendJSON] with fields in place of e.Fields,
// which it does not read: it appends the object AppendJSON appends for a
// copy of e whose Fields hold fields. The fields may come in any order;
// their names must differ.
func (e *Event) AppendJSONFields(dst []byte, fields []Field) []byte {
	dst = e.appendHead(dst)
	if n := len(fields); n > maxSorted {
		sorted := slices.Clone(fields)
		slices.SortFunc(sorted, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
		dst = appendFields(dst, sorted)
	} else if n > 0 {
		var names, values [maxSorted]string
		for i, f := range fields {
			names[i], values[i] = f.Name, f.Value
		}
		dst = appendSorted(dst, &names, &values, n)
	}
	return e.appendText(dst)
}

// appendHead appends the object's members before its fields.
func (e *Event) appendHead(dst []byte) []byte {
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
	return dst
}

// appendSorted appends the "fields" member of an event whose n fields are
// names[:n] and values[:n], in the order of the names.
func appendSorted(dst []byte, names, values *[maxSorted]string, n int) []byte {
	var order [maxSorted]uint8
	sortIndexes(names, order[:n])
	dst = append(dst, `,"fields":{`...)
	for i, x := range order[:n] {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, names[x])
		dst = append(dst, ':')
		dst = appendString(dst, values[x])
	}
	return append(dst, '}')
}

// appendText appends the rest of the object after its fields: the text
// and the closing brace.
func (e *Event) appendText(dst []byte) []byte {
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
	sorted := make([]Field, 0, len(fields))
	for k, v := range fields {
		sorted = append(sorted, Field{k, v})
	}
	slices.SortFunc(sorted, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
	return appendFields(dst, sorted)
}

// appendFields appends the "fields" member of an event whose fields are
// sorted.
func appendFields(dst []byte, sorted []Field) []byte {
	dst = append(dst, `,"fields":{`...)
	for i, f := range sorted {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, f.Name)
		dst = append(dst, ':')
		dst = appendString(dst, f.Value)
	}
	return append(dst, '}')
}

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
// DEL. It is never written after initialization.
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

// The safe bytes are found 8 at a time in a uint64 that holds 8 bytes of
// the string, the first in the low byte (load64), with these constants:
// ones has 1 in each byte, low7 the low 7 bits of each byte and top the
// top bit.
const (
	ones = 0x0101010101010101
	low7 = 0x7f * ones
	top  = 0x80 * ones
)

// load64 returns the first 8 bytes of s as a little-endian word, the
// first byte in the low byte (the compiler makes it one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// wordBits marks the bytes of x that are not safeASCII, all 8 at once.
// With w = x-0x20 in each byte, which maps the safe bytes 0x20 to 0x7e to
// 0x00 to 0x5e:
//
//   - the top bit of a byte of f is set if the byte is below 0x20 (w
//     wraps to 0xe0 or above) or is 0x7f or above (the top bit of x+1 or
//     of w);
//   - the top bit of a byte of eq is clear if the byte is \, < or >, " or
//     &: for a safe byte w^c is at most 0x7f, and 0 only if the byte is c,
//     so only then is w^c+0x7f below 0x80. < and > differ only in bit 1,
//     " and & only in bit 2; with that bit set in the byte and in c one
//     comparison tests both.
//
// A sum or difference carries into the next byte, or borrows from it,
// only out of a byte that is not safe, which f marks. So the bytes up to
// the first that is not safe are told exactly: it is the first marked,
// and no byte is marked if all are safe. The marks after the first may
// be wrong.
func wordBits(x uint64) (f, eq uint64) {
	w := x - 0x20*ones
	eq = ((w ^ ('\\'-0x20)*ones) + low7) &
		(((w | 0x02*ones) ^ ('>'-0x20)*ones) + low7) &
		(((w | 0x04*ones) ^ ('&'-0x20)*ones) + low7)
	return w | (x + ones), eq
}

// unsafeBytes returns 0 if the 8 bytes of x are all safeASCII, and
// otherwise a word whose lowest set bit is the top bit of the first byte
// that is not (wordBits).
func unsafeBytes(x uint64) uint64 {
	f, eq := wordBits(x)
	return (f | ^eq) & top
}

// blockBits is wordBits with one comparison fewer, for long runs of safe
// bytes: \, ^, < and > (0x3c, 0x3e, 0x1c and 0x1e in w) differ only in
// bits 1 and 5, and are compared at once with those bits set. The first
// byte it marks is the first that is not safeASCII or is ^, and it marks
// none if there is none; a rare ^ only ends a fast loop early.
func blockBits(x uint64) (f, eq uint64) {
	w := x - 0x20*ones
	eq = (((w | 0x22*ones) ^ ('^'-0x20)*ones) + low7) &
		(((w | 0x04*ones) ^ ('&'-0x20)*ones) + low7)
	return w | (x + ones), eq
}

// safePrefix returns the length of the longest prefix of s whose bytes are
// all safeASCII. A string shorter than 8 bytes is tested byte by byte;
// a longer one 8 bytes at a time (unsafeBytes): the first 8, where a short
// run ends, then 32 at a time while blockBits marks none of them, then 8
// at a time, and last the last 8 bytes of s, even if some of them were
// tested before.
func safePrefix(s string) int {
	if len(s) < 8 {
		i := 0
		for i < len(s) && safeASCII[s[i]] {
			i++
		}
		return i
	}
	if m := unsafeBytes(load64(s)); m != 0 {
		return bits.TrailingZeros64(m) >> 3
	}
	i := 8
	for ; len(s)-i >= 32; i += 32 {
		b := s[i : i+32]
		f0, eq0 := blockBits(load64(b))
		f1, eq1 := blockBits(load64(b[8:]))
		f2, eq2 := blockBits(load64(b[16:]))
		f3, eq3 := blockBits(load64(b[24:]))
		if (f0|f1|f2|f3|^(eq0&eq1&eq2&eq3))&top != 0 {
			break
		}
	}
	for ; len(s)-i > 8; i += 8 {
		if m := unsafeBytes(load64(s[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	// The bytes of s before i are safe, so the first byte marked in the
	// last 8 is the first that is not safe.
	i = len(s) - 8
	if m := unsafeBytes(load64(s[i:])); m != 0 {
		return i + bits.TrailingZeros64(m)>>3
	}
	return len(s)
}

// exactBytes marks every byte of x that is not safeASCII: the top bit of
// each such byte is set in the result, and no other bit. Unlike
// wordBits, no sum carries out of a byte: each is computed on its low 7
// bits (at most 0x7f, and 0x7f plus at most 0x7f fits in a byte), and the
// bytes with their top bit set are marked by that bit alone.
//
//   - a control character: its low 7 bits plus 0x60 stay below 0x80;
//   - DEL: its low 7 bits plus 1 reach 0x80;
//   - \, < or >, " or &: the low 7 bits xor the byte (with bit 1 set for
//     < and >, bit 2 for " and &) is 0, and 0 plus 0x7f stays below 0x80.
func exactBytes(x uint64) uint64 {
	l := x & low7
	ctl := ^(l + 0x60*ones)
	del := l + ones
	eq := ^((l ^ '\\'*ones) + low7) | ^(((l | 0x02*ones) ^ '>'*ones) + low7) | ^(((l | 0x04*ones) ^ '&'*ones) + low7)
	return (x | ctl | del | eq) & top
}

// appendString appends s as a quoted JSON string, escaped as AppendJSON
// documents.
//
// s is read 8 bytes at a time. A word with nothing to escape starts a
// run of safe bytes, found by safePrefix and appended at once; in a word
// with bytes to escape (exactBytes), each is escaped in turn, without
// reading the word again (XML, a SIP body, has one every few bytes); a
// run of non-ASCII characters is decoded rune by rune. The last bytes, up
// to 7, are tested one by one. dst grows once for the common case, a
// string with few escapes.
func appendString(dst []byte, s string) []byte {
	dst = slices.Grow(dst, len(s)+2)
	dst = append(dst, '"')
	start, i := 0, 0
words:
	for len(s)-i >= 8 {
		m := exactBytes(load64(s[i:]))
		if m == 0 {
			i += 8
			i += safePrefix(s[i:])
			continue
		}
		for ; m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			c := s[j]
			if c >= utf8.RuneSelf {
				dst, start, i = appendRunes(dst, s, start, j)
				continue words
			}
			dst = append(dst, s[start:j]...)
			dst = appendEscape(dst, c)
			start = j + 1
		}
		i += 8
	}
	for i < len(s) {
		c := s[i]
		switch {
		case safeASCII[c]:
			i++
		case c < utf8.RuneSelf:
			dst = append(dst, s[start:i]...)
			dst = appendEscape(dst, c)
			i++
			start = i
		default:
			dst, start, i = appendRunes(dst, s, start, i)
		}
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscape appends the escape of the ASCII byte c, which is not
// safeASCII.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	// Other control characters, DEL, <, > and &.
	return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
}

// appendRunes decodes the run of non-ASCII characters of s at i, of
// which s[start:i] is not yet appended: it appends what must be escaped
// with what comes before it, and returns dst, the new start and the end
// of the run.
func appendRunes(dst []byte, s string, start, i int) ([]byte, int, int) {
	for i < len(s) && s[i] >= utf8.RuneSelf {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			start = i + size
		case termesc.Special(r):
			// U+2028 and U+2029 (as encoding/json), the C1 controls,
			// the noncharacters and the bidirectional embeddings,
			// overrides and isolates (as termesc.JSON).
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', hex[r>>12], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
			start = i + size
		}
		i += size
	}
	return dst, start, i
}
