package evttext

import (
	"regexp"
	"strings"
	"sync"
)

// A dataValue is an insertion string recovered from a rendered message,
// named as the provider's manifest names it in EventData.
type dataValue struct {
	name, value string
}

// A rule recovers insertion strings from the message of one kind of event.
type rule struct {
	provider string
	ids      []string
	// res are tried in order; each names its values with named groups,
	// the group name being the EventData name. A value found by an
	// earlier expression is not replaced by a later one.
	res []*regexp.Regexp
}

// rules returns, compiled on first use, the rules that recover the data
// values the signature catalog reads from events whose export kept only
// the rendered message. Only events whose message template is published
// are listed; for the others (the Communicator /
// Lync client events, Time-Service, Security-Kerberos) the message itself,
// which Parse puts in evt.data.all, is what the rules match.
//
//   - Microsoft-Windows-DNS-Client 1014: "Name resolution for the name %1
//     timed out after none of the configured DNS servers responded."
//     EventData QueryName (Windows 10 adds " Client PID N."). Seen in
//     MicrosoftDocs/SupportArticles-docs and in exported logs quoted in
//     public repositories; log-facts.md §5.
//   - Schannel 36884 "... The server name we were expecting is %1. The TLS
//     connection request has failed ..." (older builds: "SSL"), EventData
//     Name; 36887 "... The TLS protocol defined fatal alert code is %1.",
//     EventData AlertDesc; 36888 "... The TLS protocol defined fatal alert
//     code is %1. Target name: %3" (Windows 10), or "... fatal error code
//     is %1. The Windows SChannel error state is %2." (Windows 8.1 / 2012
//     R2), EventData AlertDesc, ErrorState, TargetName. Windows 7 wrote
//     "The following fatal alert was received: %1." / "... generated: %1.
//     The internal error state is %2.". Sources: the Schannel provider's
//     message table (learn.microsoft.com "Schannel Events", dn786445), the
//     blogs.msdn.microsoft.com/kaushal 2012-10-05 sample of the Windows 7
//     text.
//   - Microsoft-Windows-Security-Auditing 4768 "Result Code:", 4769 and
//     4771 "Failure Code:", EventData Status (MicrosoftDocs
//     windows-itpro-docs auditing/event-4771.md, event-4768.md,
//     event-4769.md).
var rules = sync.OnceValue(func() []rule {
	return []rule{
		{
			provider: "Microsoft-Windows-DNS-Client",
			ids:      []string{"1014"},
			res: []*regexp.Regexp{
				regexp.MustCompile(`(?i)\bName resolution for the name (?P<QueryName>\S+) timed out\b`),
			},
		},
		{
			provider: "Schannel",
			ids:      []string{"36884"},
			res: []*regexp.Regexp{
				regexp.MustCompile(`(?i)\bThe server name we were expecting is (?P<Name>\S+?)\.?\s+The (?:TLS|SSL|DTLS) connection request has failed`),
			},
		},
		{
			provider: "Schannel",
			ids:      []string{"36887", "36888"},
			res: []*regexp.Regexp{
				regexp.MustCompile(`(?i)\bfatal (?:alert|error) code is (?P<AlertDesc>\d+)`),
				regexp.MustCompile(`(?i)\bThe following fatal alert was (?:received|generated): (?P<AlertDesc>\d+)`),
				regexp.MustCompile(`(?i)\berror state is (?P<ErrorState>\d+)`),
				regexp.MustCompile(`(?im)^\s*Target name: (?P<TargetName>\S+?)\s*$`),
			},
		},
		{
			provider: "Microsoft-Windows-Security-Auditing",
			ids:      []string{"4768", "4769", "4771"},
			res: []*regexp.Regexp{
				regexp.MustCompile(`(?im)^\s*(?:Failure|Result) Code:\s*(?P<Status>0x[0-9a-f]+)\s*$`),
			},
		},
	}
})

// extract returns the data values recovered from msg for an event of
// provider and id, in the order of the rule's expressions.
func extract(provider, id, msg string) []dataValue {
	if msg == "" {
		return nil
	}
	var out []dataValue
	for _, r := range rules() {
		if !strings.EqualFold(r.provider, provider) || !contains(r.ids, id) {
			continue
		}
		for _, re := range r.res {
			m := re.FindStringSubmatch(msg)
			if m == nil {
				continue
			}
			for i, name := range re.SubexpNames() {
				if name == "" || m[i] == "" || has(out, name) {
					continue
				}
				out = append(out, dataValue{name, m[i]})
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func has(vs []dataValue, name string) bool {
	for _, v := range vs {
		if v.name == name {
			return true
		}
	}
	return false
}
