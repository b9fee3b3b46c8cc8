// Package analyze runs the pipeline: it reads every input of a bundle with
// the parser of its format, matches the events against the signature
// catalog, decides whether the user finally signed in, and builds the
// findings of the report.
package analyze

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/bundle"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/stage"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/parsers"
	"github.com/sfblog/sfblog/parsers/uccapilog"
	"github.com/sfblog/sfblog/redact"
	"github.com/sfblog/sfblog/signatures"
)

// DefaultMaxEvidence is how many evidence excerpts a finding shows.
const DefaultMaxEvidence = 5

// Options tune an analysis.
type Options struct {
	MaxEvidence  int       // excerpts per finding; 0 means DefaultMaxEvidence
	Since, Until time.Time // only consider evidence in this window (zero: open)
	Version      string    // sfblog version for the report
	Stdin        io.Reader // read for the path "-"
	Jobs         int       // inputs parsed at once; 0 means GOMAXPROCS
	// Redact also masks personal data (sign-in addresses, user and host
	// names, IP addresses, SIDs) in excerpts, messages and the sign-in
	// address, with pseudonyms that are consistent within one report.
	Redact bool
	// Lang is the language of the findings' texts: "" or "en", or a
	// language of signatures.Languages (untranslated texts stay English).
	Lang string
	// ClientOffset, when set, is the client's offset from UTC, used instead
	// of the one estimated from SIP Date headers.
	ClientOffset *time.Duration
	Bundle       bundle.Options
}

// Analyzer matches inputs against a compiled catalog.
type Analyzer struct {
	m   *signatures.Matcher
	opt Options
	tap func(*event.Event) error // sees every event (sfblog parse)
	sip sipFilter                // the SIP blocks of a client log the analysis reads
}

// New returns an Analyzer for the catalog compiled in m.
func New(m *signatures.Matcher, opt Options) *Analyzer {
	if opt.MaxEvidence <= 0 {
		opt.MaxEvidence = DefaultMaxEvidence
	}
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.GOMAXPROCS(0)
	}
	return &Analyzer{m: m, opt: opt, sip: newSIPFilter(m)}
}

// ErrNoInput is returned when not one input could be read.
var ErrNoInput = errors.New("no input could be read")

// input is what reading one file produced.
type input struct {
	Input
	col       *signatures.Collector
	tr        *tracker
	zone      zoneVotes
	first     *event.Event     // &firstAt once an event has a time
	last      *event.Event     // &lastAt
	firstAt   event.Event      // the time of the earliest event (Time and Local only)
	lastAt    event.Event      // the time of the latest event
	skipped   bool             // a SIP block was counted without its event
	computers map[string]int   // computer names the events name, with counts
	facts     *facts           // what derived checks need
	red       *redact.Redactor // learns personal names, with --redact
	readErr   bool             // nothing of it could be read
}

// Run analyses the files under paths (zips, folders, single files, "-").
// It returns ErrNoInput, with the report, when no input could be read.
func (a *Analyzer) Run(ctx context.Context, paths []string) (*Report, error) {
	opt := a.opt.Bundle
	if opt.Stdin == nil {
		opt.Stdin = a.opt.Stdin
	}
	// Inputs are parsed concurrently, at most Jobs at once. An entry of a
	// (nested) zip can only be read while the walk is inside that zip, so
	// the walk waits for the parses in flight before it leaves an archive
	// (Settle). Results keep the walk's order: the report is the same
	// whatever the scheduling.
	var (
		results []*input
		mu      sync.Mutex
		wg      sync.WaitGroup
		sem     = make(chan struct{}, a.opt.Jobs)
	)
	opt.Settle = wg.Wait
	var red *redact.Redactor
	if a.opt.Redact {
		// Learns names from every event (computers, accounts) so that it
		// can replace them wherever they appear in the report.
		red = redact.New()
	}
	err := bundle.Walk(ctx, paths, opt, func(e *bundle.Entry) error {
		mu.Lock()
		i := len(results)
		results = append(results, nil)
		mu.Unlock()
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			in := a.readEntry(ctx, e, red)
			mu.Lock()
			results[i] = in
			mu.Unlock()
		}()
		return ctx.Err()
	})
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := a.finish(results)
	if red != nil {
		redactReport(r, red)
	}
	for _, in := range results {
		if !in.readErr {
			return r, nil
		}
	}
	return r, ErrNoInput
}

