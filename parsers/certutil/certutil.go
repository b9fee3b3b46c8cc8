// Package certutil parses the output of the Windows certutil tool, saved by
// a user who was asked to run it, into KindCert events (Source "cert"). It
// reads two commands, in any order and any number of times in one file:
//
//   - certutil [-user] [-enterprise] -store NAME: one event per certificate
//     ("================ Certificate N ================" block), cert.tool
//     "certutil-store", with cert.store, subject, issuer, serial, thumbprint,
//     validity and cert.self_signed. An empty store emits nothing.
//   - certutil [-urlfetch] -verify FILE: one result event per run, cert.tool
//     "certutil-verify" or, when the output holds the -urlfetch retrieval
//     sections (Certificate AIA, CDP, OCSP), "certutil-urlfetch". The result
//     event describes the verified (leaf) certificate and the outcome:
//     cert.result "ok" or "error", cert.error and cert.error.text for the
//     deciding error, cert.host (the first DNS Name of the leaf's subject
//     alternative names, wildcards last, else the CN of its subject when it
//     is a host name) and cert.self_signed. The other certificates of the chain are not
//     emitted: a chain's root is self-signed by nature, and an event per
//     chain element would read as evidence about certificates the user never
//     asked about.
//
// A run counts as failed when certutil says "-verify command FAILED", when
// the chain summary names an error (certutil prints "A certificate chain
// could not be built to a trusted root authority. 0x800b010a (...)" and then
// still ends with "-verify command completed successfully."), or when an
// "ERROR:" line reports one (a revocation check that could not be done).
// The deciding error is the first of these three that is present.
//
// Labels are read in English. The chain dump of -verify (CertContext[0][0]
// and its Issuer, Subject, Serial, NotBefore, NotAfter, SubjectAltName and
// Cert lines) stays in English on localized Windows, so a localized -verify
// output still gives the leaf's identity and its error codes. Dates are
// read in the short formats of common locales when unambiguous (6/14/2017
// 9:00 AM, 14/06/2017 09:00, 10.08.2021 14:14, 2015-06-04 19:04) and
// written in RFC 3339 as if they were UTC (certutil prints the computer's
// local time and no zone); an ambiguous date (7/1/2021) is kept as written.
package certutil

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/internal/localtime"
	"github.com/sfblog/sfblog/parsers/scan"
)

// Values of cert.tool.
const (
	ToolStore    = "certutil-store"
	ToolVerify   = "certutil-verify"
	ToolURLFetch = "certutil-urlfetch"
)

const (
	// ctxEvery is how often (in lines) the context is checked.
	ctxEvery = 4096
	// maxBlockLines bounds one certificate block or one -verify run.
	maxBlockLines = 20000
)

// patterns are the lines of certutil output the parser recognises.
type patterns struct {
	storeHeader, certHeader, storeEnd, verifyEnd, certutilMsg *regexp.Regexp
	prompt, context, code, name, urlfetch, hex                *regexp.Regexp
	// verifyMarkers are lines that only certutil -verify prints.
	verifyMarkers []*regexp.Regexp
}

// rx returns the patterns, compiled on first use.
var rx = sync.OnceValue(func() *patterns {
	p := &patterns{
		storeHeader: regexp.MustCompile(`^(\S+) "([^"]*)"$`),
		certHeader:  regexp.MustCompile(`^=+ (\S.*?) (\d+) =+$`),
		storeEnd:    regexp.MustCompile(`^CertUtil: -store\b`),
		verifyEnd:   regexp.MustCompile(`^CertUtil: -verify\b(.*)$`),
		certutilMsg: regexp.MustCompile(`^CertUtil: ([^-].*)$`),
		prompt:      regexp.MustCompile(`^(?:PS [^>]*>|[A-Za-z]:\\[^>]*>)`),
		context:     regexp.MustCompile(`^CertContext\[(\d+)\]\[(\d+)\]:`),
		code:        regexp.MustCompile(`(0x[0-9A-Fa-f]{8})\s*\(([^)]*)\)\s*\.?$`),
		name:        regexp.MustCompile(`\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)$`),
		urlfetch:    regexp.MustCompile(`^\s*(?:-{8,}\s+(?:Certificate (?:AIA|CDP|OCSP)|Base CRL CDP|Delta CRL CDP)\s+-{8,}|(?:Verified|Failed|No URLs) "[^"]*" Time:)`),
		hex:         regexp.MustCompile(`^[0-9a-f]+$`),
	}
	p.verifyMarkers = []*regexp.Regexp{
		p.context,
		regexp.MustCompile(`^Cert Serial Number: `),
		regexp.MustCompile(`^dwFlags = CA_VERIFY_FLAGS_`),
		regexp.MustCompile(`^ChainContext\.dw(?:Info|Error)Status = `),
		regexp.MustCompile(`^-------- CERT_CHAIN_CONTEXT --------$`),
	}
	return p
})

