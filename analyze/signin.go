package analyze

import (
	"fmt"
	"hash/maphash"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/parsers/uccapilog"
)

// Derived fields the analyzer adds to events before signatures see them.
const (
	// FieldResult is "success", "failure", "challenge", "redirect" or "unregister" on
	// REGISTER responses, and "failure" on user-visible failure texts.
	FieldResult = "signin.result"
	// FieldCredentials is "true" on a REGISTER response whose request
	// carried credentials (an Authorization header with gssapi-data or a
	// response), else "false".
	FieldCredentials = "sip.request.credentials"
)

// Bounds of what the tracker keeps, whatever the size of the input: the
// timeline needs the outcome, time, servers and decisive response of each
// attempt, never the events themselves.
const (
	maxPending     = 1024 // REGISTER transactions awaiting their response
	maxAttempts    = 200  // attempts kept per input; later ones are counted
	maxSteps       = 16   // steps kept per attempt; later ones are counted
	maxPreSteps    = 6    // steps kept before the REGISTER that opens an attempt
	maxStepDetail  = 160  // bytes of a step's detail
	preStepHorizon = 2 * time.Minute
	// dialogDelay is the longest a failure text shown to the user follows
	// the refusal that decided an attempt, and is taken as its dialog.
	dialogDelay = 10 * time.Second
)

// register is what a REGISTER request said, remembered for its response.
type register struct {
	credentials bool
	unregister  bool // Expires: 0, the client signing out
}

// attempt is one sign-in attempt while it is tracked: the report's Attempt
// and what ordering and linking need.
type attempt struct {
	Attempt
	at        time.Time // start
	decided   time.Time // when it was decided
	local     bool
	path      string
	from, to  int // first and last line of the attempt in path
	callID    string
	done      bool
	succeeded bool
	skipped   int    // steps not kept
	dropped   bool   // past maxAttempts: counted, not kept
	opener    uint64 // hash of the text of the event that opened it, without a Call-ID
	// What the attempt added to its tracker's counters (the refreshes of
	// a registration it made included), taken off again when the same
	// attempt is in another input (a copy of the log).
	counts
}

// counts are what attempts added to a tracker's counters.
type counts struct{ registers, refusals, errors int }

// tracker follows the sign-in of one input: it marks each REGISTER response
// as a success, a failure, a redirect or an authentication challenge, and
// builds the attempts of the timeline. Its memory is bounded (see the
// constants above).
type tracker struct {
	pending  map[string]register // Call-ID + CSeq number
	order    []string            // keys of pending, oldest first
	attempts []*attempt
	dropped  int // attempts not kept past maxAttempts
	// droppedFailed counts the failed ones among them, and lastDropped is
	// the last of them decided, for the outcome.
	droppedFailed int
	lastDropped   *attempt
	droppedCounts counts // what the attempts not kept added to the counters
	cur           *attempt
	pre           []Step // sign-in steps seen while no attempt is open
	preAt         time.Time
	lastOK        string   // Call-ID of the last successful registration (refreshes reuse it)
	okAttempt     *attempt // the attempt that made it
	registers     int
	refusals      int
	errors        int
	untimed       int // failure texts without a time (a pasted note)
	address       string
	userAgent     string
}

func newTracker() *tracker { return &tracker{pending: map[string]register{}} }

// annotate adds the derived fields to e and follows the sign-in.
func (t *tracker) annotate(e *event.Event) {
	switch e.Kind {
	case event.KindUIText:
		if e.Get("ui.key") == "trust-prompt" {
			return
		}
		e.Set(FieldResult, "failure")
		t.errors++
		if e.Time.IsZero() {
			t.untimed++
			return
		}
		t.add(t.failText(e), counts{errors: 1})
	case event.KindSIP:
		if uri := e.Get("sip.from.uri"); uri != "" {
			if _, domain, ok := strings.Cut(uri, "@"); ok {
				domain, _, _ = strings.Cut(domain, ";")
				e.Set("sip.from.domain", strings.ToLower(domain))
			}
		}
		t.sip(e)
	case event.KindHRESULT, event.KindLog:
		if e.Source == event.SourceUccApilog {
			t.logStep(e)
		}
	}
}

