package uccapilog

import (
	"bytes"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// prefix is the parsed log prefix of one line:
//
//	MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: message
//
// (log-facts.md §2.2). The level may be padded ("INFO  ::") or not. The
// byte slices point into the line.
type prefix struct {
	time   time.Time // wall-clock time, in the UTC location
	thread []byte    // "1F68:C14", empty when absent
	level  []byte    // "INFO", "ERROR", ... as written, empty when absent
	msg    []byte    // the text after "::" (or after the time when there is no "::")
	sep    bool      // the line has the "::" separator
}

// stampLen is the length of "MM/DD/YYYY|HH:MM:SS".
const stampLen = 19

// clock turns the time stamps of a log into times. Consecutive lines often
// share their second: the last one is remembered, so that most lines cost
// a comparison of 19 bytes instead of a validation and a time.Date.
type clock struct {
	stamp [stampLen]byte
	base  time.Time // the time of stamp; zero when none yet
}

// parsePrefix parses the prefix of line into *p, and reports whether
// there is one: it returns false, and leaves *p as it was, when the line
// does not start with a valid timestamp (a SIP message line, a continuation
// of a multi-line message, or garbage). The prefix is written through a
// pointer: returned by value, its 104 bytes were copied twice per line, in
// words the next copy could not read straight from the store buffer.
func (c *clock) parsePrefix(line []byte, p *prefix) bool {
	if len(line) < stampLen || line[2] != '/' || line[10] != '|' {
		// Most lines that are not prefixed (SIP message lines) end here.
		return false
	}
	var base time.Time
	if !c.base.IsZero() && bytes.Equal(line[:stampLen], c.stamp[:]) {
		base = c.base
	} else {
		var ok bool
		base, ok = parseStamp(line)
		if !ok {
			return false
		}
		copy(c.stamp[:], line[:stampLen])
		c.base = base
	}
	i := stampLen
	nanos := 0
	if i < len(line) && line[i] == '.' {
		i++
		start := i
		scale := 100_000_000
		for i < len(line) && line[i] >= '0' && line[i] <= '9' {
			if i-start < 9 {
				nanos += int(line[i]-'0') * scale
				scale /= 10
			}
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(line) && line[i] != ' ' && line[i] != '\t' {
		return false
	}
	*p = prefix{time: base.Add(time.Duration(nanos))}
	if rest := line[i:]; !p.usualHead(rest) {
		p.head(rest)
	}
	return true
}

// head sets the thread, level, message and separator of p from rest, what
// follows the time stamp of a line.
func (p *prefix) head(rest []byte) {
	var head []byte
	if k := bytes.Index(rest, []byte("::")); k >= 0 {
		head = rest[:k]
		p.msg = trimBlanks(rest[k+2:])
		p.sep = true
	} else {
		p.msg = trimBlanks(rest)
	}
	first, last, n := fieldsEnds(head)
	switch {
	case n == 1 && bytes.IndexByte(first, ':') >= 0:
		p.thread = first
	case n == 1:
		p.level = first
	case n >= 2:
		p.thread, p.level = first, last
	}
}

// usualHead is head for the shape of almost every prefixed line: blanks,
// two fields of printable ASCII, blanks and "::" (" 1F68:C14 INFO  ::
// message"). It reads rest once, where head searches it for "::" and
// splits what is before; for any other shape it reports false and sets
// nothing.
func (p *prefix) usualHead(rest []byte) bool {
	var fields [2][]byte
	i := 0
	for k := range fields {
		start := i
		for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
			i++
		}
		if i == start {
			return false
		}
		start = i
		for i < len(rest) && rest[i] > ' ' && rest[i] < 0x7f {
			if rest[i] == ':' && i+1 < len(rest) && rest[i+1] == ':' {
				return false // "::" in a field: head cuts there
			}
			i++
		}
		if i == start {
			return false
		}
		fields[k] = rest[start:i]
	}
	start := i
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
		i++
	}
	if i == start || i+1 >= len(rest) || rest[i] != ':' || rest[i+1] != ':' {
		return false
	}
	p.thread, p.level = fields[0], fields[1]
	p.msg = trimBlanks(rest[i+2:])
	p.sep = true
	return true
}

// parseStamp validates and reads "MM/DD/YYYY|HH:MM:SS" at the start of line.
func parseStamp(line []byte) (time.Time, bool) {
	if line[2] != '/' || line[5] != '/' || line[10] != '|' || line[13] != ':' || line[16] != ':' {
		return time.Time{}, false
	}
	mo, ok1 := atoiFixed(line[0:2])
	d, ok2 := atoiFixed(line[3:5])
	y, ok3 := atoiFixed(line[6:10])
	h, ok4 := atoiFixed(line[11:13])
	mi, ok5 := atoiFixed(line[14:16])
	s, ok6 := atoiFixed(line[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || s > 59 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC), true
}

// fieldsEnds returns the first and last of the white-space separated fields
// of b and how many there are, as bytes.Fields would split them. The fields
// are parts of b (bytes.Fields would cut their capacity: spanOf needs it).
func fieldsEnds(b []byte) (first, last []byte, n int) {
	i := 0
	for {
		for i < len(b) {
			if c := b[i]; c < utf8.RuneSelf {
				if !asciiSpace(c) {
					break
				}
				i++
				continue
			}
			size, space := spaceAt(b, i)
			if !space {
				break
			}
			i += size
		}
		if i == len(b) {
			return first, last, n
		}
		start := i
		for i < len(b) {
			if c := b[i]; c < utf8.RuneSelf {
				if asciiSpace(c) {
					break
				}
				i++
				continue
			}
			size, space := spaceAt(b, i)
			if space {
				break
			}
			i += size
		}
		if n == 0 {
			first = b[start:i]
		}
		last = b[start:i]
		n++
	}
}

// spaceAt reports whether the rune at b[i] is white space (unicode.IsSpace;
// an invalid byte is not), and its size.
func spaceAt(b []byte, i int) (size int, space bool) {
	if c := b[i]; c < utf8.RuneSelf {
		return 1, asciiSpace(c)
	}
	r, size := utf8.DecodeRune(b[i:])
	return size, unicode.IsSpace(r)
}

// asciiSpace is the ASCII white space of unicode.IsSpace: ' ', '\t',
// '\n', '\v', '\f' and '\r', as bits of one word.
func asciiSpace(c byte) bool {
	return c <= ' ' && asciiSpaces>>c&1 != 0
}

const asciiSpaces = 1<<' ' | 1<<'\t' | 1<<'\n' | 1<<'\v' | 1<<'\f' | 1<<'\r'

// atoiFixed parses a run of ASCII digits.
func atoiFixed[T string | []byte](s T) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// isProblemLevel reports whether a level is worth a KindLog event.
func isProblemLevel(level []byte) bool {
	for _, c := range level {
		if c >= 0x80 {
			// Letters such as U+0131 that upper-case to ASCII.
			switch strings.ToUpper(string(level)) {
			case "ERROR", "WARN", "WARNING", "FATAL", "CRITICAL":
				return true
			}
			return false
		}
	}
	// ASCII: the case folds as ASCII letters'.
	switch len(level) {
	case 4:
		return equalFoldASCII(level, "warn")
	case 5:
		return equalFoldASCII(level, "error") || equalFoldASCII(level, "fatal")
	case 7:
		return equalFoldASCII(level, "warning")
	case 8:
		return equalFoldASCII(level, "critical")
	}
	return false
}

// marker is a parsed SIP block start line ("Sending Packet - ..." or "Data
// Received - ...").
type marker struct {
	direction string // "sent" or "received"
	remote    []byte
	local     []byte
	rest      []byte // text after "bytes:" (a start line on the marker line), trimmed
}

// Start and end markers of SIP blocks (log-facts.md §2.2: "Sending Packet",
// "End of Data Received", ...), in lower case: they are compared ignoring
// case (hasPrefixFold).
const (
	markSent        = "sending packet"
	markReceived    = "data received"
	markEndSent     = "end of sending packet"
	markEndReceived = "end of data received"
)

// parseMarker parses a start marker message:
//
//	Sending Packet - <remote> (From Local Address: <local>) <n> bytes:
//	Data Received - <remote> (To Local Address: <local>) <n> bytes:
//
// tolerating a missing space after "-", a missing trailing colon, a missing
// address part and a SIP start line after the colon.
func parseMarker(msg []byte) (m marker, ok bool) {
	var rest []byte
	switch {
	case hasPrefixFold(msg, markSent):
		m.direction, rest = "sent", msg[len(markSent):]
	case hasPrefixFold(msg, markReceived):
		m.direction, rest = "received", msg[len(markReceived):]
	default:
		return m, false
	}
	rest = trimBlanks(rest)
	if len(rest) == 0 || rest[0] != '-' {
		// "Sending Packets are queued" or the like: not a marker.
		return m, false
	}
	rest = trimBlanks(rest[1:])
	// remote address: up to white space or "(".
	end := 0
	for end < len(rest) && rest[end] != ' ' && rest[end] != '\t' && rest[end] != '(' {
		end++
	}
	m.remote = bytes.TrimSuffix(rest[:end], []byte(":"))
	rest = trimBlanks(rest[end:])
	if len(rest) > 0 && rest[0] == '(' {
		if k := bytes.IndexByte(rest, ')'); k >= 0 {
			inner := rest[1:k]
			if c := bytes.Index(inner, []byte("Address:")); c >= 0 {
				m.local = bytes.TrimSpace(inner[c+len("Address:"):])
			}
			rest = trimBlanks(rest[k+1:])
		}
	}
	// "<n> bytes" then an optional ":" and maybe the start line.
	if k := bytes.Index(rest, []byte("bytes")); k >= 0 && isDigits(bytes.TrimSpace(rest[:k])) {
		rest = rest[k+len("bytes"):]
		rest = bytes.TrimPrefix(rest, []byte(":"))
	}
	m.rest = bytes.TrimSpace(rest)
	return m, true
}

// trimBlanks is bytes.TrimLeft(s, " \t") without building the cut set's
// table on every call (it ran for every prefixed line).
func trimBlanks(s []byte) []byte {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[i:]
}

// isEndMarker reports whether msg ends a SIP block.
func isEndMarker(msg []byte) bool {
	return hasPrefixFold(msg, markEndSent) || hasPrefixFold(msg, markEndReceived)
}

func isDigits(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	_, ok := atoiFixed(s)
	return ok
}

// hasPrefixFold reports whether s starts with prefix, lower-case ASCII,
// ignoring case: bytes.EqualFold(s[:len(prefix)], prefix), compared as
// ASCII by equalFoldASCII. s[:len(prefix)] can only fold to prefix if all
// of it is ASCII (a non-ASCII rune that folds to an ASCII letter, ſ or K,
// takes more bytes than the letter).
func hasPrefixFold(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldASCII(s[:len(prefix)], prefix)
}

// looksLikeStartLine reports whether s is a SIP request or status line.
func looksLikeStartLine(s []byte) bool {
	_, ok := startLine(s)
	return ok
}

// startLine reports whether s is a SIP request or status line, and returns
// the method of a request (nil for a status line).
func startLine(s []byte) (method []byte, ok bool) {
	s = bytes.TrimSpace(s)
	if bytes.HasPrefix(s, []byte("SIP/2.0 ")) {
		return nil, true
	}
	if !bytes.HasSuffix(s, []byte("SIP/2.0")) {
		return nil, false // the version is the last field
	}
	method, _, version, ok := threeFields(s)
	if !ok || string(version) != "SIP/2.0" || !isToken(method) || !isUpper(method) {
		return nil, false
	}
	return method, true
}

// threeFields splits s into exactly three white-space separated fields, as
// bytes.Fields would; ok is false for any other number of fields. It reads
// s once, and stops at a fourth field: Unicode white space could only
// split the fields further.
func threeFields[T string | []byte](s T) (a, b, c T, ok bool) {
	var f [3]T
	n, i := 0, 0
	for {
		for i < len(s) && asciiSpace(s[i]) {
			i++
		}
		if i == len(s) {
			break
		}
		start := i
		for ; i < len(s) && !asciiSpace(s[i]); i++ {
			if s[i] >= 0x80 {
				return threeFieldsUnicode(s)
			}
		}
		if n == 3 {
			return a, b, c, false
		}
		f[n] = s[start:i]
		n++
	}
	if n != 3 {
		return a, b, c, false
	}
	return f[0], f[1], f[2], true
}

// threeFieldsUnicode is threeFields for text that is not all ASCII.
func threeFieldsUnicode[T string | []byte](s T) (a, b, c T, ok bool) {
	parts := strings.Fields(string(s))
	if len(parts) != 3 {
		return a, b, c, false
	}
	return T(parts[0]), T(parts[1]), T(parts[2]), true
}

// isUpper reports whether s has no lower-case letter (strings.ToUpper(s) ==
// s for the ASCII tokens it is used on).
func isUpper[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return false
		}
	}
	return true
}