// Detect reports whether head (the first few KiB of a file, decoded to
// UTF-8) holds certutil -store or -verify output: a "CertUtil: -store" line,
// a certificate block header with a "Cert Hash(sha1)" or "Serial Number"
// line, or a line only -verify prints (CertContext[0][0], "Cert Serial
// Number:", the CA_VERIFY flags, the chain context). A note that quotes
// "Issuer:" or a lone "CertUtil: -verify command FAILED" line is not enough.
func Detect(head []byte) bool {
	re := rx()
	var certHeader, certField bool
	for _, raw := range bytes.Split(head, []byte("\n")) {
		line := strings.TrimRight(strings.TrimPrefix(string(raw), "\uFEFF"), " \t\r")
		if re.storeEnd.MatchString(line) || isVerifyMarker(line) {
			return true
		}
		if re.certHeader.MatchString(line) {
			certHeader = true
		}
		if strings.HasPrefix(line, "Cert Hash(") || strings.HasPrefix(line, "Serial Number: ") {
			certField = true
		}
	}
	return certHeader && certField
}

func isVerifyMarker(line string) bool {
	for _, re := range rx().verifyMarkers {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// Parse reads certutil output (UTF-8, CRLF or LF) and emits KindCert events
// in line order: one per certificate of a -store listing, one result per
// -verify run (see the package documentation). Lines outside these outputs
// (prompts, other commands) are skipped. A -verify run cut before its final
// "CertUtil: -verify command" line, and a certificate block without a
// subject or a hash, are reported as problems and emit nothing. err is for
// I/O errors, an emit error and a cancelled context. Parse never panics.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &parser{path: path, emit: emit}
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.problems.List(), fmt.Errorf("certutil: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			p.problems.Add(n, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		s := strings.TrimRight(strings.TrimPrefix(lines.Text(), "\uFEFF"), " \t")
		if err := p.line(n, s); err != nil {
			return p.problems.List(), err
		}
	}
	if err := p.end(); err != nil {
		return p.problems.List(), err
	}
	if err := lines.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("certutil: read %s: %w", path, err)
	}
	return p.problems.List(), nil
}

// parser is the state of one Parse.
type parser struct {
	path     string
	emit     event.Sink
	problems event.Problems

	inStore bool   // inside a -store listing
	store   string // its store name
	cert    *block // the open certificate block of the listing
	run     *block // the open -verify run
}

// block is a run of lines: a certificate of a listing or a -verify run.
type block struct {
	first  int
	last   int
	lines  []string // first to last
	blank  int      // blank lines after last
	ended  bool     // a -verify run read its "CertUtil: -verify command" line
	failed bool     // ... and it said FAILED
}

func (b *block) add(n int, s string) {
	if s == "" {
		b.blank++
		return
	}
	for ; b.blank > 0; b.blank-- {
		b.lines = append(b.lines, "")
	}
	b.lines = append(b.lines, s)
	b.last = n
}

func (p *parser) send(ev event.Event) error {
	if err := p.emit(ev); err != nil {
		return fmt.Errorf("certutil: %s: emit: %w", p.path, err)
	}
	return nil
}

// line handles one line, right-trimmed.
func (p *parser) line(n int, s string) error {
	re := rx()
	if p.run != nil {
		handled, err := p.runLine(n, s)
		if handled || err != nil {
			return err
		}
	}
	if p.inStore {
		return p.storeLine(n, s)
	}
	switch {
	case s == "", re.prompt.MatchString(s), re.storeEnd.MatchString(s):
		return nil
	case re.storeHeader.MatchString(s):
		p.inStore, p.store = true, re.storeHeader.FindStringSubmatch(s)[1]
		return nil
	case re.certHeader.MatchString(s):
		p.inStore, p.store = true, ""
		return p.storeLine(n, s)
	}
	p.run = &block{first: n, last: n, lines: []string{s}}
	if m := re.verifyEnd.FindStringSubmatch(s); m != nil {
		p.run.ended, p.run.failed = true, isFailed(m[1])
	}
	return nil
}

