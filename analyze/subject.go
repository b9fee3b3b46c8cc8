package analyze

import (
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers"
	"github.com/sfblog/sfblog/signatures"
)

// computerOf returns the computer an event names: an event log record's
// Computer, or the host name of an ipconfig output.
func computerOf(e *event.Event) string {
	switch e.Kind {
	case event.KindRecord:
		return strings.ToLower(e.Get("evt.computer"))
	case event.KindNetCfg:
		return strings.ToLower(e.Get("net.host"))
	}
	return ""
}

// subjectOf says whose sign-in the inputs show: client, address, computer
// and the time span of the evidence.
func subjectOf(results []*input, trs []*tracker, o signatures.Order, key string) Subject {
	s := Subject{Key: key}
	for _, t := range trs {
		if t.address != "" {
			s.Address = t.address
		}
		if t.userAgent != "" {
			s.UserAgent = t.userAgent
		}
	}
	s.Client, s.Version = clientOf(s.UserAgent)
	computers := map[string]int{}
	var first, last, firstLocal, lastLocal *event.Event
	for _, in := range results {
		for c, n := range in.computers {
			computers[c] += n
		}
		for _, e := range []*event.Event{in.first, in.last} {
			if e == nil {
				continue
			}
			if e.Local {
				if firstLocal == nil || e.Time.Before(firstLocal.Time) {
					firstLocal = e
				}
				if lastLocal == nil || e.Time.After(lastLocal.Time) {
					lastLocal = e
				}
				continue
			}
			if first == nil || e.Time.Before(first.Time) {
				first = e
			}
			if last == nil || e.Time.After(last.Time) {
				last = e
			}
		}
	}
	s.Computer = mostNamed(computers)
	switch {
	case firstLocal != nil:
		s.First = event.FormatTime(firstLocal.Time, true)
		s.Last = event.FormatTime(lastLocal.Time, true)
		if o.HasZone {
			// A client log's times have milliseconds: their UTC times
			// are written with three digits, an event log's as they are.
			fu, lu := firstLocal.Time.Add(-o.Zone), lastLocal.Time.Add(-o.Zone)
			s.FirstUTC, s.LastUTC = event.FormatUTCMillis(fu), event.FormatUTCMillis(lu)
			if first != nil && first.Time.Before(fu) {
				s.FirstUTC = event.FormatTime(first.Time, false)
			}
			if last != nil && last.Time.After(lu) {
				s.LastUTC = event.FormatTime(last.Time, false)
			}
		}
	case first != nil:
		s.First = event.FormatTime(first.Time, false)
		s.Last = event.FormatTime(last.Time, false)
		s.FirstUTC, s.LastUTC = s.First, s.Last
	}
	return s
}

// mostNamed returns the name with the highest count (the smallest name on
// a tie), or "".
func mostNamed(counts map[string]int) string {
	best, n := "", 0
	for _, name := range sortedKeys(counts) {
		if counts[name] > n {
			best, n = name, counts[name]
		}
	}
	return best
}

// missingOf says which kinds of evidence the inputs lack, and how to
// collect them, in the report's language.
func missingOf(results []*input, lang string) []Advice {
	has := map[string]bool{}
	for _, in := range results {
		has[in.Format] = true
	}
	why := map[string][2]string{
		"client-logs": {"the client logs show each REGISTER and the server's answer with its ms-diagnostics code: most causes are decided there",
			"クライアント ログには各 REGISTER 要求とサーバーの応答 (ms-diagnostics コード付き) が記録されます。ほとんどの原因はここで判定できます"},
		"event-logs": {"the Application and System event logs hold the client's own error events, DNS-Client time-outs, Time-Service and Schannel errors",
			"アプリケーションとシステムのイベント ログには、クライアント自身のエラー イベント、DNS クライアントのタイムアウト、Time-Service と Schannel のエラーが記録されます"},
	}
	text := func(kind string) string {
		if lang == "ja" {
			return why[kind][1]
		}
		return why[kind][0]
	}
	var out []Advice
	if !has[parsers.UccApilog] {
		out = append(out, Advice{
			Evidence: "client-logs",
			Why:      text("client-logs"),
			Command: `Skype for Business: Options > General > Logging in Skype for Business: Full; sign in again, then zip ` +
				`%LOCALAPPDATA%\Microsoft\Office\16.0\Lync\Tracing (Lync 2013: 15.0; Lync 2010 and Communicator: %USERPROFILE%\Tracing)`,
		})
	}
	if !has[parsers.Evtx] && !has[parsers.EvtText] {
		out = append(out, Advice{
			Evidence: "event-logs",
			Why:      text("event-logs"),
			Command:  `wevtutil epl Application Application.evtx & wevtutil epl System System.evtx`,
		})
	}
	return out
}

