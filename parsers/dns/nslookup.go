package dns

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// nsPatterns are the lines of Windows' nslookup output, in English or as
// Japanese Windows writes them: "サーバー:" (Server:), "既定のサーバー:"
// (Default Server:), "権限のない回答:" (Non-authoritative answer:), "名前:"
// (Name:) and "*** UnKnown が hackroom.lab を見つけられません: Non-existent
// domain"; Address:, Aliases:, the record lines and the reasons stay English
// (the outputs quoted in Japanese posts, testdata/README.md). Answers and the
// server header go to standard output, "Non-authoritative answer:" and the
// "***" failures to standard error: a file written with 2>&1 often holds
// the failure of a look-up before its header, so the parser accepts both
// orders.
type nsPatterns struct {
	server, address, name, aliases, nonAuth, cont         *regexp.Regexp
	srvHead, srvField, cname, inet, other, soaField, bare *regexp.Regexp
	cantFind, reqTimeout, timedOut, timeoutWas, noRecords *regexp.Regexp
	serverInfo, interact, txtValue                        *regexp.Regexp
	// starts are the lines that start nslookup output, for isOutput.
	starts []*regexp.Regexp
}

// nsRx returns the nsPatterns, compiled on first use.
var nsRx = sync.OnceValue(func() *nsPatterns {
	p := &nsPatterns{
		server:     regexp.MustCompile(`^(Default\s+|既定の)?(?:Server|サーバー):\s*(.*)$`),
		address:    regexp.MustCompile(`^Address(?:es)?:\s*(.*)$`),
		name:       regexp.MustCompile(`^(?:Name|名前):\s*(.*)$`),
		aliases:    regexp.MustCompile(`^Aliases:\s*(.*)$`),
		nonAuth:    regexp.MustCompile(`^(?:Non-authoritative answer|権限のない回答)\s*:$`),
		cont:       regexp.MustCompile(`^\s+(\S+)$`),
		srvHead:    regexp.MustCompile(`^(\S+)\s+SRV service location:$`),
		srvField:   regexp.MustCompile(`^\s+(priority|weight|port|svr hostname)\s*=\s*(.*)$`),
		cname:      regexp.MustCompile(`^(\S+)\s+canonical name\s*=\s*(\S+)$`),
		inet:       regexp.MustCompile(`^(\S+)\s+(?:internet address|AAAA IPv6 address)\s*=\s*(\S+)$`),
		other:      regexp.MustCompile(`^(\S+)\s+(nameserver|MX preference|name|text)\s*=`),
		soaField:   regexp.MustCompile(`^\s*(primary name server|responsible mail addr|serial|refresh|retry|expire|default TTL)\s*=\s*(.*)$`),
		bare:       regexp.MustCompile(`^(\S+)$`),
		cantFind:   regexp.MustCompile(`^\*\*\*\s*(.*?)\s*(?:can't find\s+(\S+?)|が\s+(\S+?)\s+を見つけられません)\s*:\s*(.+)$`),
		reqTimeout: regexp.MustCompile(`^\*\*\*\s*Request to (.+?) timed-out\.?$`),
		timedOut:   regexp.MustCompile(`^DNS request timed out\.?$`),
		timeoutWas: regexp.MustCompile(`^\s*timeout was \d+ seconds?\.?$`),
		noRecords:  regexp.MustCompile(`^\*\*\*\s*No (.+?) records available for (\S+?)\.?$`),
		serverInfo: regexp.MustCompile(`^\*\*\*\s*(?:Can't find server|Default servers are not available|Can't find address for server)`),
		interact:   regexp.MustCompile(`^>\s?(.*)$`),
		txtValue:   regexp.MustCompile(`^\s+"`),
	}
	p.starts = []*regexp.Regexp{p.server, p.nonAuth, p.name, p.cantFind, p.reqTimeout, p.timedOut, p.noRecords, p.srvHead, p.cname}
	return p
})

// nsCtx is what the previous line lets the next one continue.
type nsCtx int