func (t *tracker) sip(e *event.Event) {
	key := e.Get("sip.call_id") + "\x00" + e.Get("sip.cseq.number")
	if e.Get("sip.type") == "request" {
		if !strings.EqualFold(e.Get("sip.method"), "REGISTER") || e.Get("sip.direction") != "sent" || e.Get("pasted") == "true" {
			return
		}
		r := register{
			credentials: hasCredentials(e.Get("sip.header.authorization")) || hasCredentials(e.Get("sip.header.proxy-authorization")),
			unregister:  expiresZero(e),
		}
		t.remember(key, r)
		if r.unregister {
			return
		}
		t.registers++
		if a := e.Get("sip.from.uri"); a != "" {
			t.address = a
		}
		if ua := e.Get("sip.user_agent"); ua != "" {
			t.userAgent = ua
		}
		t.add(t.request(e, r), counts{registers: 1})
		return
	}
	if !strings.EqualFold(e.Get("sip.cseq.method"), "REGISTER") || e.Get("sip.direction") == "sent" {
		return
	}
	status, err := strconv.Atoi(e.Get("sip.status"))
	if err != nil || status < 200 {
		return
	}
	req, seen := t.pending[key]
	if seen {
		delete(t.pending, key)
	} else {
		// The request is not in this log (a rotated file): judge the
		// response alone.
		req.unregister = expiresZero(e)
	}
	e.Set(FieldCredentials, strconv.FormatBool(req.credentials))
	var result string
	switch {
	case status < 300 && req.unregister:
		result = "unregister"
	case status < 300:
		result = "success"
	case status < 400:
		// 301/302: the Online director redirects the client to its home
		// pool; the client registers again there.
		result = "redirect"
	case status == 401 || status == 407:
		// A challenge carrying gssapi-data continues a TLS-DSK, NTLM or
		// Kerberos handshake; a plain challenge to a request that already
		// offered credentials refuses them.
		if req.credentials && !hasGSSAPIData(e.Get("sip.header.www-authenticate")) && !hasGSSAPIData(e.Get("sip.header.proxy-authenticate")) {
			result = "failure"
		} else {
			result = "challenge"
		}
	default:
		result = "failure"
	}
	e.Set(FieldResult, result)
	if e.Get("pasted") == "true" {
		// A response pasted into a note has no time and no dialog around
		// it: a refusal is a failure the user reports, not an attempt.
		if result == "failure" {
			t.refusals++
			t.untimed++
		}
		return
	}
	t.response(e, result)
}

// remember keeps a REGISTER until its response, dropping the oldest
// pending transaction past maxPending (responses that never came).
func (t *tracker) remember(key string, r register) {
	if _, ok := t.pending[key]; !ok {
		t.order = append(t.order, key)
	}
	t.pending[key] = r
	for len(t.pending) > maxPending && len(t.order) > 0 {
		delete(t.pending, t.order[0])
		t.order = t.order[1:]
	}
	if len(t.order) > 2*maxPending {
		// Compact the queue: keys already answered are gone from pending.
		live := t.order[:0]
		for _, k := range t.order {
			if _, ok := t.pending[k]; ok {
				live = append(live, k)
			}
		}
		t.order = live
	}
}

// request follows a REGISTER sent: it opens an attempt unless one is open
// (a challenge or redirect continues it) or it refreshes the registration
// that succeeded last. It returns the attempt the request counts in: the
// open one, or the one that made the registration it refreshes.
func (t *tracker) request(e *event.Event, r register) *attempt {
	callID := e.Get("sip.call_id")
	if t.cur == nil {
		if callID != "" && callID == t.lastOK {
			return t.okAttempt // a refresh of the current registration
		}
		t.open(e)
	}
	a := t.cur
	kind, detail := "register", "REGISTER "+e.Get("sip.uri")
	if r.credentials {
		kind = "auth"
		detail += " with credentials (" + authScheme(e.Get("sip.header.authorization")+e.Get("sip.header.proxy-authorization")) + ")"
	}
	t.step(e, Step{Kind: kind, Server: host(e.Get("sip.remote")), Detail: detail})
	if a != nil && a.callID == "" {
		a.callID = callID
	}
	return a
}

// response follows a final response to a REGISTER.
func (t *tracker) response(e *event.Event, result string) {
	if result == "unregister" {
		return
	}
	if t.cur == nil {
		if result != "failure" && result != "success" {
			return
		}
		if result == "success" && e.Get("sip.call_id") == t.lastOK {
			return // a refresh
		}
		t.open(e)
	}
	line := statusLine(e)
	switch result {
	case "challenge":
		t.step(e, Step{Kind: "auth", Server: host(e.Get("sip.remote")), Detail: line + " (" + authScheme(e.Get("sip.header.www-authenticate")+e.Get("sip.header.proxy-authenticate")) + " challenge)"})
	case "redirect":
		d := line
		if to := contactHost(e.Get("sip.header.contact")); to != "" {
			d += " to " + to
		}
		t.step(e, Step{Kind: "redirect", Server: host(e.Get("sip.remote")), Detail: d})
	case "success", "failure":
		a := t.cur
		if result == "failure" {
			t.refusals++
			t.add(a, counts{refusals: 1})
		}
		t.step(e, Step{Kind: "response", Server: host(e.Get("sip.remote")), Detail: line})
		t.close(e, result == "success", decisive(e))
		if result == "success" {
			t.lastOK, t.okAttempt = e.Get("sip.call_id"), a
		}
	}
}

