package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/sfblog/sfblog/analyze"
)

// This file holds what every human-readable format says, computed once
// from the report: the header rows, the sign-in counts, what each input
// held, the timeline entries. Values are plain text as in the report
// (not yet escaped); each writer escapes them its own way.

// field is one labelled value of a report's header.
type field struct {
	Label string
	Value string
	Code  bool // the value is a command, a header or an identifier: shown as code
}

// headerFields says whose sign-in the evidence shows: client, sign-in
// address, computer, time span, client clock and the sign-in counts.
// Only what is known is listed.
func (l lang) headerFields(r *analyze.Report) []field {
	s := r.Subject
	var out []field
	add := func(label, value string, code bool) {
		if value != "" {
			out = append(out, field{Label: label, Value: value, Code: code})
		}
	}
	client := strings.TrimSpace(s.Client + " " + s.Version)
	add(l.t("Client"), client, false)
	add(l.t("User agent"), s.UserAgent, true)
	addr := s.Address
	if addr == "" {
		addr = r.SignIn.Address
	}
	add(l.t("Sign-in address"), addr, false)
	add(l.t("Computer"), s.Computer, false)
	sameUTC := s.First == s.FirstUTC && s.Last == s.LastUTC
	if (s.First != "" || s.Last != "") && !sameUTC {
		add(l.t("Evidence from"), l.f("%s to %s (as written in the logs)", orDash(s.First), orDash(s.Last)), false)
	}
	if s.FirstUTC != "" || s.LastUTC != "" {
		add(l.t("Evidence from (UTC)"), l.f("%s to %s", orDash(s.FirstUTC), orDash(s.LastUTC)), false)
	}
	if c := r.Clock; c.ClientUTCOffset != "" {
		how := l.t("from the server Date headers")
		if c.Source == "flag" {
			how = l.t("as given with --client-utc-offset")
		}
		add(l.t("Client clock"), l.f("local time, UTC%s (%s)", c.ClientUTCOffset, how), false)
	}
	add(l.t("Sign-in"), l.signInCounts(r.SignIn), false)
	return out
}

// orDash returns s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// signInCounts renders what the counters of the sign-in mean, or "" when
// the inputs show no sign-in: attempts and failures, REGISTER requests
// (challenges and redirects included), the server's refusals and the
// errors the user saw, and the attempts that a copy of a log held again.
func (l lang) signInCounts(s analyze.SignIn) string {
	if s.Attempts == 0 && s.Failures == 0 && s.Registers == 0 && s.Refusals == 0 && s.Errors == 0 && s.LastTime == "" {
		return ""
	}
	d := strings.Join([]string{
		l.count(s.Attempts, "%d attempt", "%d attempts") + l.f(" (%d failed)", s.Failures),
		l.count(s.Registers, "%d REGISTER request", "%d REGISTER requests"),
		l.count(s.Refusals, "%d refusal by the server", "%d refusals by the server"),
		l.count(s.Errors, "%d error shown to the user", "%d errors shown to the user"),
	}, l.t(", "))
	if s.Copies > 0 {
		d += l.count(s.Copies, "; %d attempt found again in a copy of a log (counted once)", "; %d attempts found again in a copy of a log (counted once)")
	}
	if s.LastTime != "" {
		d += l.f("; deciding event at %s", s.LastTime)
	}
	return d
}

// kindOrder is the order in which what an input held is listed: the
// order of the kinds in package event, most telling first.
var kindOrder = []string{"sip", "uitext", "log", "hresult", "record", "dns", "clock", "registry", "proxy", "netcfg", "cert", "directory", "check"}

// kindsPhrase says what an input held: "412 SIP messages, 3 log warnings
// and errors". Unknown kinds follow the known ones by name.
func (l lang) kindsPhrase(kinds map[string]int) string {
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index(kindOrder, k); i >= 0 {
			return i
		}
		return len(kindOrder)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, k := range keys {
		if n := kinds[k]; n > 0 {
			parts = append(parts, l.kindCount(k, n))
		}
	}
	return strings.Join(parts, l.t(", "))
}