const (
	nsNone        nsCtx = iota
	nsServerAddr        // after Server:, the server's Address:
	nsDefaultAddr       // after Default Server:, the session server's Address:
	nsAddrs             // Addresses: continue on indented lines
	nsAliases           // Aliases: continue on indented lines
	nsSRVFields         // the fields of an SRV record
	nsSOAOwner          // a bare name that may open an SOA record
	nsSOA               // the fields of an SOA record
	nsTXT               // the quoted strings of a TXT record
)

// nsParser groups nslookup lines into look-ups.
type nsParser struct {
	p   *textParser
	b   *nsBlock
	ctx nsCtx
	// The interactive session: "> set type=srv" holds for later queries.
	sessType string
}

// nsPair is an owner name and a value (a CNAME target, an address).
type nsPair struct{ owner, value string }

// nsSRV is an SRV record as it is being read.
type nsSRV struct {
	owner string
	line  int
	srvRecord
}

// nsBlock is one look-up as it is being read.
type nsBlock struct {
	lines        []numLine
	bytes        int // the text of lines
	bad          bool
	promptName   string
	asked        string
	promptServer string
	server       string
	serverAddr   string
	nonAuth      bool
	firstOwner   string
	name         string
	nameLine     int
	addrs        []string
	aliases      []string
	srv          []nsSRV
	cnames       []nsPair
	extra        []nsPair
	others       []string
	soa          bool
	errName      string
	errReason    string
	noData       bool
	noDataWhat   string
	reqTimeout   bool
	preTimeouts  int
	postTimeouts int
}

func (b *nsBlock) add(n int, s string) {
	b.lines = append(b.lines, numLine{n, s})
	b.bytes += len(s)
}

// full reports whether the block holds more than maxRun lines, or would
// pass maxRunBytes with s.
func (b *nsBlock) full(s string) bool {
	return len(b.lines) > maxRun || len(b.lines) > 0 && b.bytes+len(s) > maxRunBytes
}

func (b *nsBlock) hasAnswer() bool {
	return b.name != "" || len(b.srv) > 0 || len(b.cnames) > 0 || len(b.others) > 0 || b.soa || len(b.extra) > 0
}

func (b *nsBlock) hasError() bool { return b.errReason != "" || b.noData || b.reqTimeout }

// onlyTimeouts reports whether the block holds nothing but time-outs seen
// before any server header: nslookup's failed reverse look-up of its own
// server's address.
func (b *nsBlock) onlyTimeouts() bool {
	return b.promptName == "" && b.server == "" && !b.hasAnswer() && !b.hasError() && b.preTimeouts > 0
}

// owner notes the owner of the first answer record.
func (b *nsBlock) owner(name string) {
	if b.firstOwner == "" {
		b.firstOwner = normName(name)
	}
}

func (ns *nsParser) problem(n int, format string, args ...any) {
	ns.p.problem(n, fmt.Sprintf(format, args...))
	if ns.b != nil {
		ns.b.bad = true
	}
}

// open returns the current block, starting one at line n if there is none,
// and adds line n to it.
func (ns *nsParser) open(n int, s string) *nsBlock {
	if ns.b == nil {
		ns.b = &nsBlock{asked: ns.sessType}
	}
	ns.b.add(n, s)
	return ns.b
}

// cut ends a look-up that goes on over maxRun lines or maxRunBytes bytes
// before line n is added: its result is emitted, and a problem says so.
func (ns *nsParser) cut(n int) {
	first := ns.b.lines[0].n
	ns.p.problem(first, fmt.Sprintf("nslookup output from line %d goes on over %d lines or %d bytes: cut at line %d, a look-up going on past it is reported in parts",
		first, maxRun, maxRunBytes, n))
	ns.flush()
}

// endSession forgets the interactive session's settings: a new shell
// command was typed.
func (ns *nsParser) endSession() { ns.sessType = "" }