// failText follows a user-visible failure text with a time: it decides the
// open attempt, or is an attempt of its own. It returns the attempt the
// text belongs to.
func (t *tracker) failText(e *event.Event) *attempt {
	text := strings.TrimSpace(e.Get("ui.text"))
	if t.cur == nil {
		if n := len(t.attempts); n > 0 && t.followsRefusal(t.attempts[n-1], e) {
			// The dialog that follows a refused REGISTER: the same attempt.
			a := t.attempts[n-1]
			a.to = e.Line
			a.addStep(Step{Time: stepTime(e), Kind: "error", Detail: clip(text), Path: e.Path, Line: e.Line})
			return a
		}
		t.open(e)
	}
	a := t.cur
	t.step(e, Step{Kind: "error", Detail: clip(text)})
	if a.Decisive == "" {
		t.close(e, false, clip(text))
	}
	return a
}

// followsRefusal reports whether the failure text e is the dialog that
// shows the user the refusal that decided the attempt a: a came out of
// the same log a few lines before, and a moment before, and no step of
// another sign-in (autodiscover, DNS, the Sign-in Assistant) came between.
// A client that tries again a minute later logs those steps again before
// the same text: that is an attempt of its own.
func (t *tracker) followsRefusal(a *attempt, e *event.Event) bool {
	if !a.done || a.succeeded || a.path != e.Path || e.Line-a.to > 40 || len(t.pre) > 0 {
		return false
	}
	return a.decided.IsZero() || e.Time.IsZero() || e.Time.Sub(a.decided) <= dialogDelay
}

// logStep records the client-log lines that belong to a sign-in: HRESULTs
// and errors about autodiscover, DNS, the Sign-in Assistant and the
// certificate provider.
func (t *tracker) logStep(e *event.Event) {
	text := e.Get("log.message")
	if text == "" {
		text = e.Text
		if e.Source == "uccapilog" && stepKind(text) != "" {
			// An HRESULT's event holds its whole line: the step shows
			// the message, as the line's own log event does. Only a
			// line whose message can be a step is cut (Message copies
			// it): the message is a part of the line, so what stepKind
			// finds in it, it finds in the line.
			text = uccapilog.Message(text)
		}
	}
	kind := stepKind(text)
	if kind == "" {
		return
	}
	detail := strings.TrimSpace(text)
	if h := e.Get("hresult"); h != "" && !strings.Contains(strings.ToLower(detail), h) {
		detail = h + " " + detail
	}
	s := Step{Kind: kind, Detail: clip(mask.Secrets(detail))}
	if t.cur == nil {
		if !e.Time.IsZero() && !t.preAt.IsZero() && e.Time.Sub(t.preAt) > preStepHorizon {
			t.pre = t.pre[:0]
		}
		s.Time, s.Path, s.Line = stepTime(e), e.Path, e.Line
		if len(t.pre) < maxPreSteps && !repeats(t.pre, s) {
			t.pre = append(t.pre, s)
		}
		if t.preAt.IsZero() || len(t.pre) == 1 {
			t.preAt = e.Time
		}
		return
	}
	t.step(e, s)
}

