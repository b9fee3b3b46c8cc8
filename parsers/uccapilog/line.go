package uccapilog

import (
	"strings"
	"time"
)

// prefix is the parsed log prefix of one line:
//
//	MM/DD/YYYY|HH:MM:SS.mmm PID:TID LEVEL :: message
//
// (log-facts.md §2.2). The level may be padded ("INFO  ::") or not.
type prefix struct {
	time   time.Time // wall-clock time, in the UTC location
	thread string    // "1F68:C14", "" when absent
	level  string    // "INFO", "ERROR", ... as written, "" when absent
	msg    string    // the text after "::" (or after the time when there is no "::")
	sep    bool      // the line has the "::" separator
}

// parsePrefix parses the prefix of line. ok is false when the line does not
// start with a valid timestamp: such a line is a SIP message line, a
// continuation of a multi-line message, or garbage.
func parsePrefix(line string) (p prefix, ok bool) {
	// MM/DD/YYYY|HH:MM:SS: 19 bytes at fixed places.
	if len(line) < 19 || line[2] != '/' || line[5] != '/' || line[10] != '|' || line[13] != ':' || line[16] != ':' {
		return p, false
	}
	mo, ok1 := atoiFixed(line[0:2])
	d, ok2 := atoiFixed(line[3:5])
	y, ok3 := atoiFixed(line[6:10])
	h, ok4 := atoiFixed(line[11:13])
	mi, ok5 := atoiFixed(line[14:16])
	s, ok6 := atoiFixed(line[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || s > 59 {
		return p, false
	}
	i := 19
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
			return p, false
		}
	}
	if i < len(line) && line[i] != ' ' && line[i] != '\t' {
		return p, false
	}
	p.time = time.Date(y, time.Month(mo), d, h, mi, s, nanos, time.UTC)

	rest := line[i:]
	head := rest
	if k := strings.Index(rest, "::"); k >= 0 {
		head = rest[:k]
		p.msg = strings.TrimLeft(rest[k+2:], " \t")
		p.sep = true
	} else {
		p.msg = strings.TrimLeft(rest, " \t")
		head = ""
	}
	fields := strings.Fields(head)
	switch {
	case len(fields) == 1 && strings.Contains(fields[0], ":"):
		p.thread = fields[0]
	case len(fields) == 1:
		p.level = fields[0]
	case len(fields) >= 2:
		p.thread, p.level = fields[0], fields[len(fields)-1]
	}
	return p, true
}

// atoiFixed parses a string made only of ASCII digits.
func atoiFixed(s string) (int, bool) {
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
func isProblemLevel(level string) bool {
	switch strings.ToUpper(level) {
	case "ERROR", "WARN", "WARNING", "FATAL", "CRITICAL":
		return true
	}
	return false
}

// marker is a parsed SIP block start line ("Sending Packet - ..." or "Data
// Received - ...").
type marker struct {
	direction string // "sent" or "received"
	remote    string
	local     string
	rest      string // text after "bytes:" (a start line on the marker line), trimmed
}

// Start and end markers of SIP blocks (log-facts.md §2.2).
const (
	markSent        = "Sending Packet"
	markReceived    = "Data Received"
	markEndSent     = "End of Sending Packet"
	markEndReceived = "End of Data Received"
)

// parseMarker parses a start marker message:
//
//	Sending Packet - <remote> (From Local Address: <local>) <n> bytes:
//	Data Received - <remote> (To Local Address: <local>) <n> bytes:
//
// tolerating a missing space after "-", a missing trailing colon, a missing
// address part and a SIP start line after the colon.
func parseMarker(msg string) (m marker, ok bool) {
	var rest string
	switch {
	case hasPrefixFold(msg, markSent):
		m.direction, rest = "sent", msg[len(markSent):]
	case hasPrefixFold(msg, markReceived):
		m.direction, rest = "received", msg[len(markReceived):]
	default:
		return m, false
	}
	rest = strings.TrimLeft(rest, " \t")
	if !strings.HasPrefix(rest, "-") {
		// "Sending Packets are queued" or the like: not a marker.
		return m, false
	}
	rest = strings.TrimLeft(rest[1:], " \t")
	// remote address: up to white space or "(".
	end := strings.IndexAny(rest, " \t(")
	if end < 0 {
		end = len(rest)
	}
	m.remote = strings.TrimSuffix(rest[:end], ":")
	rest = strings.TrimLeft(rest[end:], " \t")
	if strings.HasPrefix(rest, "(") {
		if k := strings.IndexByte(rest, ')'); k >= 0 {
			inner := rest[1:k]
			if c := strings.Index(inner, "Address:"); c >= 0 {
				m.local = strings.TrimSpace(inner[c+len("Address:"):])
			}
			rest = strings.TrimLeft(rest[k+1:], " \t")
		}
	}
	// "<n> bytes" then an optional ":" and maybe the start line.
	if k := strings.Index(rest, "bytes"); k >= 0 && isDigits(strings.TrimSpace(rest[:k])) {
		rest = rest[k+len("bytes"):]
		rest = strings.TrimPrefix(rest, ":")
	}
	m.rest = strings.TrimSpace(rest)
	return m, true
}

// isEndMarker reports whether msg ends a SIP block.
func isEndMarker(msg string) bool {
	return hasPrefixFold(msg, markEndSent) || hasPrefixFold(msg, markEndReceived)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	_, ok := atoiFixed(s)
	return ok
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