// Events reads the inputs under paths and calls fn with every event, in
// input order, after the analyzer's derived fields were added. It returns
// the inputs as the report would list them.
func (a *Analyzer) Events(ctx context.Context, paths []string, fn func(*event.Event) error) ([]Input, error) {
	a2 := *a
	a2.tap = fn
	a2.opt.Jobs = 1 // fn sees the events in input order, one input at a time
	r, err := a2.Run(ctx, paths)
	if r == nil {
		return nil, err
	}
	return r.Inputs, err
}

// readEntry parses one bundle entry, whatever its state: a damaged or
// unrecognised file becomes an Input with errors, never a failed run.
func (a *Analyzer) readEntry(ctx context.Context, e *bundle.Entry, red *redact.Redactor) (in *input) {
	in = a.newInput(e.Path)
	in.red = red
	// The collector is kept until every input is read: what only its
	// observations needed goes now.
	defer in.col.Done()
	// A message may quote a path as the system spelled it (an open
	// error's), or a part of the input: secrets in it are masked too.
	defer func() {
		for i, m := range in.Errors {
			in.Errors[i] = mask.Secrets(m)
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			in.Errors = append(in.Errors, fmt.Sprintf("internal error while reading: %v", p))
		}
	}()
	unreadable := func(err error) *input {
		in.Errors = append(in.Errors, err.Error())
		in.readErr = true
		return in
	}
	in.Format = parsers.Unrecognized
	if e.Err != nil {
		return unreadable(e.Err)
	}
	if what := parsers.Sidecar(e.Path); what != "" {
		// Known by its name, before its content is sniffed: its message
		// templates would read as free text.
		in.Errors = append(in.Errors, "not read: "+what)
		in.readErr = true
		return in
	}
	// One stream serves both the format sniffing and a text parser.
	rc, err := e.Open()
	if err != nil {
		return unreadable(err)
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, parsers.HeadSize)
	head, err := br.Peek(parsers.HeadSize)
	if err != nil && err != io.EOF {
		if len(head) == 0 {
			return unreadable(fmt.Errorf("read: %w", err))
		}
		// A file that ends early (a gzip or tar cut short, a read error)
		// is read as far as it goes: the parser gets its first bytes, then
		// the error, which it reports with what it read.
		head = bytes.Clone(head)
		br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(head), failReader{err}), parsers.HeadSize)
		if parsers.Sniff(head) == parsers.Unrecognized {
			in.Errors = append(in.Errors, fmt.Sprintf("read: %v", err))
		}
	}
	if what := parsers.OwnOutput(head); what != "" {
		in.Errors = append(in.Errors, "not read: "+what)
		in.readErr = true
		return in
	}
	in.Format = parsers.Sniff(head)
	var problems []event.Problem
	switch in.Format {
	case parsers.Unrecognized:
		if len(head) == 0 {
			return unreadable(errors.New("empty file"))
		}
		if what := parsers.Describe(e.Path, head); what != "" {
			in.Errors = append(in.Errors, "not read: "+what)
		}
		in.readErr = true
		return in
	case parsers.Evtx:
		// An event log needs random access: open it again as a seeker.
		rs, err := e.OpenSeeker()
		if err != nil {
			return unreadable(err)
		}
		defer rs.Close()
		problems, err = parsers.ParseEvtx(ctx, e.Path, rs, e.Size, in.sink(a))
		if err != nil {
			in.Errors = append(in.Errors, onePath(err.Error(), e.Path))
		}
	default:
		opt := parsers.TextOptions{}
		if a.tap != nil {
			// sfblog parse shows every event, in order, as they come.
			problems, err = opt.Parse(ctx, in.Format, e.Path, br, in.sink(a))
			if err != nil {
				in.Errors = append(in.Errors, onePath(err.Error(), e.Path))
			}
			break
		}
		// An analysis reads only the SIP blocks that something reads, and
		// analyses the events on a goroutine of its own.
		st := stage.New(in.sink(a), in.skippedSIP(a))
		opt.KeepSIP = in.keepSIP(a, st.Skip)
		problems, err = opt.Parse(ctx, in.Format, e.Path, br, st.Send)
		if serr := st.Close(); serr != nil && (err == nil || errors.Is(err, stage.ErrStopped)) {
			err = serr
		}
		if err != nil {
			in.Errors = append(in.Errors, onePath(err.Error(), e.Path))
		}
	}
	for i, p := range problems {
		if i == maxProblems {
			in.Errors = append(in.Errors, fmt.Sprintf("and %d more problems", len(problems)-maxProblems))
			break
		}
		in.Errors = append(in.Errors, p.String())
	}
	return in
}