var (
	reAutodiscover = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)lyncdiscover|autodiscover`) })
	reDNS          = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)_sip\._tls|_sipinternaltls|\bdns\b|\bsrv\b|0x80072ee7|0x8007232b|0x80072efd`)
	})
	reAuth = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)idcrl|msoidsvc|sign-?in assistant|logonidentity|login\.microsoftonline|certprov|0x8004882|0x800488`)
	})
)

// Words one of which every match of reAutodiscover, reDNS and reAuth
// holds, in lower case: most lines hold none, and looking for a few words
// is far cheaper than running the expressions.
var (
	autodiscoverWords = []string{"discover"}
	dnsWords          = []string{"_sip", "dns", "srv", "0x8007"}
	authWords         = []string{"idcrl", "msoidsvc", "assistant", "logonidentity", "login.microsoftonline", "certprov", "0x80048"}
)

// stepKind says which sign-in step a client-log line is, or "".
func stepKind(text string) string {
	ascii := isASCII(text)
	switch {
	case mayHold(text, ascii, autodiscoverWords) && reAutodiscover().MatchString(text):
		return "autodiscover"
	case mayHold(text, ascii, dnsWords) && reDNS().MatchString(text):
		return "dns"
	case mayHold(text, ascii, authWords) && reAuth().MatchString(text):
		return "auth"
	}
	return ""
}

// mayHold reports whether a case-insensitive expression that needs one of
// the lower-case ASCII words may match s. Outside ASCII it may: (?i)
// folds the Kelvin sign to k and the long s to s.
func mayHold(s string, ascii bool, words []string) bool {
	if !ascii {
		return true
	}
	for _, w := range words {
		if containsFoldASCII(s, w) {
			return true
		}
	}
	return false
}

// hasGSSAPIData reports whether a challenge holds gssapi-data, in any
// case (strings.ToLower's, which also folds a few non-ASCII letters).
func hasGSSAPIData(challenge string) bool {
	if isASCII(challenge) {
		return containsFoldASCII(challenge, "gssapi-data")
	}
	return strings.Contains(strings.ToLower(challenge), "gssapi-data")
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFoldASCII reports whether s holds the lower-case ASCII word w,
// ignoring ASCII case.
func containsFoldASCII(s, w string) bool { return indexFoldASCII(s, w) >= 0 }

// indexFoldASCII is strings.Index(strings.ToLower(s), w) for a lower-case
// ASCII w, without copying s (an Authorization header carries kilobytes
// of token): the index of the first w in s ignoring ASCII case, or -1.
func indexFoldASCII(s, w string) int {
	c := w[0]
	up := c
	if c >= 'a' && c <= 'z' {
		up = c - ('a' - 'A')
	}
	for i := 0; i+len(w) <= len(s); i++ {
		j := indexEither(s[i:len(s)-len(w)+1], c, up)
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFoldASCII(s[i:], w) {
			return i
		}
	}
	return -1
}

// indexEither returns the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i]
	}
	if j := strings.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

// hasPrefixFoldASCII reports whether s starts with the lower-case w,
// ignoring ASCII case.
func hasPrefixFoldASCII(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// open starts an attempt at e, taking the sign-in steps that led to it.
func (t *tracker) open(e *event.Event) {
	a := &attempt{at: e.Time, local: e.Local, path: e.Path, from: e.Line, to: e.Line}
	if e.Kind == event.KindSIP {
		a.callID = e.Get("sip.call_id")
	}
	if a.callID == "" {
		// An attempt without a REGISTER dialog is told from its copy's
		// by its text (dropCopies).
		a.opener = maphash.String(openerSeed, e.Text)
	}
	a.Start = event.FormatTime(e.Time, e.Local)
	a.Outcome = OutcomeUnknown
	a.Steps = []Step{}
	for _, s := range t.pre {
		if s.Path == e.Path && (e.Time.IsZero() || e.Time.Sub(t.preAt) <= preStepHorizon) {
			a.addStep(s)
			if s.Line < a.from {
				a.from = s.Line
				a.at, a.Start = t.preAt, s.Time
			}
		}
	}
	t.pre, t.preAt = t.pre[:0], time.Time{}
	if t.address != "" {
		a.Address = t.address
	}
	if len(t.attempts) < maxAttempts {
		t.attempts = append(t.attempts, a)
	} else {
		t.dropped++
		a.dropped = true
		a.Steps = nil
	}
	t.cur = a
}

// add adds c to what attempt a (if any) added to the counters, and to
// what the attempts not kept added if a is one.
func (t *tracker) add(a *attempt, c counts) {
	if a == nil {
		return
	}
	a.registers += c.registers
	a.refusals += c.refusals
	a.errors += c.errors
	if a.dropped {
		t.droppedCounts.registers += c.registers
		t.droppedCounts.refusals += c.refusals
		t.droppedCounts.errors += c.errors
	}
}

// openerSeed seeds the hashes of the texts that open attempts: only
// their equality within a run matters.
var openerSeed = maphash.MakeSeed()

// step adds a step to the open attempt.
func (t *tracker) step(e *event.Event, s Step) {
	a := t.cur
	if a == nil {
		return
	}
	s.Time, s.Path, s.Line = stepTime(e), e.Path, e.Line
	a.addStep(s)
	if e.Path == a.path && e.Line > a.to {
		a.to = e.Line
	}
	if a.Address == "" && t.address != "" {
		a.Address = t.address
	}
}

func (a *attempt) addStep(s Step) {
	if repeats(a.Steps, s) {
		return
	}
	if a.dropped || len(a.Steps) >= maxSteps {
		a.skipped++
		return
	}
	a.Steps = append(a.Steps, s)
}

// repeats reports whether s says again what a step of steps from the same
// line says: a line with two HRESULTs has an event for each, and a line
// logged as an error has its log event and its HRESULT's.
func repeats(steps []Step, s Step) bool {
	if s.Line == 0 {
		return false
	}
	for i := len(steps) - 1; i >= 0 && steps[i].Line == s.Line && steps[i].Path == s.Path; i-- {
		if steps[i].Detail == s.Detail && steps[i].Kind == s.Kind {
			return true
		}
	}
	return false
}

// close decides the open attempt.
func (t *tracker) close(e *event.Event, ok bool, decisive string) {
	a := t.cur
	t.cur = nil
	if a == nil {
		return
	}
	a.done, a.succeeded = true, ok
	if a.dropped {
		if !ok {
			t.droppedFailed++
		}
		t.lastDropped = a
	}
	a.Outcome = OutcomeFailed
	if ok {
		a.Outcome = OutcomeSucceeded
	}
	a.End = event.FormatTime(e.Time, e.Local)
	a.decided = e.Time
	a.Decisive = decisive
	a.Path, a.Line = e.Path, e.Line
	if a.skipped > 0 {
		a.Steps = append(a.Steps, Step{Kind: "more", Detail: fmt.Sprintf("%d more steps", a.skipped)})
		a.skipped = 0
	}
}

// stepTime is an event's time as the report writes it.
func stepTime(e *event.Event) string { return event.FormatTime(e.Time, e.Local) }

// statusLine is "404 Not Found" for a response.
func statusLine(e *event.Event) string {
	return strings.TrimSpace(e.Get("sip.status") + " " + e.Get("sip.reason"))
}

// decisive renders the response that decided an attempt with its
// diagnostic code: `404 Not Found; ms-diagnostics: 4005;reason="..."`.
func decisive(e *event.Event) string {
	s := "SIP/2.0 " + statusLine(e)
	if code := e.Get("diag.code"); code != "" {
		h := e.Get("diag.header")
		if h == "" {
			h = "ms-diagnostics"
		}
		s += "; " + h + ": " + code
		if r := e.Get("diag.reason"); r != "" {
			s += `;reason="` + r + `"`
		}
	}
	return clip(s)
}

// authScheme names the authentication scheme of a header value.
func authScheme(h string) string {
	h = strings.TrimSpace(h)
	scheme, _, _ := strings.Cut(h, " ")
	switch strings.ToUpper(scheme) {
	case "TLS-DSK", "NTLM", "KERBEROS", "NEGOTIATE", "DIGEST":
		return scheme
	case "":
		return "no credentials"
	}
	return "unknown scheme"
}

// host returns the host of "ip:port" or "host:port".
func host(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 && !strings.Contains(addr[i:], "]") {
		return addr[:i]
	}
	return addr
}

var reContactHost = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)sips?:([a-z0-9.\-]+)`) })

// contactHost returns the host a redirect's Contact points at.
func contactHost(contact string) string {
	if m := reContactHost().FindStringSubmatch(contact); m != nil {
		return m[1]
	}
	return ""
}

// clip bounds a step's detail to maxStepDetail bytes on a rune boundary.
func clip(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= maxStepDetail {
		return s
	}
	cut := maxStepDetail
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// hasCredentials reports whether an Authorization header value carries
// credentials rather than being empty.
func hasCredentials(h string) bool {
	if h == "" {
		return false
	}
	for _, p := range []string{"gssapi-data=", "response="} {
		i := indexFoldASCII(h, p)
		if i < 0 {
			continue
		}
		v := strings.TrimLeft(h[i+len(p):], `"`)
		if v != "" && v[0] != '"' && v[0] != ',' {
			return true
		}
	}
	return false
}

// expiresZero reports whether a REGISTER (or its response) removes the
// registration: Expires: 0, or every Contact with expires=0.
func expiresZero(e *event.Event) bool {
	if strings.TrimSpace(e.Get("sip.header.expires")) == "0" {
		return true
	}
	c := strings.ToLower(e.Get("sip.header.contact"))
	n := strings.Count(c, "expires=")
	return n > 0 && n == strings.Count(c, "expires=0")
}
