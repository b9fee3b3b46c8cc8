package dns

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// record is one resource record of Resolve-DnsName output, whatever the form
// it came in (table row, list entry, CSV row, JSON object).
type record struct {
	raw     string // owner name as written; a table may cut it ("name...")
	rtype   string // A, AAAA, CNAME, SRV, SOA, ...
	section string // Answer, Authority, Additional, Question
	target  string // NameHost (CNAME, PTR, NS) or NameTarget (SRV)
	addr    string // IPAddress, IP4Address or IP6Address
	prio    string
	weight  string
	port    string
	first   int
	last    int
	// partial: the input had no column for some of this type's properties
	// (Export-Csv takes its columns from the first record only), so empty
	// values are absent, not wrong.
	partial bool
}

// prompt is what a Resolve-DnsName command line says about its look-up.
type prompt struct {
	name   string // -Name, lower-case, no trailing dot
	qtype  string // -Type, upper-case
	server string // -Server
	line   int    // the prompt line, 0 when none
}

// rrTables are the record types and sections as Resolve-DnsName writes
// them.
type rrTables struct {
	// types are the record types by number, for ConvertTo-Json (which
	// writes the RecordType enum as a number); names are all the names
	// of record types.
	types map[int]string
	names map[string]bool
	// sections are the sections by number (ConvertTo-Json) and by name.
	sections map[string]string
}

// tables returns the rrTables, built on first use.
var tables = sync.OnceValue(func() *rrTables {
	t := &rrTables{
		types: map[int]string{
			1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA",
			33: "SRV", 35: "NAPTR", 39: "DNAME", 43: "DS", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY",
			50: "NSEC3", 255: "ALL",
		},
		names: map[string]bool{"A_AAAA": true, "ANY": true, "WKS": true, "HINFO": true, "MINFO": true, "AFSDB": true, "X25": true, "ISDN": true, "RT": true, "OPT": true, "DHCID": true, "NULL": true, "UNKNOWN": true},
		sections: map[string]string{
			"0": "Question", "1": "Answer", "2": "Authority", "3": "Additional",
			"question": "Question", "answer": "Answer", "authority": "Authority", "additional": "Additional",
		},
	}
	for _, n := range t.types {
		t.names[n] = true
	}
	return t
})

// rrType returns the record type written as a name or a number.
func rrType(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil {
		t, ok := tables().types[n]
		return t, ok
	}
	v = strings.ToUpper(v)
	return v, tables().names[v]
}

// check reports what is wrong with a record, or "".
func (r *record) check() string {
	if r.raw == "" {
		return "record without a name"
	}
	if !strings.HasSuffix(r.raw, "...") && !isHost(r.raw) {
		return fmt.Sprintf("name %q is not a DNS name", clip(r.raw))
	}
	if r.partial && r.addr == "" && r.target == "" {
		return ""
	}
	switch r.rtype {
	case "A", "AAAA":
		a, ok := parseIP(r.addr)
		if !ok {
			return fmt.Sprintf("%s record of %s: %q is not an IP address", r.rtype, clip(r.raw), clip(r.addr))
		}
		r.addr = a
	case "CNAME":
		if !isHost(r.target) {
			return fmt.Sprintf("CNAME record of %s: target %q is not a DNS name", clip(r.raw), clip(r.target))
		}
	case "SRV":
		if !isHost(r.target) {
			return fmt.Sprintf("SRV record of %s: target %q is not a DNS name", clip(r.raw), clip(r.target))
		}
		for _, v := range []string{r.prio, r.weight, r.port} {
			if _, err := strconv.ParseUint(v, 10, 16); err != nil {
				return fmt.Sprintf("SRV record of %s: %q is not a number from 0 to 65535", clip(r.raw), clip(v))
			}
		}
	}
	return ""
}