// command starts the look-up of "nslookup [-type=X] [name [server]]", or an
// interactive session when no name is given.
func (ns *nsParser) command(n int, s string, args []string) {
	var name, server, qtype string
	for _, a := range args {
		if strings.HasPrefix(a, "-") && a != "-" {
			if k, v, ok := strings.Cut(a[1:], "="); ok && isTypeOption(k) {
				qtype = strings.ToUpper(v)
			}
			continue
		}
		switch {
		case name == "":
			name = a
		case server == "":
			server = a
		}
	}
	if name == "" || name == "-" {
		ns.sessType = qtype
		return
	}
	b := ns.open(n, s)
	b.promptName = normName(name)
	b.asked = qtype
	b.promptServer = server
}

// isTypeOption reports whether an nslookup option name sets the query type.
func isTypeOption(k string) bool {
	switch strings.ToLower(k) {
	case "type", "ty", "typ", "q", "qt", "querytype":
		return true
	}
	return false
}

// interactive handles a command typed at nslookup's "> " prompt.
func (ns *nsParser) interactive(n int, s, cmd string) {
	ns.flush()
	args := strings.Fields(cmd)
	if len(args) == 0 {
		return
	}
	switch strings.ToLower(args[0]) {
	case "set":
		if len(args) > 1 {
			if k, v, ok := strings.Cut(args[1], "="); ok && isTypeOption(k) {
				ns.sessType = strings.ToUpper(v)
			}
		}
		return
	case "server", "lserver", "exit", "ls", "finger", "root", "help", "?", "view":
		return
	}
	if !isHost(args[0]) {
		return
	}
	b := ns.open(n, s)
	b.promptName = normName(args[0])
	if len(args) > 1 {
		b.promptServer = args[1]
	}
}

// stray ends the current look-up at a line that is not nslookup's.
func (ns *nsParser) stray() { ns.flush() }

// line reads one line of nslookup output.
func (ns *nsParser) line(n int, s string) {
	if ns.b != nil && ns.b.full(s) {
		// Cut before the line is read: it then finds no block and no
		// context, as after any other end of a look-up.
		ns.cut(n)
	}
	if s == "" {
		if ns.b != nil {
			ns.b.add(n, s)
		}
		if ns.ctx != nsTXT {
			ns.ctx = nsNone
		}
		return
	}
	re := nsRx()
	if ns.ctx == nsTXT && ns.b != nil && re.txtValue.MatchString(s) {
		ns.b.add(n, s)
		return
	}
	if m := re.interact.FindStringSubmatch(s); m != nil {
		// With its input piped from a file, nslookup prints its "> "
		// prompt without the command or a line end, so output follows it
		// on the same line ("> Server:  dc01").
		if rest := strings.TrimLeft(m[1], "> "); isOutput(rest) {
			ns.line(n, rest)
			if ns.b != nil && ns.b.lines[len(ns.b.lines)-1].n == n {
				ns.b.lines[len(ns.b.lines)-1].text = s
			}
			return
		}
		ns.interactive(n, s, m[1])
		return
	}
	if m := re.server.FindStringSubmatch(s); m != nil {
		ns.server(n, s, m[1] != "", strings.TrimSpace(m[2]))
		return
	}
	if m := re.address.FindStringSubmatch(s); m != nil {
		ns.address(n, s, strings.TrimSpace(m[1]))
		return
	}
	if m := re.name.FindStringSubmatch(s); m != nil {
		if ns.b != nil && ns.b.name != "" {
			ns.flush()
		}
		b := ns.open(n, s)
		v := strings.TrimSpace(m[1])
		if !isHost(v) {
			ns.problem(n, "nslookup: Name: %q is not a DNS name", clip(v))
		}
		b.owner(v)
		b.name = normName(v)
		b.nameLine = n
		ns.ctx = nsNone
		return
	}
	if m := re.aliases.FindStringSubmatch(s); m != nil {
		if ns.b == nil {
			ns.stray()
			return
		}
		b := ns.open(n, s)
		if b.name == "" {
			ns.problem(n, "nslookup: Aliases: before any Name:")
			return
		}
		ns.alias(n, strings.TrimSpace(m[1]))
		ns.ctx = nsAliases
		return
	}
	if re.nonAuth.MatchString(s) {
		if ns.b != nil && (ns.b.hasAnswer() || ns.b.hasError()) {
			ns.flush()
		}
		ns.open(n, s).nonAuth = true
		ns.ctx = nsNone
		return
	}
	if m := re.srvField.FindStringSubmatch(s); m != nil && ns.ctx == nsSRVFields {
		ns.b.add(n, s)
		ns.srvField(n, m[1], strings.TrimSpace(m[2]))
		return
	}
	if m := re.soaField.FindStringSubmatch(s); m != nil && (ns.ctx == nsSOAOwner || ns.ctx == nsSOA) {
		ns.b.add(n, s)
		ns.b.soa = true
		ns.ctx = nsSOA
		return
	}
	if m := re.cont.FindStringSubmatch(s); m != nil && (ns.ctx == nsAddrs || ns.ctx == nsAliases) {
		ns.b.add(n, s)
		if ns.ctx == nsAddrs {
			ns.addr(n, m[1])
		} else {
			ns.alias(n, m[1])
		}
		return
	}
	if ns.record(n, s) || ns.failure(n, s) {
		return
	}
	if m := re.bare.FindStringSubmatch(s); m != nil && ns.b != nil && isHost(m[1]) {
		ns.b.add(n, s)
		ns.ctx = nsSOAOwner
		return
	}
	ns.stray()
}