// failReader fails every read with err.
type failReader struct{ err error }

func (r failReader) Read([]byte) (int, error) { return 0, r.err }

// maxProblems bounds the problems listed per input; the rest are counted.
const maxProblems = 50

func (a *Analyzer) newInput(path string) *input {
	return &input{Input: Input{Path: path}, col: a.m.NewCollector(), tr: newTracker(), facts: newFacts()}
}

// sink returns the event sink of one input: window filter, derived fields,
// input statistics, then the signature collector.
func (in *input) sink(a *Analyzer) event.Sink {
	return func(ev event.Event) error {
		if !a.inWindow(&ev) {
			return nil
		}
		e := &ev
		in.count(e)
		if c := computerOf(e); c != "" {
			if in.computers == nil {
				in.computers = map[string]int{}
			}
			in.computers[c]++
		}
		in.facts.observe(e)
		if in.red != nil {
			in.red.Learn(e)
		}
		in.tr.annotate(e)
		if a.opt.ClientOffset != nil {
			exactSkew(e, *a.opt.ClientOffset)
		}
		in.zone.add(e)
		in.col.Observe(e)
		if a.tap != nil {
			return a.tap(e)
		}
		return nil
	}
}

// count counts an event in the input's statistics: events, kinds, first
// and last time.
func (in *input) count(e *event.Event) {
	in.Events++
	if in.Kinds == nil {
		in.Kinds = map[string]int{}
	}
	in.Kinds[e.Kind]++
	if e.Time.IsZero() {
		return
	}
	if in.first == nil || e.Time.Before(in.first.Time) {
		in.firstAt = event.Event{Time: e.Time, Local: e.Local}
		in.first = &in.firstAt
	}
	if in.last == nil || e.Time.After(in.last.Time) {
		in.lastAt = event.Event{Time: e.Time, Local: e.Local}
		in.last = &in.lastAt
	}
}

// keepSIP returns the client-log parser's SIP block filter for the input:
// a block the analysis does not read is not built, and is handed to skip
// instead, to be counted as the event it would have been (skippedSIP). It
// runs on the parser's goroutine and touches nothing of the input.
func (in *input) keepSIP(a *Analyzer, skip func(event.Event)) func(uccapilog.BlockView) bool {
	// A log has a few dozen kinds of blocks: each is judged once.
	judged := map[uccapilog.BlockView]bool{}
	path := in.Path
	return func(v uccapilog.BlockView) bool {
		kind := v
		kind.Line, kind.Time = 0, time.Time{}
		keep, ok := judged[kind]
		if !ok {
			keep = a.sip.keep(kind)
			if len(judged) == maxJudged {
				clear(judged)
			}
			judged[kind] = keep
		}
		if keep {
			return true
		}
		skip(event.Event{Source: event.SourceUccApilog, Kind: event.KindSIP, Path: path, Line: v.Line,
			Time: v.Time, Local: !v.Time.IsZero()})
		return false
	}
}

// skippedSIP counts a SIP block that keepSIP refused, in the input's
// statistics, as its event would have been counted.
func (in *input) skippedSIP(a *Analyzer) func(event.Event) {
	return func(e event.Event) {
		if !a.inWindow(&e) {
			return
		}
		in.count(&e)
		if in.red != nil && !in.skipped {
			in.red.Learn(&e) // the profile folder of the path
		}
		in.skipped = true
	}
}

// maxJudged bounds the kinds of SIP blocks an input remembers.
const maxJudged = 1024

// inWindow applies --since/--until. A client log's local time is placed in
// UTC with --client-utc-offset, else compared as a wall-clock time; events
// without a time are always kept.
func (a *Analyzer) inWindow(e *event.Event) bool {
	if e.Time.IsZero() || (a.opt.Since.IsZero() && a.opt.Until.IsZero()) {
		return true
	}
	t, local := e.Time, e.Local
	if local && a.opt.ClientOffset != nil {
		// The client's offset is known: compare in UTC.
		t, local = t.Add(-*a.opt.ClientOffset), false
	}
	if !a.opt.Since.IsZero() && t.Before(wall(a.opt.Since, local)) {
		return false
	}
	if !a.opt.Until.IsZero() && t.After(wall(a.opt.Until, local)) {
		return false
	}
	return true
}

// wall returns t as UTC, or for a local event its wall clock read as UTC.
func wall(t time.Time, local bool) time.Time {
	if local {
		y, mo, d := t.Date()
		h, mi, s := t.Clock()
		return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
	}
	return t.UTC()
}