// groupRecords turns a look-up's records, in output order, into results:
// an answer record whose owner is not the queried name or a CNAME target
// of it starts a new result; additional-section addresses of the chain and
// of SRV targets join the current one; an SOA record in the authority
// section with no answer before it is a result without an answer. Records
// that cannot be read are reported through problem, and the result they
// belong to is dropped.
func groupRecords(recs []record, pr prompt, problem func(n int, msg string)) []*result {
	var (
		out              []*result
		cur              *result
		chain, targets   map[string]bool
		broken, prompted bool
		chainCut         bool
	)
	finish := func() {
		if cur != nil && !broken {
			cur.finish()
			out = append(out, cur)
		}
		cur = nil
	}
	start := func(query string, first int) {
		finish()
		cur = &result{tool: ToolResolve, query: query, asked: pr.qtype, server: pr.server, first: first, last: first}
		if !prompted && pr.line > 0 && pr.line < first {
			cur.first = pr.line
		}
		prompted = true
		chain = map[string]bool{query: true}
		targets = map[string]bool{}
		broken, chainCut = false, false
	}
	for i := range recs {
		r := &recs[i]
		name, bad := recordName(r, pr.name, chain)
		if bad == "" {
			bad = r.check()
		}
		if bad != "" {
			problem(r.first, "Resolve-DnsName: "+bad)
			if r.section == "Answer" && (cur == nil || !chain[name]) {
				start(name, r.first)
			}
			if cur != nil {
				broken = true
				cur.last = max(cur.last, r.last)
			}
			continue
		}
		target := normName(r.target)
		switch r.section {
		case "Answer":
			if cur == nil || !chain[name] {
				start(name, r.first)
			}
			cur.answered = true
			switch r.rtype {
			case "CNAME":
				if name == cur.query && cur.cname == "" {
					cur.cname = target
				}
				if len(chain) < maxChain {
					chain[target] = true
				} else if !chainCut {
					chainCut = true
					problem(r.first, fmt.Sprintf("Resolve-DnsName: CNAME chain of %s longer than %d names: the names after are not followed", clip(cur.query), maxChain))
				}
			case "A", "AAAA":
				if r.addr != "" {
					cur.addrs = append(cur.addrs, r.addr)
				}
			case "SRV":
				if r.target == "" {
					break // a CSV row without the SRV columns
				}
				cur.srv = append(cur.srv, srvRecord{target: target, port: r.port, priority: r.prio, weight: r.weight})
				targets[target] = true
			default:
				cur.others = append(cur.others, r.rtype)
			}
		case "Additional":
			if cur != nil && (r.rtype == "A" || r.rtype == "AAAA") && r.addr != "" && (targets[name] || chain[name]) {
				cur.addrs = append(cur.addrs, r.addr)
			}
		case "Authority":
			if cur == nil && r.rtype == "SOA" {
				start(pr.name, r.first)
				cur.others = append(cur.others, "SOA")
				if pr.qtype == "SOA" {
					cur.answered = true
				} else {
					cur.status = StatusNoAnswer
				}
			}
		}
		if cur != nil {
			cur.last = max(cur.last, r.last)
		}
	}
	finish()
	return out
}