// isOutput reports whether s starts nslookup output rather than a command.
func isOutput(s string) bool {
	for _, re := range nsRx().starts {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// server reads a "Server:" or "Default Server:" header line.
func (ns *nsParser) server(n int, s string, isDefault bool, v string) {
	if isDefault {
		// The header of an interactive session (or of its "server"
		// command), not of a query: time-outs before it were the reverse
		// look-up of the server's own address.
		if ns.b != nil && ns.b.onlyTimeouts() {
			ns.b = nil
		}
		ns.flush()
		ns.ctx = nsDefaultAddr
		return
	}
	if ns.b != nil && (ns.b.server != "" || ns.b.hasAnswer()) {
		ns.flush()
	}
	b := ns.open(n, s)
	b.server = v
	ns.ctx = nsServerAddr
}

// address reads an "Address:" or "Addresses:" line: the server's address
// after a header, else the answer's first address.
func (ns *nsParser) address(n int, s, v string) {
	switch ns.ctx {
	case nsServerAddr:
		ns.b.add(n, s)
		ns.b.serverAddr = serverAddress(v)
		ns.ctx = nsNone
		return
	case nsDefaultAddr:
		ns.ctx = nsNone
		return
	}
	if ns.b == nil || ns.b.name == "" || len(ns.b.addrs) > 0 || len(ns.b.aliases) > 0 {
		ns.stray()
		return
	}
	ns.b.add(n, s)
	ns.addr(n, v)
	ns.ctx = nsAddrs
}

// serverAddress drops a "#port" from a server address.
func serverAddress(v string) string {
	if a, _, ok := strings.Cut(v, "#"); ok {
		return a
	}
	return v
}

func (ns *nsParser) addr(n int, v string) {
	a, ok := parseIP(v)
	if !ok {
		ns.problem(n, "nslookup: %q is not an IP address", clip(v))
		return
	}
	ns.b.addrs = append(ns.b.addrs, a)
}

func (ns *nsParser) alias(n int, v string) {
	if !isHost(v) {
		ns.problem(n, "nslookup: alias %q is not a DNS name", clip(v))
		return
	}
	ns.b.aliases = append(ns.b.aliases, normName(v))
}

// srvField reads one "key = value" line of an SRV record.
func (ns *nsParser) srvField(n int, k, v string) {
	rec := &ns.b.srv[len(ns.b.srv)-1]
	if k == "svr hostname" {
		if !isHost(v) {
			ns.problem(n, "nslookup: svr hostname %q is not a DNS name", clip(v))
			return
		}
		rec.target = normName(v)
		return
	}
	if _, err := strconv.ParseUint(v, 10, 16); err != nil {
		ns.problem(n, "nslookup: SRV %s %q is not a number from 0 to 65535", k, clip(v))
		return
	}
	switch k {
	case "priority":
		rec.priority = v
	case "weight":
		rec.weight = v
	case "port":
		rec.port = v
	}
}

// record reads a resource record line: an SRV heading, a CNAME, an address
// of the additional section, or another type's record.
func (ns *nsParser) record(n int, s string) bool {
	re := nsRx()
	if m := re.srvHead.FindStringSubmatch(s); m != nil {
		b := ns.open(n, s)
		if !isHost(m[1]) {
			ns.problem(n, "nslookup: SRV owner %q is not a DNS name", clip(m[1]))
		}
		b.owner(m[1])
		b.srv = append(b.srv, nsSRV{owner: normName(m[1]), line: n})
		ns.ctx = nsSRVFields
		return true
	}
	if m := re.cname.FindStringSubmatch(s); m != nil {
		b := ns.open(n, s)
		if !isHost(m[1]) || !isHost(m[2]) {
			ns.problem(n, "nslookup: canonical name line with a name that is not a DNS name")
		}
		b.owner(m[1])
		b.cnames = append(b.cnames, nsPair{normName(m[1]), normName(m[2])})
		ns.ctx = nsNone
		return true
	}
	if m := re.inet.FindStringSubmatch(s); m != nil {
		b := ns.open(n, s)
		a, ok := parseIP(m[2])
		if !ok {
			ns.problem(n, "nslookup: %q is not an IP address", clip(m[2]))
			return true
		}
		b.extra = append(b.extra, nsPair{normName(m[1]), a})
		ns.ctx = nsNone
		return true
	}
	if m := re.other.FindStringSubmatch(s); m != nil {
		b := ns.open(n, s)
		b.owner(m[1])
		t := map[string]string{"nameserver": "NS", "MX preference": "MX", "name": "PTR", "text": "TXT"}[m[2]]
		b.others = append(b.others, t)
		ns.ctx = nsNone
		if t == "TXT" {
			ns.ctx = nsTXT
		}
		return true
	}
	return false
}

// failure reads nslookup's failure and time-out lines.
func (ns *nsParser) failure(n int, s string) bool {
	re := nsRx()
	answered := func() {
		if ns.b != nil && (ns.b.hasAnswer() || ns.b.hasError()) {
			ns.flush()
		}
	}
	switch {
	case re.cantFind.MatchString(s):
		m := re.cantFind.FindStringSubmatch(s)
		answered()
		b := ns.open(n, s)
		b.errName, b.errReason = m[2]+m[3], m[4]
	case re.reqTimeout.MatchString(s):
		answered()
		ns.open(n, s).reqTimeout = true
	case re.timedOut.MatchString(s):
		if ns.b != nil && ns.b.hasAnswer() {
			ns.flush()
		}
		b := ns.open(n, s)
		if b.server == "" {
			b.preTimeouts++
		} else {
			b.postTimeouts++
		}
	case re.timeoutWas.MatchString(s):
		if ns.b == nil {
			return false
		}
		ns.b.add(n, s)
	case re.noRecords.MatchString(s):
		m := re.noRecords.FindStringSubmatch(s)
		answered()
		b := ns.open(n, s)
		b.noData = true
		b.noDataWhat = m[1]
		b.errName = m[2]
	case re.serverInfo.MatchString(s):
		ns.open(n, s)
	default:
		return false
	}
	ns.ctx = nsNone
	return true
}

// flush ends the current look-up and emits its result.
func (ns *nsParser) flush() {
	b := ns.b
	ns.b = nil
	ns.ctx = nsNone
	if b == nil {
		return
	}
	if r := ns.result(b); r != nil {
		ns.p.out(r)
	}
}

// result turns a complete block into its result; nil when the block is
// malformed or says nothing about a query.
func (ns *nsParser) result(b *nsBlock) *result {
	if b.bad {
		return nil
	}
	r := &result{tool: ToolNslookup, asked: b.asked, nonAuth: b.nonAuth}
	r.server = b.serverAddr
	if r.server == "" && b.server != "" && !strings.EqualFold(b.server, "UnKnown") {
		r.server = b.server
	}
	if r.server == "" {
		r.server = b.promptServer
	}
	if !ns.answer(b, r) {
		return nil
	}
	if !r.answered && r.status == "" {
		switch {
		case b.errReason != "":
			r.status = reasonStatus(b.errReason)
		case b.noData:
			r.status = StatusNoAnswer
		case b.reqTimeout || b.postTimeouts > 0 || b.preTimeouts > 0:
			r.status = StatusTimeout
		case b.promptName != "" && b.server != "":
			r.status = StatusError
		default:
			return nil
		}
	}
	if r.query == "" && b.errName != "" {
		r.query = normName(b.errName)
	}
	if r.query == "" {
		r.query = b.promptName
	}
	lines := b.lines
	for len(lines) > 0 && lines[len(lines)-1].text == "" {
		lines = lines[:len(lines)-1]
	}
	r.first, r.last = lines[0].n, lines[len(lines)-1].n
	r.text = joinLines(lines, r.first, r.last)
	r.finish()
	if r.qtype == "" && b.noData && (strings.Contains(b.noDataWhat, "(A+AAAA)") || strings.Contains(b.noDataWhat, "(A)")) {
		r.qtype = "A" // the default query, named by the message
	}
	return r
}

// answer fills r from the answer records of b. It returns false when an
// answer is incomplete (a problem is reported).
func (ns *nsParser) answer(b *nsBlock, r *result) bool {
	if b.name != "" {
		if len(b.addrs) == 0 {
			ns.p.problem(b.nameLine, "nslookup: Name: without an address")
			return false
		}
		r.addrs = b.addrs
		r.answered = true
		switch len(b.aliases) {
		case 0:
			r.query = b.name
		case 1:
			r.query, r.cname = b.aliases[0], b.name
		default:
			r.query, r.cname = b.aliases[0], b.aliases[1]
		}
		return true
	}
	if b.firstOwner != "" {
		r.query = b.firstOwner
		r.answered = true
	}
	// The chain: the names reached from the query through CNAME records,
	// in any order; the query's own CNAME is its first one to another
	// name. Linear, whatever the order of the records.
	chain := map[string]bool{r.query: true}
	next := map[string][]string{}
	for _, c := range b.cnames {
		next[c.owner] = append(next[c.owner], c.value)
		if c.owner == r.query && c.value != r.query && r.cname == "" {
			r.cname = c.value
		}
	}
	for queue := []string{r.query}; len(queue) > 0; queue = queue[1:] {
		for _, v := range next[queue[0]] {
			if !chain[v] {
				chain[v] = true
				queue = append(queue, v)
			}
		}
	}
	targets := map[string]bool{}
	for _, s := range b.srv {
		if s.target == "" || s.port == "" || s.priority == "" || s.weight == "" {
			ns.p.problem(s.line, "nslookup: SRV record without its priority, weight, port and svr hostname")
			return false
		}
		r.srv = append(r.srv, s.srvRecord)
		targets[s.target] = true
	}
	for _, e := range b.extra {
		if chain[e.owner] || targets[e.owner] {
			r.addrs = append(r.addrs, e.value)
		}
	}
	r.others = b.others
	if b.soa {
		r.others = append(r.others, "SOA")
		if b.asked == "SOA" {
			r.answered = true
		} else if !r.answered {
			r.status = StatusNoAnswer
		}
	}
	return true
}

// reasonStatus maps the reason of "*** server can't find name: reason".
func reasonStatus(reason string) string {
	reason = strings.ToLower(reason)
	switch {
	case strings.Contains(reason, "non-existent domain"):
		return StatusNXDomain
	case strings.Contains(reason, "server failed"):
		return StatusServFail
	case strings.Contains(reason, "refused"):
		return StatusRefused
	case strings.Contains(reason, "no response from server"), strings.Contains(reason, "timed out"), strings.Contains(reason, "timed-out"):
		return StatusTimeout
	case strings.Contains(reason, "no records"), strings.Contains(reason, "no data"):
		return StatusNoAnswer
	}
	return StatusError
}