// runLine handles a line while a -verify run is open. It reports whether
// the line was taken; when not, the run has been closed and the line is
// for the caller.
func (p *parser) runLine(n int, s string) (bool, error) {
	re := rx()
	r := p.run
	if r.ended {
		// After FAILED, certutil prints the error's text on "CertUtil: ..." lines.
		if r.failed && re.certutilMsg.MatchString(s) {
			r.add(n, s)
			return true, nil
		}
		return false, p.closeRun()
	}
	if re.storeHeader.MatchString(s) || re.certHeader.MatchString(s) || re.prompt.MatchString(s) {
		return false, p.closeRun()
	}
	if len(r.lines) >= maxBlockLines {
		p.problems.Add(r.first, fmt.Sprintf("certutil -verify output longer than %d lines, skipped", maxBlockLines))
		p.run = nil
		return true, nil
	}
	r.add(n, s)
	if m := re.verifyEnd.FindStringSubmatch(s); m != nil {
		r.ended, r.failed = true, isFailed(m[1])
	}
	return true, nil
}

func isFailed(rest string) bool {
	return strings.Contains(strings.ToLower(rest), "failed")
}

// storeLine handles a line of a -store listing.
func (p *parser) storeLine(n int, s string) error {
	re := rx()
	switch {
	case re.certHeader.MatchString(s):
		if err := p.closeCert(); err != nil {
			return err
		}
		p.cert = &block{first: n, last: n, lines: []string{s}}
		return nil
	case re.storeEnd.MatchString(s), re.prompt.MatchString(s):
		p.inStore = false
		return p.closeCert()
	case re.storeHeader.MatchString(s):
		if err := p.closeCert(); err != nil {
			return err
		}
		p.store = re.storeHeader.FindStringSubmatch(s)[1]
		return nil
	}
	if p.cert != nil {
		if len(p.cert.lines) >= maxBlockLines {
			p.problems.Add(p.cert.first, fmt.Sprintf("certificate block longer than %d lines, skipped", maxBlockLines))
			p.cert = nil
			return nil
		}
		p.cert.add(n, s)
	}
	return nil
}

// end closes what is open at the end of the input.
func (p *parser) end() error {
	if err := p.closeCert(); err != nil {
		return err
	}
	return p.closeRun()
}

// closeCert emits the event of the open certificate block.
func (p *parser) closeCert() error {
	b := p.cert
	p.cert = nil
	if b == nil {
		return nil
	}
	ev := newEvent(p.path, b)
	ev.Set("cert.tool", ToolStore)
	if p.store != "" {
		ev.Set("cert.store", p.store)
	}
	var subject, issuer, self string
	for _, s := range b.lines[1:] {
		l, v, _ := strings.Cut(strings.TrimSpace(s), ":")
		v = strings.TrimSpace(v)
		switch l {
		case "Serial Number":
			ev.Set("cert.serial", hexID(v))
		case "Issuer":
			issuer = v
		case "Subject":
			subject = v
		case "NotBefore":
			ev.Set("cert.not_before", date(v))
		case "NotAfter":
			ev.Set("cert.not_after", date(v))
		case "Cert Hash(sha1)":
			if h := hexID(v); len(h) == 40 && rx().hex.MatchString(h) {
				ev.Set("cert.thumbprint", h)
			} else {
				p.problems.Add(b.first, "certificate block with a malformed Cert Hash(sha1): "+clip(v))
				return nil
			}
		case "Root Certificate":
			self = "true"
		case "Non-root Certificate":
			self = "false"
		}
	}
	if subject == "" && ev.Get("cert.thumbprint") == "" {
		p.problems.Add(b.first, "certificate block without a Subject or a Cert Hash(sha1) line")
		return nil
	}
	setNames(&ev, subject, issuer)
	if self != "" {
		ev.Set("cert.self_signed", self)
	}
	return p.send(ev)
}

// newEvent starts the event of a block.
func newEvent(path string, b *block) event.Event {
	ev := event.Event{Source: event.SourceCert, Kind: event.KindCert, Path: path,
		Line: b.first, Text: strings.Join(b.lines, "\n")}
	if b.last > b.first {
		ev.EndLine = b.last
	}
	return ev
}

// setNames sets subject, issuer and, when both are known, self_signed.
func setNames(ev *event.Event, subject, issuer string) {
	if subject != "" {
		ev.Set("cert.subject", subject)
	}
	if issuer != "" {
		ev.Set("cert.issuer", issuer)
	}
	if subject != "" && issuer != "" {
		ev.Set("cert.self_signed", fmt.Sprint(strings.EqualFold(subject, issuer)))
	}
}