// recordName returns the record's owner name, completing a name the table
// cut ("sip.contoso.co...") from the prompt's name or a name of the chain
// when exactly one of them fits; bad says why it cannot.
func recordName(r *record, promptName string, chain map[string]bool) (name, bad string) {
	cut, ok := strings.CutSuffix(r.raw, "...")
	if !ok {
		return normName(r.raw), ""
	}
	cut = strings.ToLower(cut)
	var found []string
	if promptName != "" && strings.HasPrefix(promptName, cut) {
		found = append(found, promptName)
	}
	for c := range chain {
		if c != promptName && c != "" && strings.HasPrefix(c, cut) {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		return "", fmt.Sprintf("name %q was cut by the table width and cannot be completed", clip(r.raw))
	}
	return found[0], ""
}

// rdPatterns are the lines of the text forms of Resolve-DnsName: the
// default table, Format-List (and the list view PowerShell falls back to
// for records of another type than the table's), and the error record.
type rdPatterns struct {
	header, dashes, errRecord, errCont, errPos, fqeid, listKV, listCnt *regexp.Regexp
	// listKeys are the properties of DnsClient records shown by Format-List.
	listKeys map[string]bool
}

// rdRx returns the rdPatterns, compiled on first use.
var rdRx = sync.OnceValue(func() *rdPatterns {
	return &rdPatterns{
		header:    regexp.MustCompile(`^\s*Name\s+Type\s+TTL\s+Section(?:\s+\S+)*$`),
		dashes:    regexp.MustCompile(`^\s*-{2,}(?:\s+-{2,})*$`),
		errRecord: regexp.MustCompile(`(?i)^resolve-dnsname\s*:\s*(\S+?)\s*:\s*(.+)$`),
		errCont:   regexp.MustCompile(`^\s*(?:At line:\d+|At \S.*:\d+ char:\d+|\+|~+$|CategoryInfo\s*:|FullyQualifiedErrorId\s*:)`),
		// The position line of a localized PowerShell, right after the
		// message: "発生場所 行:1 文字:1" (Japanese), "Au caractère
		// Ligne:1 : 1" (French). Its labels vary; it ends in a number
		// after a colon, as no prompt or message line does.
		errPos:  regexp.MustCompile(`^\s*[^\s+][^+]*:\s*\d+\s*$`),
		fqeid:   regexp.MustCompile(`FullyQualifiedErrorId\s*:\s*([A-Za-z0-9_]+),Microsoft\.DnsClient`),
		listKV:  regexp.MustCompile(`^(\w+) +: ?(.*)$`),
		listCnt: regexp.MustCompile(`^\s{2,}(\S.*)$`),
		listKeys: map[string]bool{
			"Name": true, "Type": true, "QueryType": true, "TTL": true, "Section": true, "NameHost": true,
			"IP4Address": true, "IP6Address": true, "IPAddress": true, "Address": true, "NameTarget": true,
			"Priority": true, "Weight": true, "Port": true, "PrimaryServer": true, "NameAdministrator": true,
			"SerialNumber": true, "TimeToZoneRefresh": true, "TimeToZoneFailureRetry": true,
			"TimeToExpiration": true, "DefaultTTL": true, "DataLength": true, "CharacterSet": true,
			"Strings": true, "NameExchange": true, "Preference": true, "Server": true,
		},
	}
})

// rdParser reads the text forms of Resolve-DnsName. A run is the output of
// one command (or of several, when no prompt line separates them).
type rdParser struct {
	p      *textParser
	pr     prompt
	lines  []numLine
	bytes  int // the text of lines
	recs   []record
	cols   []string // the current table's columns
	header []string // a header line waiting for its dashes
	hdrAt  int      // the header's line
	width  int      // the width of the table's Name column
	rowAt  int      // the header line, for the first row under it
	rowAdj bool     // the previous line was a table row
	group  map[string]string
	gFirst int
	gLast  int
	gKey   string
	err    *rdError
}

// rdError is an error record of Resolve-DnsName.
type rdError struct {
	name, msg, fqeid string
	first, last      int
}

// command starts a run at a "Resolve-DnsName ..." prompt line.
func (rd *rdParser) command(n int, s string, args []string) {
	rd.pr = parseResolveArgs(args)
	rd.pr.line = n
	rd.keep(n, s)
}

// keep adds line n to the run's lines. A run over maxRun lines or
// maxRunBytes bytes is cut first: the results read so far are emitted, and
// a problem says so. The table's columns and the prompt stay, so the rows
// after the cut are still read. A blank line is not kept in an empty run.
func (rd *rdParser) keep(n int, s string) {
	if len(rd.lines) > maxRun || len(rd.lines) > 0 && rd.bytes+len(s) > maxRunBytes {
		first := rd.lines[0].n
		rd.p.problem(first, fmt.Sprintf("Resolve-DnsName output from line %d goes on over %d lines or %d bytes: cut at line %d, a look-up going on past it is reported in parts",
			first, maxRun, maxRunBytes, n))
		rd.endGroup()
		rd.endError()
		rd.flushRecords()
		rd.lines, rd.bytes = nil, 0
		rd.rowAdj = false // the row before is gone: no wrapped name follows
	}
	if s == "" && len(rd.lines) == 0 {
		return
	}
	rd.lines = append(rd.lines, numLine{n, s})
	rd.bytes += len(s)
}

// isValued reports whether k (lower-case) is a common parameter of a
// cmdlet that takes a value.
func isValued(k string) bool {
	switch k {
	case "erroraction", "ea", "errorvariable", "ev", "warningaction",
		"wa", "warningvariable", "wv", "outvariable", "ov",
		"outbuffer", "ob", "pipelinevariable", "pv",
		"informationaction", "infa", "informationvariable", "iv":
		return true
	}
	return false
}

// parseResolveArgs reads -Name, -Type and -Server, by name or position.
func parseResolveArgs(args []string) prompt {
	var pr prompt
	pos := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			k, v, hasV := strings.Cut(a[1:], ":")
			k = strings.ToLower(k)
			if k != "name" && k != "type" && k != "server" && !isValued(k) {
				continue // a switch
			}
			if !hasV && i+1 < len(args) {
				i++
				v = args[i]
			}
			switch k {
			case "name":
				pr.name = normName(v)
			case "type":
				pr.qtype = askedType(v)
			case "server":
				pr.server = v
			}
			continue
		}
		switch pos {
		case 0:
			pr.name = normName(a)
		case 1:
			pr.qtype = askedType(a)
		}
		pos++
	}
	return pr
}