// finish builds the report: one analysis of every input, or, when the
// inputs hold more than one user or computer, one per group.
func (a *Analyzer) finish(results []*input) *Report {
	groups := groupInputs(results)
	if len(groups) <= 1 {
		return a.build(results, "")
	}
	r := a.newReport()
	for _, in := range results {
		r.Inputs = append(r.Inputs, in.listed())
	}
	for _, g := range groups {
		gr := a.build(g.inputs, g.key)
		r.Summary.add(gr.Summary)
		r.Groups = append(r.Groups, *gr)
	}
	r.SignIn = SignIn{Outcome: OutcomeUnknown}
	return r
}

func (a *Analyzer) newReport() *Report {
	return &Report{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "sfblog", Version: a.opt.Version},
		Inputs:        []Input{},
		Findings:      []Finding{},
	}
}

// listed returns the input as the report lists it.
func (in *input) listed() Input {
	if in.first != nil {
		in.FirstTime = event.FormatTime(in.first.Time, in.first.Local)
		in.LastTime = event.FormatTime(in.last.Time, in.last.Local)
	}
	if in.Errors == nil {
		in.Errors = []string{}
	}
	return in.Input
}

// build merges the inputs of one user and builds their report.
func (a *Analyzer) build(results []*input, key string) *Report {
	r := a.newReport()
	all := a.m.NewCollector()
	var zone zoneVotes
	var trs []*tracker
	f := newFacts()
	dropEventCopies(results)
	for _, in := range results {
		all.Merge(in.col)
		zone.merge(in.zone)
		trs = append(trs, in.tr)
		f.merge(in.facts)
	}
	order := zone.order()
	if order.HasZone {
		r.Clock = Clock{ClientUTCOffset: FormatOffset(order.Zone), Source: "sip-date"}
	}
	if a.opt.ClientOffset != nil {
		order = signatures.Order{Zone: *a.opt.ClientOffset, HasZone: true}
		r.Clock = Clock{ClientUTCOffset: FormatOffset(order.Zone), Source: "flag"}
	}
	signin, attempts := signIn(trs, order)
	r.SignIn = signin
	// Derived checks over the files that decide (DNS, time, registry,
	// directory, certificates) become events the signatures read.
	for _, e := range f.checks(signin.Address) {
		all.Observe(e)
	}
	hits := a.m.Evaluate(all, order)
	kept := a.keep(hits, r.SignIn.Outcome, lastSuccess(attempts), order)
	for _, h := range kept {
		r.Findings = append(r.Findings, a.finding(h, signin.Address))
	}
	sortFindings(r.Findings)
	ruledOut := map[string][]string{}
	for _, h := range hits {
		if h.RuledOut && !h.Confirmed && h.RuledOutBy != nil {
			ro := ruledOutOf(h, a.opt.Lang)
			r.RuledOut = append(r.RuledOut, ro)
			ruledOut[ro.Path] = append(ruledOut[ro.Path], ro.ID)
		}
	}
	sort.SliceStable(r.RuledOut, func(i, j int) bool { return r.RuledOut[i].ID < r.RuledOut[j].ID })
	for _, in := range results {
		in.RuledOut = ruledOut[in.Path]
		r.Inputs = append(r.Inputs, in.listed())
	}
	r.Attempts = timelineOf(attempts, kept, order)
	r.Subject = subjectOf(results, trs, order, key)
	r.Missing = missingOf(results, a.opt.Lang)
	for _, f := range r.Findings {
		r.Summary.count(f.Severity)
	}
	return r
}

// add adds the counts of o.
func (s *Summary) add(o Summary) {
	s.Findings += o.Findings
	s.Error += o.Error
	s.Warning += o.Warning
	s.Info += o.Info
}

// count counts one finding of severity sev.
func (s *Summary) count(sev string) {
	s.Findings++
	switch sev {
	case SeverityError:
		s.Error++
	case SeverityWarning:
		s.Warning++
	case SeverityInfo:
		s.Info++
	}
}

