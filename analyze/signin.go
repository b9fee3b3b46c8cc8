package analyze

import (
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/event"
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

// register is what a REGISTER request said, remembered for its response.
type register struct {
	credentials bool
	unregister  bool // Expires: 0, the client signing out
}

// tracker follows the REGISTER transactions of one input, marks each
// response as a success, a failure or an authentication challenge, and
// keeps the events that decide the sign-in outcome.
type tracker struct {
	pending  map[string]register // Call-ID + CSeq number
	results  []*event.Event      // successes and failures, in input order
	attempts int
	address  string // From URI of the last REGISTER sent
}

func newTracker() *tracker { return &tracker{pending: map[string]register{}} }

// annotate adds the derived fields to e and remembers sign-in results.
func (t *tracker) annotate(e *event.Event) {
	switch e.Kind {
	case event.KindUIText:
		if e.Get("ui.key") != "trust-prompt" {
			e.Set(FieldResult, "failure")
			t.results = append(t.results, e)
		}
	case event.KindSIP:
		if uri := e.Get("sip.from.uri"); uri != "" {
			if _, domain, ok := strings.Cut(uri, "@"); ok {
				domain, _, _ = strings.Cut(domain, ";")
				e.Set("sip.from.domain", strings.ToLower(domain))
			}
		}
		t.sip(e)
	}
}

func (t *tracker) sip(e *event.Event) {
	key := e.Get("sip.call_id") + "\x00" + e.Get("sip.cseq.number")
	if e.Get("sip.type") == "request" {
		if !strings.EqualFold(e.Get("sip.method"), "REGISTER") || e.Get("sip.direction") != "sent" {
			return
		}
		r := register{
			credentials: hasCredentials(e.Get("sip.header.authorization")) || hasCredentials(e.Get("sip.header.proxy-authorization")),
			unregister:  expiresZero(e),
		}
		t.pending[key] = r
		if !r.unregister {
			t.attempts++
			if a := e.Get("sip.from.uri"); a != "" {
				t.address = a
			}
		}
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
	if !seen {
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
		challenge := e.Get("sip.header.www-authenticate") + e.Get("sip.header.proxy-authenticate")
		if req.credentials && !strings.Contains(strings.ToLower(challenge), "gssapi-data") {
			result = "failure"
		} else {
			result = "challenge"
		}
	default:
		result = "failure"
	}
	e.Set(FieldResult, result)
	if result == "success" || result == "failure" {
		t.results = append(t.results, e)
	}
}

// hasCredentials reports whether an Authorization header value carries
// credentials rather than being empty.
func hasCredentials(h string) bool {
	if h == "" {
		return false
	}
	l := strings.ToLower(h)
	for _, p := range []string{"gssapi-data=", "response="} {
		i := strings.Index(l, p)
		if i < 0 {
			continue
		}
		v := strings.TrimLeft(l[i+len(p):], `"`)
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