// askedType names the type a -Type argument asks for; A_AAAA, the
// default, is typed "A" as nslookup's default query is.
func askedType(v string) string {
	v = strings.ToUpper(v)
	if v == "A_AAAA" {
		return "A"
	}
	return v
}

// Classes of Resolve-DnsName lines.
const (
	rdNone = iota
	rdErrLine
	rdErrCont
	rdHeader
	rdDashes
	rdRow
	rdWrap
	rdKV
	rdCont
)

// classify names what a non-blank line is in the current state.
func (rd *rdParser) classify(s string) int {
	re := rdRx()
	switch {
	case re.errRecord.MatchString(s):
		return rdErrLine
	case rd.err != nil && (re.errCont.MatchString(s) || rd.err.last == rd.err.first && re.errPos.MatchString(s)):
		return rdErrCont
	case re.header.MatchString(s):
		return rdHeader
	case rd.header != nil && re.dashes.MatchString(s):
		return rdDashes
	}
	if _, ok := rd.row(s); ok {
		return rdRow
	}
	if rd.rowAdj && len(strings.Fields(s)) == 1 && !strings.HasPrefix(s, " ") && len(rd.recs[len(rd.recs)-1].raw) >= rd.width {
		return rdWrap // a name wrapped by the table width
	}
	if m := re.listKV.FindStringSubmatch(s); m != nil && re.listKeys[m[1]] {
		return rdKV
	}
	if rd.group != nil && rd.gKey != "" && re.listCnt.MatchString(s) {
		return rdCont
	}
	return rdNone
}

// claims reports whether a non-blank line is Resolve-DnsName's.
func (rd *rdParser) claims(s string) bool { return rd.classify(s) != rdNone }

// row reads a table row under the current columns: Name Type TTL Section
// and the type's own columns.
func (rd *rdParser) row(s string) (record, bool) {
	f := strings.Fields(s)
	if len(rd.cols) < 4 || len(f) < 4 {
		return record{}, false
	}
	t, ok := rrType(f[1])
	if !ok || strings.Trim(f[1], "0123456789") == "" {
		return record{}, false
	}
	if _, err := strconv.ParseUint(f[2], 10, 32); err != nil {
		return record{}, false
	}
	sec, ok := tables().sections[strings.ToLower(f[3])]
	if !ok {
		return record{}, false
	}
	r := record{raw: f[0], rtype: t, section: sec}
	rest, cols := f[4:], rd.cols[4:]
	for i, c := range cols {
		if i >= len(rest) {
			break
		}
		v := rest[i]
		if i == len(cols)-1 {
			v = strings.Join(rest[i:], " ")
		}
		r.set(c, v)
	}
	return r, true
}

// set assigns a property of a record by its column or key name.
func (r *record) set(k, v string) {
	v = strings.TrimSpace(v)
	switch strings.ToLower(k) {
	case "name":
		r.raw = v
	case "type", "querytype":
		if t, ok := rrType(v); ok {
			r.rtype = t
		} else if r.rtype == "" {
			r.rtype = strings.ToUpper(v)
		}
	case "section":
		if s, ok := tables().sections[strings.ToLower(v)]; ok {
			r.section = s
		} else {
			r.section = v
		}
	case "namehost", "nametarget":
		r.target = v
	case "ipaddress", "ip4address", "ip6address", "address":
		if v != "" {
			r.addr = v
		}
	case "priority":
		r.prio = v
	case "weight":
		r.weight = v
	case "port":
		r.port = v
	}
}