// keep applies the report rules to the hits: the failure gate (after a
// recovery, only evidence from before the success counts), rules_out,
// suppression of possible causes by a confirmed one, and the fallback
// signature, which is never more than possible.
func (a *Analyzer) keep(hits []*signatures.Hit, outcome string, success *attempt, o signatures.Order) []*signatures.Hit {
	var kept []*signatures.Hit
	var fallback []*signatures.Hit
	for _, h := range hits {
		switch {
		case h.Sig.Fallback:
			if len(h.Events) > 0 {
				fallback = append(fallback, h)
			}
		case h.RuledOut && !h.Confirmed:
		case len(h.Events) == 0:
		case h.Sig.NeedsFailure() && outcome == OutcomeSucceeded:
		case h.Sig.NeedsFailure() && outcome == OutcomeRecovered && !beforeSuccess(h.Events, success, o):
		default:
			kept = append(kept, h)
		}
	}
	// A possible cause that shares its symptom with a confirmed one is
	// left out: the confirmed cause explains the symptom.
	confirmedEvents := map[*event.Event]bool{}
	for _, h := range kept {
		if h.Confirmed {
			for _, e := range h.Events {
				confirmedEvents[e] = true
			}
		}
	}
	var out []*signatures.Hit
	explained := false
	for _, h := range kept {
		if !h.Confirmed && sharesAny(h.Events, confirmedEvents) {
			continue
		}
		out = append(out, h)
		if signatures.SeverityRank(h.Sig.Severity) >= signatures.SeverityRank(SeverityWarning) {
			explained = true
		}
	}
	// After a recovery, an unexplained failure was transient: only a
	// failed sign-in falls back to SFB-UNRESOLVED.
	if outcome == OutcomeFailed && !explained {
		for _, h := range fallback {
			// What nothing explains is reported with what is known and
			// what to collect: never as a confirmed cause.
			h.Confirmed = false
			out = append(out, h)
		}
	}
	return out
}

// sortFindings orders findings by severity, then id.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		ri, rj := signatures.SeverityRank(fs[i].Severity), signatures.SeverityRank(fs[j].Severity)
		if ri != rj {
			return ri > rj
		}
		return fs[i].ID < fs[j].ID
	})
}

func sharesAny(es []*event.Event, set map[*event.Event]bool) bool {
	for _, e := range es {
		if set[e] {
			return true
		}
	}
	return false
}

// finding renders a hit: message, deciding line, masked and grouped
// evidence.
func (a *Analyzer) finding(h *signatures.Hit, address string) Finding {
	s := h.Sig
	text := s.In(a.opt.Lang)
	f := Finding{
		ID:         s.ID,
		Title:      text.Title,
		Severity:   s.Severity,
		Confidence: Possible,
		Cause:      text.Cause,
		Remedy:     append([]string{}, text.Remedy...),
		Links:      localLinks(s.Links, a.opt.Lang),
		Evidence:   []Evidence{},
	}
	if h.Confirmed {
		f.Confidence = Confirmed
	} else {
		f.Collect = strings.TrimSpace(text.Collect)
		f.Commands = commands(s.Commands, address)
	}
	for _, e := range h.Events {
		if e.Kind == event.KindUIText && f.Message == "" {
			f.Message = e.Get("ui.text")
		}
	}
	f.Evidence = group(h.Events, a.opt.MaxEvidence)
	if h.Deciding != nil {
		d := evidenceOf(h.Deciding)
		f.Deciding = &d
	}
	f.EvidenceTotal = h.Total
	if f.EvidenceTotal < len(h.Events) {
		f.EvidenceTotal = len(h.Events)
	}
	return f
}

// commands fills the commands' <user> and <domain> with the sign-in
// address when it is known.
func commands(cmds []string, address string) []string {
	if len(cmds) == 0 {
		return nil
	}
	user := strings.TrimPrefix(strings.TrimPrefix(address, "sip:"), "SIP:")
	out := make([]string, len(cmds))
	for i, c := range cmds {
		if user != "" {
			c = strings.ReplaceAll(c, "<user>", user)
			c = strings.ReplaceAll(c, "<domain>", domainOf(address))
		}
		out[i] = c
	}
	return out
}

// FormatOffset renders a UTC offset as "+02:00".
func FormatOffset(d time.Duration) string {
	sign := '+'
	if d < 0 {
		sign, d = '-', -d
	}
	return fmt.Sprintf("%c%02d:%02d", sign, int(d.Hours()), int(d.Minutes())%60)
}

// ParseOffset reads a UTC offset: "+02:00", "-0545", "+02" or "Z".
func ParseOffset(s string) (time.Duration, error) {
	if s == "Z" || s == "z" {
		return 0, nil
	}
	for _, layout := range []string{"-07:00", "-0700", "-07"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		_, off := t.Zone()
		d := time.Duration(off) * time.Second
		if d <= 14*time.Hour && d >= -12*time.Hour {
			return d, nil
		}
	}
	return 0, fmt.Errorf("UTC offset %q: want +HH:MM, -HHMM or Z, between -12:00 and +14:00", s)
}