// leaf is what a -verify run says about the certificate it verified.
type leaf struct {
	subject, issuer, serial, thumbprint string
	notBefore, notAfter                 string
	dnsNames                            []string
	selfSigned                          bool // CERT_TRUST_IS_SELF_SIGNED
}

// failure is an error a -verify run reports.
type failure struct {
	code, name, msg string
}

func (f failure) text() string {
	switch {
	case f.name != "" && f.msg != "":
		return f.name + ": " + f.msg
	case f.name != "":
		return f.name
	}
	return f.msg
}

// closeRun emits the result of the open -verify run.
func (p *parser) closeRun() error {
	r := p.run
	p.run = nil
	if r == nil {
		return nil
	}
	marked := false
	for _, s := range r.lines {
		if isVerifyMarker(s) {
			marked = true
			break
		}
	}
	switch {
	case !marked && !r.ended:
		return nil // text that is not certutil output
	case !marked:
		p.problems.Add(r.first, "certutil -verify result without the certificate it is about")
		return nil
	case !r.ended:
		p.problems.Add(r.first, `certutil -verify output without its final "CertUtil: -verify command" line (cut?)`)
		return nil
	}

	lf, header := readLeaf(r.lines)
	if lf.subject == "" {
		lf.subject = header.subject
	}
	if lf.issuer == "" {
		lf.issuer = header.issuer
	}
	if lf.serial == "" {
		lf.serial = header.serial
	}
	ev := newEvent(p.path, r)
	ev.Set("cert.tool", ToolVerify)
	for _, s := range r.lines {
		if rx().urlfetch.MatchString(s) {
			ev.Set("cert.tool", ToolURLFetch)
			break
		}
	}
	setNames(&ev, lf.subject, lf.issuer)
	if lf.selfSigned {
		ev.Set("cert.self_signed", "true")
	}
	if lf.serial != "" {
		ev.Set("cert.serial", hexID(lf.serial))
	}
	if lf.thumbprint != "" {
		ev.Set("cert.thumbprint", hexID(lf.thumbprint))
	}
	if lf.notBefore != "" {
		ev.Set("cert.not_before", date(lf.notBefore))
	}
	if lf.notAfter != "" {
		ev.Set("cert.not_after", date(lf.notAfter))
	}
	if h := host(lf); h != "" {
		ev.Set("cert.host", h)
	}
	if f, failed := verdict(r.lines, r.failed); failed {
		ev.Set("cert.result", "error")
		if f.code != "" {
			ev.Set("cert.error", f.code)
		}
		if t := f.text(); t != "" {
			ev.Set("cert.error.text", t)
		}
	} else {
		ev.Set("cert.result", "ok")
	}
	return p.send(ev)
}

// readLeaf reads the chain dump's CertContext[0][0] and the header that
// -verify prints first (Issuer:, Subject: with one RDN per line, Cert
// Serial Number:).
func readLeaf(lines []string) (lf, header leaf) {
	inLeaf := false
	section := "" // "issuer" or "subject" while reading a header's RDN lines
	var rdns []string
	flush := func() {
		switch section {
		case "issuer":
			header.issuer = strings.Join(rdns, ", ")
		case "subject":
			header.subject = strings.Join(rdns, ", ")
		}
		section, rdns = "", nil
	}
	for _, s := range lines {
		indented := s != "" && (s[0] == ' ' || s[0] == '\t')
		if section != "" {
			if indented && strings.Contains(s, "=") && !strings.Contains(s, "Name Hash") {
				rdns = append(rdns, strings.TrimSpace(s))
				continue
			}
			flush()
		}
		if m := rx().context.FindStringSubmatch(s); m != nil {
			inLeaf = m[1] == "0" && m[2] == "0"
			continue
		}
		if !indented {
			inLeaf = false
			switch {
			case s == "Issuer:" && header.issuer == "":
				section = "issuer"
			case s == "Subject:" && header.subject == "":
				section = "subject"
			case strings.HasPrefix(s, "Cert Serial Number: ") && header.serial == "":
				header.serial = strings.TrimSpace(strings.TrimPrefix(s, "Cert Serial Number: "))
			}
			continue
		}
		if !inLeaf {
			continue
		}
		l, v, _ := strings.Cut(strings.TrimSpace(s), ":")
		v = strings.TrimSpace(v)
		switch l {
		case "Issuer":
			lf.issuer = v
		case "Subject":
			lf.subject = v
		case "Serial":
			lf.serial = v
		case "Cert":
			lf.thumbprint = v
		case "NotBefore":
			lf.notBefore = v
		case "NotAfter":
			lf.notAfter = v
		case "SubjectAltName":
			for _, part := range strings.Split(v, ",") {
				if name, ok := strings.CutPrefix(strings.TrimSpace(part), "DNS Name="); ok {
					lf.dnsNames = append(lf.dnsNames, strings.TrimSpace(name))
				}
			}
		default:
			if strings.Contains(s, "dwInfoStatus = CERT_TRUST_IS_SELF_SIGNED") {
				lf.selfSigned = true
			}
		}
	}
	flush()
	return lf, header
}

