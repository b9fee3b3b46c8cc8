package main

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf16"
)

// gen holds the deterministic random source of one case and the secrets
// planted in it.
type gen struct {
	rng     *rand.Rand
	secrets map[string]bool
}

func newGen(id string) *gen {
	h := fnv.New64a()
	h.Write([]byte(id))
	seed := h.Sum64()
	return &gen{rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e995)), secrets: map[string]bool{}}
}

// secret records s as a planted secret and returns it.
func (g *gen) secret(s string) string {
	if len(s) >= 6 {
		g.secrets[s] = true
	}
	return s
}

const hexLower = "0123456789abcdef"
const hexUpper = "0123456789ABCDEF"

func (g *gen) hex(n int, digits string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rng.IntN(16)]
	}
	return string(b)
}

// hexl and hexu return n random hex digits.
func (g *gen) hexl(n int) string { return g.hex(n, hexLower) }
func (g *gen) hexu(n int) string { return g.hex(n, hexUpper) }

// uuid returns a random lower-case UUID.
func (g *gen) uuid() string {
	return g.hexl(8) + "-" + g.hexl(4) + "-5" + g.hexl(3) + "-" + "9" + g.hexl(3) + "-" + g.hexl(12)
}

// blob returns base64 of prefix followed by n random bytes.
func (g *gen) blob(prefix []byte, n int) string {
	b := append([]byte{}, prefix...)
	for range n {
		b = append(b, byte(g.rng.IntN(256)))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// between returns a random int in [lo, hi].
func (g *gen) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// pick returns a random element of s.
func pick[T any](g *gen, s []T) T { return s[g.rng.IntN(len(s))] }

// Log output encodings.
const (
	encCRLF    = iota // UTF-8 (ASCII) with CRLF line ends, as Windows clients write
	encLF             // LF line ends
	encUTF16LE        // UTF-16LE with a BOM and CRLF line ends
)

// Placement of the SIP start line of a logged message (log-facts.md §2.2:
// both are tolerated).
const (
	startRaw      = iota // on the line after the marker, without prefix
	startPrefixed        // on its own prefixed line: "INFO  :: REGISTER sip:..."
)

// clog writes one UccApilog file.
type clog struct {
	g     *gen
	t     time.Time     // wall-clock time of the next line, as logged
	zone  time.Duration // the user's offset from UTC
	skew  time.Duration // client clock error (client minus true time)
	pid   string
	tid   string
	style int
	// endNoSpace writes "End of Data Received -<remote>" as in the msxfaq
	// rendering of log-facts.md §2.2.
	endNoSpace bool
	lines      []string
}

// newLog starts a log whose first line is at local wall-clock time start.
func newLog(g *gen, start time.Time, zone, skew time.Duration, pid, tid string, style int) *clog {
	return &clog{g: g, t: start, zone: zone, skew: skew, pid: pid, tid: tid, style: style}
}

// step advances the clock by ms milliseconds plus up to 20% jitter.
func (l *clog) step(ms int) {
	j := 0
	if ms >= 5 {
		j = l.g.rng.IntN(ms/5 + 1)
	}
	l.t = l.t.Add(time.Duration(ms+j) * time.Millisecond)
}

// wait advances the clock by d exactly.
func (l *clog) wait(d time.Duration) { l.t = l.t.Add(d) }

// utc is the true UTC time now (the server's clock).
func (l *clog) utc() time.Time { return l.t.Add(-l.zone - l.skew) }

// date is the Date header a server writes for a response received now: the
// server's clock a few tens of milliseconds earlier, in RFC 1123 GMT form.
func (l *clog) date() string {
	return l.utc().Add(-time.Duration(15+l.g.rng.IntN(40)) * time.Millisecond).UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT")
}

func (l *clog) prefix(level string) string {
	return fmt.Sprintf("%s|%s %s:%s %-5s :: ", l.t.Format("01/02/2006"), l.t.Format("15:04:05.000"), l.pid, l.tid, level)
}

// log writes one prefixed line.
func (l *clog) log(level, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	l.lines = append(l.lines, l.prefix(level)+msg)
	l.step(1)
}

func (l *clog) info(format string, args ...any)  { l.log("INFO", format, args...) }
func (l *clog) trace(format string, args ...any) { l.log("TRACE", format, args...) }
func (l *clog) warn(format string, args ...any)  { l.log("WARN", format, args...) }
func (l *clog) err(format string, args ...any)   { l.log("ERROR", format, args...) }

// on switches the thread id of the following lines.
func (l *clog) on(tid string) *clog { l.tid = tid; return l }

// bytes renders the log in the encoding enc.
func (l *clog) bytes(enc int) []byte {
	switch enc {
	case encLF:
		return []byte(strings.Join(l.lines, "\n") + "\n")
	case encUTF16LE:
		text := strings.Join(l.lines, "\r\n") + "\r\n"
		u := utf16.Encode([]rune(text))
		out := make([]byte, 2, 2+2*len(u))
		out[0], out[1] = 0xFF, 0xFE
		for _, c := range u {
			out = binary.LittleEndian.AppendUint16(out, c)
		}
		return out
	}
	return []byte(strings.Join(l.lines, "\r\n") + "\r\n")
}

func isUTF16(b []byte) bool { return len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE }

func fromUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 2; i+1 < len(b); i += 2 {
		u = append(u, binary.LittleEndian.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
}

// ---------------------------------------------------------------------------
// SIP messages.

type hdr struct{ name, value string }

// msg is one SIP message.
type msg struct {
	start string
	hdrs  []hdr
	body  string // lines separated by "\r\n" on the wire
}

func (m *msg) add(name, value string) *msg {
	m.hdrs = append(m.hdrs, hdr{name, value})
	return m
}

// wire renders the message as sent: CRLF line ends.
func (m *msg) wire() string {
	var b strings.Builder
	b.WriteString(m.start)
	b.WriteString("\r\n")
	for _, h := range m.hdrs {
		b.WriteString(h.name)
		b.WriteString(": ")
		b.WriteString(h.value)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	b.WriteString(m.body)
	return b.String()
}

// conn is one TLS connection of the client.
type conn struct {
	remote string // "198.51.100.21:443"
	local  string // "10.0.4.15:56632"
}

// send logs a message the client sent on c.
func (l *clog) send(c conn, m *msg) {
	n := len(m.wire())
	l.block(fmt.Sprintf("Sending Packet - %s (From Local Address: %s) %d bytes:", c.remote, c.local, n), m,
		fmt.Sprintf("End of Sending Packet - %s (From Local Address: %s) %d bytes", c.remote, c.local, n))
}

// recv logs a message the client received on c.
func (l *clog) recv(c conn, m *msg) {
	n := len(m.wire())
	end := fmt.Sprintf("End of Data Received - %s (To Local Address: %s) %d bytes", c.remote, c.local, n)
	if l.endNoSpace {
		end = fmt.Sprintf("End of Data Received -%s (To Local Address: %s) %d bytes", c.remote, c.local, n)
	}
	l.block(fmt.Sprintf("Data Received - %s (To Local Address: %s) %d bytes:", c.remote, c.local, n), m, end)
}

func (l *clog) block(start string, m *msg, end string) {
	l.lines = append(l.lines, l.prefix("INFO")+start)
	if l.style == startPrefixed {
		l.lines = append(l.lines, l.prefix("INFO")+m.start)
	} else {
		l.lines = append(l.lines, m.start)
	}
	for _, h := range m.hdrs {
		l.lines = append(l.lines, h.name+": "+h.value)
	}
	l.lines = append(l.lines, "")
	if m.body != "" {
		l.lines = append(l.lines, strings.Split(m.body, "\r\n")...)
	}
	l.lines = append(l.lines, l.prefix("INFO")+end)
	l.step(2)
}