// line reads one line of Resolve-DnsName output.
func (rd *rdParser) line(n int, s string) {
	if s == "" {
		rd.keep(n, s)
		rd.endGroup()
		rd.endError()
		rd.rowAdj = false
		return
	}
	re := rdRx()
	rd.keep(n, s)
	cls := rd.classify(s)
	if cls != rdKV && cls != rdCont {
		rd.endGroup()
	}
	if cls != rdErrCont {
		rd.endError()
	}
	adj := false
	switch cls {
	case rdErrLine:
		rd.flushRecords()
		m := re.errRecord.FindStringSubmatch(s)
		rd.err = &rdError{name: m[1], msg: m[2], first: n, last: n}
	case rdErrCont:
		rd.err.last = n
		if m := re.fqeid.FindStringSubmatch(s); m != nil {
			rd.err.fqeid = m[1]
		}
	case rdHeader:
		rd.header = strings.Fields(s)
		rd.hdrAt = n
		rd.width = max(strings.Index(s, "Type")-strings.Index(s, "Name")-1, 0)
	case rdDashes:
		rd.cols, rd.header = rd.header, nil
		rd.rowAt = rd.hdrAt
	case rdRow:
		r, _ := rd.row(s)
		r.first, r.last = n, n
		if rd.rowAt > 0 {
			r.first, rd.rowAt = rd.rowAt, 0
		}
		rd.recs = append(rd.recs, r)
		adj = true
	case rdWrap:
		r := &rd.recs[len(rd.recs)-1]
		if len(r.raw) < maxValue { // past it the name is no name anyway
			r.raw += strings.TrimSpace(s)
		}
		r.last = n
		adj = true
	case rdKV:
		m := re.listKV.FindStringSubmatch(s)
		if rd.group == nil {
			rd.group = map[string]string{}
			rd.gFirst = n
		}
		rd.group[m[1]] = m[2]
		rd.gKey = m[1]
		rd.gLast = n
	case rdCont:
		if len(rd.group[rd.gKey]) < maxValue { // past it the value is no name or address anyway
			rd.group[rd.gKey] += strings.TrimSpace(s)
		}
		rd.gLast = n
	}
	rd.rowAdj = adj
}

// endGroup turns a finished Format-List entry into a record when it is one.
func (rd *rdParser) endGroup() {
	g := rd.group
	rd.group, rd.gKey = nil, ""
	if g == nil || g["Name"] == "" || g["Section"] == "" || (g["Type"] == "" && g["QueryType"] == "") {
		return
	}
	r := record{first: rd.gFirst, last: rd.gLast}
	for k, v := range g {
		r.set(k, v)
	}
	if g["Type"] != "" {
		r.set("Type", g["Type"]) // Type wins over QueryType
	}
	rd.recs = append(rd.recs, r)
}

// endError emits a finished error record.
func (rd *rdParser) endError() {
	e := rd.err
	rd.err = nil
	if e == nil {
		return
	}
	r := &result{tool: ToolResolve, query: normName(e.name), asked: rd.pr.qtype, server: rd.pr.server,
		status: errorStatus(e.fqeid, e.msg), first: e.first, last: e.last}
	if rd.pr.line > 0 && rd.pr.line < e.first && len(rd.recs) == 0 {
		r.first = rd.pr.line
		rd.pr.line = 0
	}
	r.text = joinLines(rd.lines, r.first, r.last)
	r.finish()
	rd.p.out(r)
}

// errorStatus maps an error record to a status, by its
// FullyQualifiedErrorId when shown, else by its message.
func errorStatus(fqeid, msg string) string {
	switch fqeid {
	case "DNS_ERROR_RCODE_NAME_ERROR":
		return StatusNXDomain
	case "ERROR_TIMEOUT":
		return StatusTimeout
	case "DNS_ERROR_RCODE_SERVER_FAILURE":
		return StatusServFail
	case "DNS_ERROR_RCODE_REFUSED":
		return StatusRefused
	case "DNS_INFO_NO_RECORDS":
		return StatusNoAnswer
	}
	msg = strings.ToLower(msg)
	switch {
	case strings.Contains(msg, "dns name does not exist"):
		return StatusNXDomain
	case strings.Contains(msg, "timeout period expired"):
		return StatusTimeout
	case strings.Contains(msg, "dns server failure"):
		return StatusServFail
	case strings.Contains(msg, "operation refused"):
		return StatusRefused
	case strings.Contains(msg, "no records found"):
		return StatusNoAnswer
	}
	return StatusError
}

// flushRecords groups and emits the records read so far.
func (rd *rdParser) flushRecords() {
	rd.endGroup()
	recs := rd.recs
	rd.recs = nil
	if len(recs) == 0 {
		return
	}
	for _, r := range groupRecords(recs, rd.pr, rd.p.problem) {
		r.text = joinLines(rd.lines, r.first, r.last)
		rd.p.out(r)
	}
	rd.pr.line = 0
}

// flush ends the run.
func (rd *rdParser) flush() {
	rd.endGroup()
	rd.endError()
	rd.flushRecords()
	*rd = rdParser{p: rd.p}
}