// kindCount renders n events of one kind.
func (l lang) kindCount(kind string, n int) string {
	switch kind {
	case "sip":
		return l.count(n, "%d SIP message", "%d SIP messages")
	case "uitext":
		return l.count(n, "%d error text shown to the user", "%d error texts shown to the user")
	case "log":
		return l.count(n, "%d log warning or error", "%d log warnings and errors")
	case "hresult":
		return l.count(n, "%d HRESULT code", "%d HRESULT codes")
	case "record":
		return l.count(n, "%d event record", "%d event records")
	case "dns":
		return l.count(n, "%d DNS look-up", "%d DNS look-ups")
	case "clock":
		return l.count(n, "%d clock reading", "%d clock readings")
	case "registry":
		return l.count(n, "%d registry value", "%d registry values")
	case "proxy":
		return l.count(n, "%d proxy setting", "%d proxy settings")
	case "netcfg":
		return l.count(n, "%d IP configuration", "%d IP configurations")
	case "cert":
		return l.count(n, "%d certificate", "%d certificates")
	case "directory":
		return l.count(n, "%d directory user", "%d directory users")
	case "check":
		return l.count(n, "%d derived check", "%d derived checks")
	}
	return strconv.Itoa(n) + " " + kind
}

// inputSummary says what one input is and held: "uccapilog, 1523 events:
// 412 SIP messages, 3 log warnings and errors".
func (l lang) inputSummary(in analyze.Input) string {
	s := in.Format + l.t(", ") + l.count(in.Events, "%d event", "%d events")
	if k := l.kindsPhrase(in.Kinds); k != "" {
		s += l.t(": ") + k
	}
	for _, n := range l.inputNotes(in) {
		s += l.t("; ") + n
	}
	return s
}

// inputNotes says what an input's evidence rules out, and whose copy it
// is.
func (l lang) inputNotes(in analyze.Input) []string {
	var notes []string
	if len(in.RuledOut) > 0 {
		notes = append(notes, l.f("rules out %s", strings.Join(in.RuledOut, l.t(", "))))
	}
	if in.CopyOf != "" {
		notes = append(notes, l.f("a copy of (part of) %s: its events are counted once, there", in.CopyOf))
	}
	return notes
}

// evidenceName names a kind of evidence the inputs lack.
func (l lang) evidenceName(kind string) string {
	switch kind {
	case "client-logs":
		return l.t("Client logs (UccApilog)")
	case "event-logs":
		return l.t("Windows event logs")
	case "dns":
		return l.t("DNS look-ups")
	case "time":
		return l.t("Clock state")
	case "registry":
		return l.t("Registry export")
	case "directory":
		return l.t("Directory (AD) attributes")
	case "network", "netcfg":
		return l.t("IP configuration")
	case "proxy":
		return l.t("Proxy settings")
	case "cert", "certificates":
		return l.t("Certificates")
	}
	return kind
}

// severityName and confidenceName translate the enum values the report
// shows to a person; JSON and JUnit keep them as they are.
func (l lang) severityName(s string) string {
	switch s {
	case analyze.SeverityError:
		return l.t("error")
	case analyze.SeverityWarning:
		return l.t("warning")
	case analyze.SeverityInfo:
		return l.t("info")
	}
	return s
}

func (l lang) confidenceName(c string) string {
	switch c {
	case analyze.Confirmed:
		return l.t("confirmed")
	case analyze.Possible:
		return l.t("possible")
	}
	return c
}

func (l lang) outcomeName(o string) string {
	switch o {
	case analyze.OutcomeFailed:
		return l.t("failed")
	case analyze.OutcomeSucceeded:
		return l.t("succeeded")
	case analyze.OutcomeRecovered:
		return l.t("recovered")
	case analyze.OutcomeUnknown, "":
		return l.t("unknown")
	}
	return o
}

// ruledOutLine renders "SFB-X ruled out by dns-sip.txt:3: reason".
func (l lang) ruledOutLine(ro analyze.RuledOut, where string) string {
	s := l.f("%s ruled out by %s", ro.ID, where)
	if ro.Reason != "" {
		s += l.t(": ") + ro.Reason
	}
	return s
}

// ruledOutWhere is where a ruled-out cause's evidence is: path:line.
func ruledOutWhere(ro analyze.RuledOut) string {
	return location(analyze.Evidence{Path: ro.Path, Line: ro.Line})
}

// deciding returns the evidence that decides a finding: Deciding, or the
// first evidence; ok is false when the finding has neither.
func deciding(f *analyze.Finding) (analyze.Evidence, bool) {
	if f.Deciding != nil {
		return *f.Deciding, true
	}
	if len(f.Evidence) > 0 {
		return f.Evidence[0], true
	}
	return analyze.Evidence{}, false
}

