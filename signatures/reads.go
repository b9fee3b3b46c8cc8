package signatures

import (
	"slices"

	"github.com/sfblog/sfblog/event"
)

// sourceNames name, for a person, the inputs a rule reads: the event
// kinds, and for the analyzer's derived checks the file that feeds them.
var sourceNames = map[string]string{
	event.KindSIP:            "client log (SIP)",
	event.KindLog:            "client log",
	event.KindHRESULT:        "client log (HRESULT)",
	event.KindUIText:         "error text",
	event.KindRecord:         "event log",
	"check:dns.sip":          "DNS look-up",
	"check:dns.lyncdiscover": "DNS look-up",
	"check:dns.sip_tls":      "DNS look-up",
	"check:dns.all":          "DNS look-up",
	"check:clock.offset":     "w32tm / MSOIdentityCRL ClockSkew",
	"check:trust.domain":     "Communicator policy (.reg)",
	"check:ad.sip_enabled":   "directory export",
	"check:proxy.signin":     "proxy settings + client log",
	"check:cert.adfs":        "certutil -verify",
	event.KindDNS:            "DNS look-up",
	event.KindClock:          "w32tm",
	event.KindRegistry:       "registry export",
	event.KindProxy:          "proxy settings",
	event.KindNetCfg:         "ipconfig",
	event.KindCert:           "certificate",
	event.KindDirectory:      "directory export",
}

// Reads says, for each role (RoleDecides, RoleSymptom, RoleRulesOut), which
// inputs can play it for this signature, named for a person ("client log
// (SIP)", "DNS look-up", "directory export"), sorted and without repeats.
func (s *Signature) Reads() map[string][]string {
	out := map[string][]string{}
	add := func(role, key string) {
		name, ok := sourceNames[key]
		if !ok {
			name = key
		}
		if !slices.Contains(out[role], name) {
			out[role] = append(out[role], name)
		}
	}
	side := func(role string, kinds []string, when *Cond) {
		for _, k := range kinds {
			if k != event.KindCheck {
				add(role, k)
				continue
			}
			names := when.values("check.name")
			if len(names) == 0 {
				add(role, "derived check")
			}
			for _, n := range names {
				add(role, "check:"+n)
			}
		}
	}
	for _, ev := range s.Evidence {
		if ev.When != nil {
			side(ev.Role, ev.Kind, ev.When)
			continue
		}
		side(ev.Role, ev.Correlate.First.Kind, ev.Correlate.First.When)
		side(ev.Role, ev.Correlate.Second.Kind, ev.Correlate.Second.When)
	}
	for role := range out {
		slices.Sort(out[role])
	}
	return out
}

// values returns the operands of the equals and one_of conditions on field
// anywhere in c.
func (c *Cond) values(field string) []string {
	if c == nil {
		return nil
	}
	var out []string
	if c.Field == field && (c.Op == "equals" || c.Op == "one_of") {
		out = append(out, c.Str...)
	}
	for _, sub := range append(append([]*Cond{}, c.All...), c.Any...) {
		out = append(out, sub.values(field)...)
	}
	return out
}