// localLinks returns the links, pointing Microsoft's support articles at
// their translation for lang ("/en-us/" becomes "/ja-jp/").
func localLinks(links []string, lang string) []string {
	out := append([]string{}, links...)
	if lang != "ja" {
		return out
	}
	for i, l := range out {
		out[i] = strings.Replace(l, "support.office.com/en-us/", "support.office.com/ja-jp/", 1)
	}
	return out
}

// exactSkew replaces the parser's clock-skew residual of a received SIP
// message by the exact skew once the client's UTC offset is known: the
// server's Date minus the client's clock read in UTC. Without the offset
// the parser can only remove whole quarter hours, which hides skews of
// about 7.5 to 22.5 minutes.
func exactSkew(e *event.Event, zone time.Duration) {
	v := e.Get("sip.date_offset")
	if v == "" || !e.Local {
		return
	}
	off, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return
	}
	e.Set("sip.clock_skew", strconv.FormatInt(off+int64(zone/time.Second), 10))
}

// sipFilter says which SIP blocks of a client log an analysis reads, in
// the disjunctive form of signatures.Matcher.Needs: a block is read when
// it meets one of the clauses. Most blocks of a healthy log (presence
// NOTIFYs, SERVICE, SUBSCRIBE, calls) meet none: not building their events
// is half the time of an analysis.
type sipFilter []signatures.Clause

// newSIPFilter is what the catalog compiled in m reads of SIP events,
// and what the analyzer itself reads: REGISTER requests and responses
// (the sign-in tracker, which adds signin.result and
// sip.request.credentials) and received messages with a Date header (the
// client's UTC offset, the exact clock skew).
func newSIPFilter(m *signatures.Matcher) sipFilter {
	var f sipFilter
	if m != nil {
		f = m.Needs(event.KindSIP)
	}
	return append(f,
		signatures.Clause{{Field: "sip.method", Values: []string{"register"}}},
		signatures.Clause{{Field: "sip.cseq.method", Values: []string{"register"}}},
		signatures.Clause{{Field: "sip.date_offset"}},
	)
}

// keep reports whether the block v may meet a clause.
func (f sipFilter) keep(v uccapilog.BlockView) bool {
	for _, c := range f {
		if meetsClause(c, v) {
			return true
		}
	}
	return false
}

func meetsClause(c signatures.Clause, v uccapilog.BlockView) bool {
	for _, n := range c {
		if !meetsNeed(n, v) {
			return false
		}
	}
	return true
}

// meetsNeed reports whether the event of block v may meet n once built and
// annotated. A field the view says nothing of may: the block is kept.
func meetsNeed(n signatures.Need, v uccapilog.BlockView) bool {
	switch n.Field {
	case "sip.method":
		return oneOf(v.Method, n.Values)
	case "sip.cseq.method":
		return oneOf(v.CSeqMethod, n.Values)
	case "sip.direction":
		return oneOf(v.Direction, n.Values)
	case "sip.status":
		return oneOf(v.Status, n.Values)
	case "sip.type":
		if v.Method != "" {
			return oneOf("request", n.Values)
		}
		return oneOf("response", n.Values)
	case "sip.date_offset", "sip.clock_skew":
		// Derived from the Date header of a received message (the parser;
		// exactSkew).
		return v.Date && v.Direction == "received"
	case "sip.header.date":
		return v.Date
	case "sip.header.ms-diagnostics", "sip.header.ms-diagnostics-public":
		return v.Diagnostics
	case FieldResult, FieldCredentials:
		// The tracker sets them on the responses to REGISTER it receives.
		return v.Status != "" && v.Direction != "sent" && strings.EqualFold(v.CSeqMethod, "REGISTER")
	}
	if strings.HasPrefix(n.Field, "diag.") {
		return v.Diagnostics
	}
	return true
}

// oneOf reports whether the field value s is present and one of values
// (any value when values is nil), ignoring case as signatures compare.
func oneOf(s string, values []string) bool {
	if s == "" {
		return false
	}
	if values == nil {
		return true
	}
	for _, w := range values {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// onePath names the input path once where a parser's error repeats the
// name a reader's error already gives ("read X: X: unexpected EOF").
func onePath(msg, path string) string {
	return strings.ReplaceAll(msg, path+": "+path+": ", path+": ")
}