// timelineOf renders the attempts for the report, each linked to the
// findings whose evidence lies within it.
func timelineOf(all []*attempt, kept []*signatures.Hit, o signatures.Order) []Attempt {
	out := make([]Attempt, 0, len(all))
	for _, a := range all {
		ids := map[string]bool{}
		for _, h := range kept {
			for _, e := range h.Events {
				if a.holds(e) {
					ids[h.Sig.ID] = true
					break
				}
			}
		}
		r := a.Attempt
		r.Findings = sortedKeys(ids)
		if o.HasZone && a.local && !a.at.IsZero() {
			r.StartUTC = event.FormatUTCMillis(a.at.Add(-o.Zone))
		}
		r.Steps = append([]Step(nil), a.Steps...)
		out = append(out, r)
	}
	return out
}

// ruledOutOf says which input ruled a cause out, and how.
func ruledOutOf(h *signatures.Hit, lang string) RuledOut {
	e := h.RuledOutBy.Event
	reason := e.Get("check.detail")
	if reason == "" {
		// A rule over a log line: name the rule and show the line.
		reason = strings.ReplaceAll(h.RuledOutBy.Rule, "-", " ") + ": " + firstLine(Excerpt(e))
	}
	return RuledOut{ID: h.Sig.ID, Title: h.Sig.In(lang).Title, Rule: h.RuledOutBy.Rule, Path: e.Path, Line: e.Line, Reason: reason}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// inputGroup is the inputs of one user or computer.
type inputGroup struct {
	key    string
	inputs []*input
}

// groupInputs splits the inputs by the user they belong to: the sign-in
// address of the client logs, else the computer named by event logs. An
// input that names neither joins the group of its bundle when that bundle
// holds one user, else the only group; when that is ambiguous it forms a
// group of its own. One group (or none) means one analysis.
func groupInputs(results []*input) []inputGroup {
	keyOf := func(in *input) string {
		if a := strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(in.tr.address, "sip:"), "SIP:")); a != "" {
			return a
		}
		return ""
	}
	byKey := map[string]*inputGroup{}
	var order []string
	bundleKey := map[string]map[string]bool{} // bundle -> user keys
	computerKey := map[string]map[string]bool{}
	add := func(k string, in *input) {
		g, ok := byKey[k]
		if !ok {
			g = &inputGroup{key: k}
			byKey[k] = g
			order = append(order, k)
		}
		g.inputs = append(g.inputs, in)
	}
	var rest []*input
	for _, in := range results {
		k := keyOf(in)
		if k == "" {
			rest = append(rest, in)
			continue
		}
		add(k, in)
		b := bundleOf(in.Path)
		if bundleKey[b] == nil {
			bundleKey[b] = map[string]bool{}
		}
		bundleKey[b][k] = true
		if c := mostNamed(in.computers); c != "" {
			if computerKey[c] == nil {
				computerKey[c] = map[string]bool{}
			}
			computerKey[c][k] = true
		}
	}
	// Inputs without an address: by computer, then by bundle, then the
	// only user; event logs of other computers form their own group.
	for _, in := range rest {
		if c := mostNamed(in.computers); c != "" {
			if ks := computerKey[c]; len(ks) == 1 {
				add(sortedKeys(ks)[0], in)
				continue
			}
		}
		if ks := bundleKey[bundleOf(in.Path)]; len(ks) == 1 {
			add(sortedKeys(ks)[0], in)
			continue
		}
		if len(order) <= 1 && !isOtherComputer(in, computerKey) {
			if len(order) == 0 {
				add("", in)
			} else {
				add(order[0], in)
			}
			continue
		}
		k := "computer " + mostNamed(in.computers)
		if mostNamed(in.computers) == "" {
			k = "inputs of no identified user"
		}
		add(k, in)
	}
	out := make([]inputGroup, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	return out
}

// isOtherComputer reports whether the input names a computer that no
// user's client logs are known to run on, while some are known.
func isOtherComputer(in *input, computerKey map[string]map[string]bool) bool {
	c := mostNamed(in.computers)
	if c == "" || len(computerKey) == 0 {
		return false
	}
	_, known := computerKey[c]
	return !known
}

// bundleOf returns the outermost zip (or the folder) an input came from.
func bundleOf(path string) string {
	if b, _, ok := strings.Cut(path, "!/"); ok {
		return b
	}
	i := strings.LastIndexAny(path, `/\`)
	if i < 0 {
		return ""
	}
	return path[:i]
}
