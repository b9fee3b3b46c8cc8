// Package dns parses the output of the DNS look-ups a support engineer asks
// a user to run — nslookup, and PowerShell's Resolve-DnsName as a table, a
// list, an error record, Export-Csv or ConvertTo-Json — into one KindDNS
// event per query result.
//
// The form is recognised by content, never by file name. One file may hold
// several look-ups, with or without the prompt lines that typed them
// (C:\>nslookup -type=srv _sip._tls.contoso.com, "> set type=srv" in
// nslookup's interactive mode, PS C:\> Resolve-DnsName ...).
//
// Each event carries the fields documented in package event under "DNS
// look-up":
//
//   - dns.tool is "nslookup" or "resolve-dnsname".
//   - dns.query is the name asked for, lower-case, without a trailing dot.
//     It is absent when the output does not show it: a time-out or an answer
//     with only the zone's SOA record, when no prompt line names the query.
//   - dns.type is the type asked for (from the prompt line) or else the type
//     answered: SRV, CNAME, or A for address answers (AAAA when only IPv6
//     addresses came back). Windows' nslookup asks A and AAAA by default;
//     that default query is typed "A".
//   - dns.status is ok; nxdomain (the name does not exist); noanswer (the
//     name exists but has no record of the type asked: nslookup's "No
//     internal type for both IPv4 and IPv6 Addresses (A+AAAA) records", an
//     SOA record alone, or a CNAME whose target has no record of the type
//     asked); timeout; servfail; refused; or error (any other failure, and a
//     query named by its prompt line whose output shows only the server
//     header: nslookup printed the reason on a standard error that was not
//     captured).
//   - dns.server is the DNS server's address as nslookup shows it (its name
//     when no address is shown), or Resolve-DnsName's -Server argument.
//   - dns.authoritative is "false" when nslookup printed "Non-authoritative
//     answer:". It is never "true": that line goes to standard error and is
//     often not captured, so its absence proves nothing.
//   - dns.cname is the target of the queried name's own CNAME record (the
//     first hop of a chain), lower-case, without a trailing dot.
//   - dns.addresses are the final A/AAAA addresses, in the order shown,
//     joined by ","; for SRV answers, the addresses of the targets that came
//     in the additional section.
//   - dns.srv.target, dns.srv.port, dns.srv.priority and dns.srv.weight hold
//     the SRV answers; several records are joined by "," in the same order,
//     so the Nth values of the four fields belong together.
//
// A CNAME chain (nslookup's Aliases: lines, Resolve-DnsName's CNAME row
// followed by the A rows of its target) is one event for the queried name.
// Line is the first line of the block as written (its prompt line, or its
// table header, when shown), EndLine the last, Text the block itself.
package dns

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sort"
	"strings"
	"unicode"

	"github.com/sfblog/sfblog/event"
)

// Tools: the values of dns.tool.
const (
	ToolNslookup = "nslookup"
	ToolResolve  = "resolve-dnsname"
)

// Statuses: the values of dns.status.
const (
	StatusOK       = "ok"
	StatusNXDomain = "nxdomain"
	StatusNoAnswer = "noanswer"
	StatusTimeout  = "timeout"
	StatusServFail = "servfail"
	StatusRefused  = "refused"
	StatusError    = "error"
)

// ctxEvery is how often (in lines or records) the context is checked.
const ctxEvery = 1024

// Parse reads the output of nslookup or Resolve-DnsName (any of the forms
// listed in the package documentation) from r, already decoded to UTF-8,
// and emits one KindDNS event (Source "dns") per query result. A block that
// is recognised but malformed — an SRV record without its port, an address
// that is not one, a broken JSON document — is reported as a problem with
// its line and emits nothing. err is for I/O errors, an emit error and a
// cancelled context.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("dns: read %s: %w", path, err)
	}
	switch sniffData(head) {
	case formJSON:
		return parseJSON(ctx, path, br, emit)
	case formCSV:
		return parseCSV(ctx, path, br, emit)
	}
	return parseText(ctx, path, br, emit)
}

// Forms of input: text is read line by line, ConvertTo-Json and Export-Csv
// value by value.
const (
	formText = iota
	formJSON
	formCSV
)

// sniffData tells ConvertTo-Json and Export-Csv output from text by its
// first non-blank byte and line.
func sniffData(head []byte) int {
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		return formText
	}
	switch trimmed[0] {
	case '[', '{':
		return formJSON
	case '"':
		return formCSV
	}
	if bytes.HasPrefix(trimmed, []byte("#TYPE ")) {
		return formCSV
	}
	return formText
}

