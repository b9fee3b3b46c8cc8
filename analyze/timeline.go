package analyze

import (
	"sort"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/signatures"
)

// signIn orders the attempts of every input on one time line, numbers
// them and decides the outcome: failed, succeeded, recovered (failed, then
// succeeded) or unknown. It returns the attempts in time order.
func signIn(trs []*tracker, o signatures.Order) (SignIn, []*attempt) {
	s := SignIn{Outcome: OutcomeUnknown}
	var all []*attempt
	untimed := 0
	for _, t := range trs {
		all = append(all, t.attempts...)
		s.Attempts += len(t.attempts) + t.dropped
		s.Registers += t.registers
		s.Refusals += t.refusals
		s.Errors += t.errors
		untimed += t.untimed
		if t.address != "" {
			s.Address = t.address
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return attemptBefore(all[i], all[j], o) })
	all, copies := dropCopies(all)
	for c := range copies {
		s.Attempts--
		s.Registers -= c.registers
		s.Refusals -= c.refusals
		s.Errors -= c.errors
	}
	s.Copies = len(copies)
	var lastDone *attempt
	for _, t := range trs {
		// Attempts past the cap are counted, and the last of them may be
		// the one that decides the outcome.
		s.Failures += t.droppedFailed
		if a := t.lastDropped; a != nil && (lastDone == nil || attemptBefore(lastDone, a, o)) {
			lastDone = a
		}
	}
	dropTrackerCopies(&s, trs, copies)
	for i, a := range all {
		a.N = i + 1
		if a.done && (lastDone == nil || !attemptBefore(a, lastDone, o)) {
			lastDone = a
		}
		if a.done && !a.succeeded {
			s.Failures++
			if s.FirstFailure == "" {
				s.FirstFailure = a.Start
			}
			s.LastFailure = a.End
		}
	}
	for _, t := range trs {
		if a := t.lastDropped; a != nil && !a.succeeded && (s.LastFailure == "" || a.End > s.LastFailure) {
			s.LastFailure = a.End // times of one client, as written: they sort as text
		}
	}
	switch {
	case untimed > 0 && (lastDone == nil || lastDone.succeeded):
		// A failure text with no time (a pasted note) cannot be placed
		// before or after the logs' attempts: the user reports a failure.
		s.Outcome = OutcomeFailed
		if lastDone != nil && !lastDone.succeeded {
			s.LastTime = lastDone.End
		}
	case lastDone == nil:
	case !lastDone.succeeded:
		s.Outcome = OutcomeFailed
		s.LastTime = lastDone.End
	case s.Failures > 0:
		s.Outcome = OutcomeRecovered
		s.LastTime, s.SucceededAt = lastDone.End, lastDone.End
	default:
		s.Outcome = OutcomeSucceeded
		s.LastTime = lastDone.End
	}
	return s, all
}

// attemptBefore orders attempts by their start, placing local client-log
// times in UTC when the zone is known; attempts of one file by line.
func attemptBefore(a, b *attempt, o signatures.Order) bool {
	if before, ok := o.Before(a.ref(), b.ref()); ok {
		return before
	}
	if a.path != b.path {
		return a.path < b.path
	}
	return a.from < b.from
}

// ref is an event standing for the start of the attempt, for ordering.
func (a *attempt) ref() *event.Event {
	return &event.Event{Path: a.path, Line: a.from, Time: a.at, Local: a.local}
}

// end is an event standing for the end of the attempt.
func (a *attempt) end() *event.Event {
	return &event.Event{Path: a.Path, Line: a.Line, Time: a.at, Local: a.local}
}

// holds reports whether e lies inside the attempt (same file, within its
// lines).
func (a *attempt) holds(e *event.Event) bool {
	return e.Path == a.path && e.Line >= a.from && e.Line <= a.to
}

// lastSuccess returns the attempt that decided a recovered or succeeded
// outcome, or nil.
func lastSuccess(all []*attempt) *attempt {
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].done {
			if all[i].succeeded {
				return all[i]
			}
			return nil
		}
	}
	return nil
}

// before reports whether some event of es happened before the success (or
// cannot be placed after it): the evidence of a failure that the later
// success recovered from.
func beforeSuccess(es []*event.Event, ok *attempt, o signatures.Order) bool {
	if ok == nil {
		return true
	}
	ref := ok.end()
	for _, e := range es {
		if after, known := o.Before(ref, e); !known || !after {
			return true
		}
	}
	return false
}

// clientOf reads the client product and version from a User-Agent such as
// "UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 (Skype for Business)".
func clientOf(ua string) (client, version string) {
	for _, f := range strings.Fields(ua) {
		if v, ok := strings.CutPrefix(f, "OC/"); ok {
			version = v
		}
	}
	if version == "" {
		for _, f := range strings.Fields(ua) {
			if v, ok := strings.CutPrefix(f, "UCCAPI/"); ok {
				version = v
			}
		}
	}
	if i, j := strings.IndexByte(ua, '('), strings.LastIndexByte(ua, ')'); i >= 0 && j > i {
		client = strings.TrimSpace(ua[i+1 : j])
	}
	major, _, _ := strings.Cut(version, ".")
	release := map[string]string{
		"2": "Office Communicator 2007", "3": "Office Communicator 2007 R2", "4": "Lync 2010",
		"15": "Lync 2013", "16": "Skype for Business 2015/2016",
	}[major]
	switch {
	case client == "" && release != "":
		client = release
	case release != "" && !strings.Contains(client, release):
		client += " (" + release + ")"
	}
	return client, version
}