// otherEvidence is a finding's evidence without the deciding excerpt, and
// how many events the deciding excerpt stands for (its count in the
// evidence list when it is there).
func otherEvidence(f *analyze.Finding) (others []analyze.Evidence, count int) {
	d, ok := deciding(f)
	if !ok {
		return nil, 0
	}
	count = max(d.Count, 1)
	skipped := false
	for _, e := range f.Evidence {
		if !skipped && e.Path == d.Path && e.Line == d.Line && e.RecordID == d.RecordID && e.Excerpt == d.Excerpt {
			skipped = true
			count = max(count, e.Count)
			continue
		}
		others = append(others, e)
	}
	return others, count
}

// sameStory reports whether an entry has the servers, authentication and
// decisive response of the one before it.
func sameStory(a, b entry) bool {
	return slices.Equal(a.Servers, b.Servers) && slices.Equal(a.Auth, b.Auth) && a.Decisive == b.Decisive
}

// maxTimelineRows is the number of attempts listed one by one; a longer
// timeline collapses runs of alike attempts into one entry.
const maxTimelineRows = 12

// entry is one row of the timeline: an attempt, or a run of consecutive
// attempts with the same outcome, decisive response and findings.
type entry struct {
	First, Last int // attempt numbers
	Start, End  string
	StartUTC    string
	Outcome     string
	Servers     []string
	Auth        []string
	Decisive    string
	Short       string // the decisive response in a few characters ("404 · 4005")
	Path        string
	Line        int
	Findings    []string
}

// Count is the number of attempts the entry stands for.
func (e entry) Count() int { return e.Last - e.First + 1 }

// timeline turns the attempts into entries; sep separates status and
// code in Short.
func timeline(as []analyze.Attempt, sep string) []entry {
	out := make([]entry, 0, len(as))
	for _, a := range as {
		e := entry{
			First: a.N, Last: a.N, Start: a.Start, End: a.End, StartUTC: a.StartUTC,
			Outcome: a.Outcome, Decisive: a.Decisive, Path: a.Path, Line: a.Line,
			Findings: a.Findings,
		}
		if a.Decisive != "" {
			e.Short = shortResponse(a.Decisive, sep)
		}
		for _, st := range a.Steps {
			if st.Server != "" && !slices.Contains(e.Servers, st.Server) {
				e.Servers = append(e.Servers, st.Server)
			}
			if st.Kind == "auth" && st.Detail != "" {
				e.Auth = append(e.Auth, st.Detail)
			}
		}
		out = append(out, e)
	}
	if len(out) <= maxTimelineRows {
		return out
	}
	var merged []entry
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && alike(out[i], out[j]) {
			j++
		}
		if j-i >= 3 {
			e := out[i]
			e.Last = out[j-1].Last
			e.End = out[j-1].End
			if e.End == "" {
				e.End = out[j-1].Start
			}
			merged = append(merged, e)
		} else {
			merged = append(merged, out[i:j]...)
		}
		i = j
	}
	return merged
}

// alike reports whether two attempts tell the same story.
func alike(a, b entry) bool {
	return a.Outcome == b.Outcome && a.Short == b.Short && (a.Short != "" || a.Decisive == b.Decisive) &&
		slices.Equal(a.Findings, b.Findings) && slices.Equal(a.Servers, b.Servers)
}

// entryNumber renders an entry's attempt number: "3" or "3-40".
func entryNumber(e entry, dash string) string {
	if e.First == e.Last {
		return strconv.Itoa(e.First)
	}
	return strconv.Itoa(e.First) + dash + strconv.Itoa(e.Last)
}

// entryTime renders when an entry happened: its start, or the span of a
// run of attempts.
func (l lang) entryTime(e entry) string {
	if e.First != e.Last && e.End != "" {
		return l.f("%s to %s", e.Start, e.End)
	}
	return e.Start
}

// groupsHeadline says that the inputs hold several users and that each is
// analysed on its own.
func (l lang) groupsHeadline(n int) string {
	return l.f("%d users in these inputs: each is analysed on its own", n)
}

// groupTitle names one group: "User 1 of 2: bob@contoso.com".
func (l lang) groupTitle(i, n int, g *analyze.Report) string {
	key := g.Subject.Key
	if key == "" {
		key = g.Subject.Address
	}
	if key == "" {
		key = g.SignIn.Address
	}
	if key == "" {
		return l.f("User %d of %d", i+1, n)
	}
	return l.f("User %d of %d: %s", i+1, n, key)
}