// srvRecord is one SRV answer.
type srvRecord struct {
	target, port, priority, weight string
}

// result is one query result, ready to become an event.
type result struct {
	tool     string
	query    string
	qtype    string
	status   string
	server   string
	nonAuth  bool
	cname    string
	addrs    []string
	srv      []srvRecord
	others   []string // types of other records answered (NS, MX, TXT, ...)
	first    int
	last     int
	text     string
	asked    string // the type the prompt asked for, "" when unknown
	answered bool   // the answer section held records for the query
}

// finish settles the status and the type of an answered result: a type
// asked for and absent from the answer (a CNAME whose target has no record
// of that type) is noanswer; an unasked type is the one answered.
func (r *result) finish() {
	if r.asked != "" {
		r.qtype = r.asked
	}
	if r.status == "" && r.answered {
		r.status = StatusOK
		if r.asked != "" && !r.has(r.asked) {
			r.status = StatusNoAnswer
		}
	}
	if r.qtype != "" {
		return
	}
	switch {
	case len(r.srv) > 0:
		r.qtype = "SRV"
	case len(r.addrs) > 0:
		r.qtype = "A"
		if allIPv6(r.addrs) {
			r.qtype = "AAAA"
		}
	case r.cname != "":
		r.qtype = "CNAME"
	case len(r.others) > 0:
		r.qtype = r.others[0]
	}
}

// has reports whether the answer holds records of type t. Types it cannot
// judge (ANY, ALL, A_AAAA) count as present.
func (r *result) has(t string) bool {
	switch t {
	case "A", "AAAA", "A_AAAA":
		return len(r.addrs) > 0
	case "SRV":
		return len(r.srv) > 0
	case "CNAME":
		return r.cname != ""
	case "ANY", "ALL":
		return true
	}
	for _, o := range r.others {
		if o == t {
			return true
		}
	}
	return false
}

// event renders the result as an event of path.
func (r *result) event(path string) event.Event {
	ev := event.Event{Source: event.SourceDNS, Kind: event.KindDNS, Path: path, Line: r.first, Text: r.text}
	if r.last > r.first {
		ev.EndLine = r.last
	}
	ev.Set("dns.tool", r.tool)
	ev.Set("dns.status", r.status)
	set := func(k, v string) {
		if v != "" {
			ev.Set(k, v)
		}
	}
	set("dns.query", r.query)
	set("dns.type", r.qtype)
	set("dns.server", r.server)
	if r.nonAuth {
		ev.Set("dns.authoritative", "false")
	}
	set("dns.cname", r.cname)
	set("dns.addresses", strings.Join(dedup(r.addrs), ","))
	if len(r.srv) > 0 {
		var t, p, pr, w []string
		for _, s := range r.srv {
			t = append(t, s.target)
			p = append(p, s.port)
			pr = append(pr, s.priority)
			w = append(w, s.weight)
		}
		ev.Set("dns.srv.target", strings.Join(t, ","))
		ev.Set("dns.srv.port", strings.Join(p, ","))
		ev.Set("dns.srv.priority", strings.Join(pr, ","))
		ev.Set("dns.srv.weight", strings.Join(w, ","))
	}
	return ev
}

// normName lower-cases a DNS name and drops its trailing dot.
func normName(s string) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
}

// isHost reports whether s can be a DNS name as the tools print it:
// letters (any script), digits, '-', '_', '*' and dots, no empty label
// except a trailing dot.
func isHost(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 255 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-' || c == '_' || c == '*') {
				return false
			}
		}
	}
	return true
}

// parseIP returns an IP address as written, without a zone, or false.
func parseIP(s string) (string, bool) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	return a.WithZone("").String(), true
}

func allIPv6(addrs []string) bool {
	for _, a := range addrs {
		if !strings.Contains(a, ":") {
			return false
		}
	}
	return len(addrs) > 0
}

// dedup returns ss without repeats, first occurrences kept in order.
func dedup(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// numLine is a line and its 1-based number.
type numLine struct {
	n    int
	text string
}

// joinLines returns the text of lines numbered first..last. lines are in
// order of their numbers: the first is found by binary search, so that
// the cost is that of the text returned.
func joinLines(lines []numLine, first, last int) string {
	i := sort.Search(len(lines), func(i int) bool { return lines[i].n >= first })
	var b strings.Builder
	for _, l := range lines[i:] {
		if l.n > last {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.text)
	}
	return b.String()
}