// host returns the host name the run is about: the leaf's first DNS name
// that is not a wildcard, else its first DNS name, else its subject's CN
// when that is a host name.
func host(lf leaf) string {
	for _, name := range lf.dnsNames {
		if !strings.HasPrefix(name, "*") {
			return strings.ToLower(name)
		}
	}
	if len(lf.dnsNames) > 0 {
		return strings.ToLower(lf.dnsNames[0])
	}
	for _, rdn := range strings.Split(lf.subject, ",") {
		if cn, ok := strings.CutPrefix(strings.TrimSpace(rdn), "CN="); ok {
			cn = strings.TrimSpace(cn)
			if strings.Contains(cn, ".") && !strings.ContainsAny(cn, " @") {
				return strings.ToLower(cn)
			}
			return ""
		}
	}
	return ""
}

// verdict finds the deciding error of a -verify run: the FAILED line's,
// else the chain summary's, else the first ERROR line's. The text of a
// FAILED code is the "CertUtil: <text>" line after it (before it when none
// follows), else the chain summary's text for the same code.
func verdict(lines []string, failed bool) (failure, bool) {
	re := rx()
	var final, chain, errLine *failure
	var before, after string // "CertUtil: <text>" lines around the final line
	for _, s := range lines {
		if s == "" || s[0] == ' ' || s[0] == '\t' {
			continue // chain dump details: URL retrieval, CRLs
		}
		switch {
		case re.verifyEnd.MatchString(s):
			if failed && final == nil {
				f := coded(re.verifyEnd.FindStringSubmatch(s)[1])
				final = &f
			}
		case re.certutilMsg.MatchString(s):
			msg := strings.TrimSpace(re.certutilMsg.FindStringSubmatch(s)[1])
			if final == nil {
				before = msg
			} else if after == "" {
				after = msg
			}
		case strings.HasPrefix(s, "ERROR:"):
			if errLine == nil {
				f := coded(strings.TrimSpace(strings.TrimPrefix(s, "ERROR:")))
				errLine = &f
			}
		case re.code.MatchString(s):
			if chain == nil {
				f := coded(s)
				chain = &f
			}
		}
	}
	switch {
	case final != nil:
		same := chain != nil && chain.code == final.code
		switch {
		case after != "":
			final.msg = after
		case before != "":
			final.msg = before
		case same:
			final.msg = chain.msg
		}
		if final.name == "" && same {
			final.name = chain.name
		}
		return *final, true
	case chain != nil:
		return *chain, true
	case errLine != nil:
		return *errLine, true
	}
	return failure{}, failed
}

// coded splits "text. 0x800b010a (-2146762486 CERT_E_CHAINING)" into the
// code (lower-case), the symbolic name and the text before the code.
func coded(s string) failure {
	re := rx()
	m := re.code.FindStringSubmatchIndex(s)
	if m == nil {
		return failure{msg: strings.TrimSpace(s)}
	}
	f := failure{code: strings.ToLower(s[m[2]:m[3]])}
	if n := re.name.FindStringSubmatch(strings.TrimSpace(s[m[4]:m[5]])); n != nil {
		f.name = n[1]
	}
	f.msg = strings.TrimSpace(s[:m[0]])
	if strings.HasPrefix(f.msg, "command ") { // the rest of "-verify command FAILED:"
		f.msg = ""
	}
	return f
}

// hexID normalizes a serial number or a hash: no blanks, lower-case.
func hexID(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), ""))
}

// date returns an unambiguous local date as RFC 3339 (read as UTC), else
// the text as written.
func date(s string) string {
	if t, _, ok := localtime.Parse(s); ok {
		return t.Format(time.RFC3339)
	}
	return s
}

// clip shortens s for a problem message.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return s[:i] + "..."
		}
	}
	return s[:max] + "..."
}
