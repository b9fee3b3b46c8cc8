// Package w32tm parses the output of the Windows Time service tool w32tm,
// saved by a user who was asked to run it, into KindClock events (Source
// "time"). It reads three commands, in any order and any number of times in
// one file (a user often appends them to one file with >>):
//
//   - w32tm /query /status [/verbose]: one event per output, clock.tool
//     "w32tm-status".
//   - w32tm /stripchart /computer:PEER [/samples:N] [/dataonly] [/rdtsc]: one
//     event per sample, clock.tool "w32tm-stripchart".
//   - w32tm /query /configuration: one event per output, clock.tool
//     "w32tm-config".
//
// Sign of clock.offset: w32tm prints the NTP offset of RFC 1305 (which
// Microsoft's "How the Windows Time Service Works" names as the algorithm
// the NTP provider follows), theta = ((T2-T1)+(T3-T4))/2: the reference's
// clock minus this computer's, positive when the computer is behind; w32tm
// /monitor prints the same quantity as "NTP: +0.0123s offset from local
// clock". clock.offset is the computer minus the reference (event.go), so
// it is the stripchart value with its sign changed: o:-00.0123512s gives
// clock.offset "0.0123512" (the computer is 12 ms ahead).
//
// The labels are read in English (the language w32tm prints on an English
// Windows); spacing around the colons may vary. Dates are read in the
// short formats of common locales when that reading is unambiguous.
package w32tm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/internal/localtime"
	"github.com/sfblog/sfblog/parsers/scan"
)

// Values of clock.tool.
const (
	ToolStatus     = "w32tm-status"
	ToolStripchart = "w32tm-stripchart"
	ToolConfig     = "w32tm-config"
)

const (
	// ctxEvery is how often (in lines) the context is checked.
	ctxEvery = 4096
	// maxBlockLines bounds the lines of one status or configuration output.
	maxBlockLines = 512
)

// patterns are the labels, value shapes and lines of w32tm output the
// parser recognises.
type patterns struct {
	// The labels of w32tm /query /status, lower-case with single spaces.
	statusLabels map[string]bool
	// statusForms are the shapes of the numeric values of w32tm /query
	// /status; a block is read only when its values have them.
	statusForms map[string]*regexp.Regexp
	// The extra labels of w32tm /query /status /verbose.
	verboseLabels map[string]bool
	// localSources are the Source values of a clock that no network peer
	// disciplines; lower-case.
	localSources map[string]bool

	label, tracking, collecting, current, sample, rdtscHead, rdtscRow *regexp.Regexp
	offset, errorCode, section, provider, configKey                   *regexp.Regexp
}

// rx returns the patterns, built on first use.
var rx = sync.OnceValue(func() *patterns {
	return &patterns{
		statusLabels: map[string]bool{
			"leap indicator": true, "stratum": true, "precision": true, "root delay": true,
			"root dispersion": true, "referenceid": true, "last successful sync time": true,
			"source": true, "poll interval": true,
		},
		statusForms: map[string]*regexp.Regexp{
			"leap indicator":  regexp.MustCompile(`^[0-3]\s*(\(.*\))?$`),
			"stratum":         regexp.MustCompile(`^\d{1,3}(\s*\(.*\))?$`),
			"precision":       regexp.MustCompile(`^-?\d{1,3}(\s*\(.*\))?$`),
			"root delay":      regexp.MustCompile(`^\d+[.,]\d+s$`),
			"root dispersion": regexp.MustCompile(`^\d+[.,]\d+s$`),
			"referenceid":     regexp.MustCompile(`^0x[0-9A-Fa-f]{8}(\s*\(.*\))?$`),
			"poll interval":   regexp.MustCompile(`^\d{1,3}(\s*\(.*\))?$`),
		},
		verboseLabels: map[string]bool{
			"phase offset": true, "clockrate": true, "state machine": true, "time source flags": true,
			"server role": true, "last sync error": true, "time since last good sync time": true,
		},
		localSources: map[string]bool{
			"local cmos clock":          true,
			"free-running system clock": true,
		},
		label:      regexp.MustCompile(`^\s*([A-Za-z\p{Han}\p{Katakana}ー][A-Za-z\p{Han}\p{Katakana}ー ]*?)\s*:\s*(.*?)\s*$`),
		tracking:   regexp.MustCompile(`^\s*Tracking\s+(\S+)\s+\[([^\]]*)\]\.?\s*$`),
		collecting: regexp.MustCompile(`^\s*Collecting\s+\d+\s+samples\.?\s*$`),
		current:    regexp.MustCompile(`^\s*The current time is\s+(.+?)\.?\s*$`),
		sample:     regexp.MustCompile(`^\s*(\d{1,2}):(\d{2}):(\d{2})\s*,?\s+(.*?)\s*$`),
		rdtscHead:  regexp.MustCompile(`^\s*RdtscStart,\s*RdtscEnd,\s*FileTime,\s*RoundtripDelay,\s*NtpOffset\s*$`),
		rdtscRow:   regexp.MustCompile(`^\s*\d+,\s*\d+,\s*(\d+),\s*(.*?)\s*$`),
		offset:     regexp.MustCompile(`^([+-])?(\d{1,10})(?::(\d+))?(?::(\d+))?(?:\.(\d{1,9}))?s?$`),
		errorCode:  regexp.MustCompile(`(?i)^error:\s*0x[0-9a-f]{1,8}\b`),
		section:    regexp.MustCompile(`^\s*\[(\w+)\]\s*$`),
		provider:   regexp.MustCompile(`^\s*(\w+)\s+\((\p{L}+)\)\s*$`),
		configKey:  regexp.MustCompile(`^\s*(\w+)\s*:\s*(.*?)\s*\((\p{L}+)\)\s*$`),
	}
})

// label splits "Label: value" into the label (lower-case, single spaces;
// a Japanese label as its English one, jaLabels) and the value.
func label(s string) (string, string, bool) {
	m := rx().label.FindStringSubmatch(s)
	if m == nil {
		return "", "", false
	}
	l := strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
	if en, ok := jaLabels[l]; ok {
		l = en
	}
	return l, m[2], true
}

// jaLabels are the labels of w32tm /query /status (/verbose) as Japanese
// Windows writes them, by their English ones: those seen in outputs quoted
// in Japanese posts (testdata/README.md). Its values keep their numbers and
// English words, but for "未指定" (unspecified).
var jaLabels = map[string]string{
	"閏インジケーター":      "leap indicator",
	"階層":            "stratum",
	"精度":            "precision",
	"ルート遅延":         "root delay",
	"ルート分散":         "root dispersion",
	"参照 id":         "referenceid",
	"最終正常同期時刻":      "last successful sync time",
	"ソース":           "source",
	"ポーリング間隔":       "poll interval",
	"フェーズ オフセット":    "phase offset",
	"クロック レート":      "clockrate",
	"最終同期エラー":       "last sync error",
	"最終正常同期時刻からの時間": "time since last good sync time",
}

// Detect reports whether head (the first few KiB of a file, decoded to
// UTF-8) holds w32tm output: /query /status (a well-formed Leap Indicator
// or ReferenceId line and one more status label), /stripchart (its
// "Tracking PEER [ADDRESS]." line, its /rdtsc header, or two sample lines)
// or /query /configuration (its [TimeProviders] section, or [Configuration]
// with a "Name: value (Local)" line).
func Detect(head []byte) bool {
	re := rx()
	status := map[string]bool{}
	var strong, samples int
	var configuration, configKey bool
	for _, raw := range bytes.Split(head, []byte("\n")) {
		line := strings.TrimPrefix(strings.TrimRight(string(raw), "\r"), "\uFEFF")
		if l, v, ok := label(line); ok && re.statusLabels[l] && !status[l] {
			status[l] = true
			if (l == "leap indicator" || l == "referenceid") && re.statusForms[l].MatchString(v) {
				strong++
			}
		}
		if re.tracking.MatchString(line) || re.rdtscHead.MatchString(line) {
			return true
		}
		if m := re.sample.FindStringSubmatch(line); m != nil {
			if _, _, ok := sampleValue(m[4]); ok {
				samples++
			}
		}
		if m := re.section.FindStringSubmatch(line); m != nil {
			switch strings.ToLower(m[1]) {
			case "timeproviders":
				return true
			case "configuration":
				configuration = true
			}
		}
		if re.configKey.MatchString(line) {
			configKey = true
		}
	}
	return (strong > 0 && len(status) >= 2) || samples >= 2 || (configuration && configKey)
}

// Parse reads w32tm output (UTF-8, CRLF or LF) and emits KindClock events
// in line order: one per /query /status output, one per /stripchart sample
// (error samples included, without clock.offset), one per /query
// /configuration output. Lines outside these outputs (prompts, blank lines,
// other commands) are skipped. Damaged parts are reported as problems with
// their line numbers; err is for I/O errors, an emit error and a cancelled
// context. Parse never panics.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &parser{path: path, emit: emit}
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.problems.List(), fmt.Errorf("w32tm: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			p.problems.Add(n, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		if err := p.line(n, strings.TrimPrefix(lines.Text(), "\uFEFF")); err != nil {
			return p.problems.List(), err
		}
	}
	if err := p.end(); err != nil {
		return p.problems.List(), err
	}
	if err := lines.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("w32tm: read %s: %w", path, err)
	}
	return p.problems.List(), nil
}

// parser is the state of one Parse.
type parser struct {
	path     string
	emit     event.Sink
	problems event.Problems

	blk   *block // an open status or configuration output
	chart chart  // the last stripchart header seen
}

// block is the lines of one status or configuration output.
type block struct {
	tool  string
	first int
	last  int      // the last line that belongs to it (blank lines do not)
	lines []string // from first to last
	blank int      // blank lines read after last
}

// chart is what a stripchart header says about the samples that follow.
type chart struct {
	peer    string
	base    time.Time // "The current time is": date and time
	prev    time.Time // the previous sample's time
	dated   bool      // base is known
	rdtsc   bool      // the /rdtsc CSV header was seen
	started bool      // a header line was seen
}

// line handles one line.
func (p *parser) line(n int, s string) error {
	re := rx()
	if b := p.blk; b != nil {
		if strings.TrimSpace(s) == "" {
			b.blank++
			return nil
		}
		if p.belongs(b, s) && n-b.first < maxBlockLines {
			b.lines = append(b.lines, make([]string, b.blank)...)
			b.lines = append(b.lines, s)
			b.last, b.blank = n, 0
			return nil
		}
		if err := p.close(); err != nil {
			return err
		}
	}

	if l, _, ok := label(s); ok && re.statusLabels[l] {
		p.blk = &block{tool: ToolStatus, first: n, last: n, lines: []string{s}}
		return nil
	}
	if m := re.section.FindStringSubmatch(s); m != nil {
		switch strings.ToLower(m[1]) {
		case "configuration", "timeproviders":
			p.blk = &block{tool: ToolConfig, first: n, last: n, lines: []string{s}}
			return nil
		}
	}
	return p.stripchart(n, s)
}

// belongs reports whether s continues the open block.
func (p *parser) belongs(b *block, s string) bool {
	re := rx()
	switch b.tool {
	case ToolStatus:
		l, _, ok := label(s)
		if !ok || !(re.statusLabels[l] || re.verboseLabels[l]) {
			return false
		}
		// A repeated label starts the next output.
		for _, prev := range b.lines {
			if pl, _, ok := label(prev); ok && pl == l {
				return false
			}
		}
		return true
	case ToolConfig:
		if l, _, ok := label(s); ok && re.statusLabels[l] {
			return false
		}
		return re.section.MatchString(s) || re.provider.MatchString(s) || re.configKey.MatchString(s)
	}
	return false
}

// close ends the open block and emits its event.
func (p *parser) close() error {
	b := p.blk
	p.blk = nil
	if b == nil {
		return nil
	}
	var ev event.Event
	var ok bool
	switch b.tool {
	case ToolStatus:
		ev, ok = p.status(b)
	case ToolConfig:
		ev, ok = p.config(b)
	}
	if !ok {
		return nil
	}
	ev.Source, ev.Kind, ev.Path = event.SourceTime, event.KindClock, p.path
	ev.Line, ev.Text = b.first, strings.Join(b.lines, "\n")
	if b.last > b.first {
		ev.EndLine = b.last
	}
	return p.send(ev)
}

func (p *parser) send(ev event.Event) error {
	if err := p.emit(ev); err != nil {
		return fmt.Errorf("w32tm: %s: emit: %w", p.path, err)
	}
	return nil
}

// end closes what is open at the end of the input.
func (p *parser) end() error {
	return p.close()
}

// status reads a /query /status output.
func (p *parser) status(b *block) (event.Event, bool) {
	re := rx()
	var ev event.Event
	values := map[string]string{}
	lineOf := map[string]int{}
	var order []string // the status labels in the order of their lines
	for i, s := range b.lines {
		if l, v, ok := label(s); ok {
			if _, seen := values[l]; !seen && re.statusLabels[l] {
				order = append(order, l)
			}
			values[l] = v
			lineOf[l] = b.first + i
		}
	}
	found, numeric := 0, 0
	for _, l := range order {
		v := values[l]
		found++
		if form := re.statusForms[l]; form != nil {
			if !form.MatchString(v) {
				p.problems.Add(lineOf[l], fmt.Sprintf("w32tm /query /status: %s is not well formed: %s", l, clip(v)))
				return ev, false
			}
			numeric++
		}
	}
	if found < 2 || numeric == 0 {
		p.problems.Add(b.first, fmt.Sprintf("w32tm /query /status output with %d of its %d fields", found, len(re.statusLabels)))
		return ev, false
	}
	ev.Set("clock.tool", ToolStatus)
	leap := -1
	if v, ok := values["leap indicator"]; ok {
		leap = int(v[0] - '0')
		ev.Set("clock.leap", v[:1])
	}
	local := false
	if v, ok := values["source"]; ok && v != "" {
		ev.Set("clock.source", v)
		local = re.localSources[strings.ToLower(v)]
		if peer := peerName(v); peer != "" {
			ev.Set("clock.peer", peer)
		}
	}
	if v, ok := values["last successful sync time"]; ok && v != "" {
		if v == "未指定" {
			v = "unspecified" // as the English output says it
		}
		ev.Set("clock.last_sync", v)
	}
	switch {
	case leap == 3 || local:
		ev.Set("clock.unsynced", "true")
	case leap >= 0:
		ev.Set("clock.unsynced", "false")
	}
	return ev, true
}

// peerName returns the host of a status Source or an NtpServer entry:
// "time.windows.com,0x9" gives "time.windows.com". A Source with blanks
// ("Local CMOS Clock", "VM IC Time Synchronization Provider") names no
// network peer and gives "".
func peerName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t") {
		return ""
	}
	host, _, _ := strings.Cut(s, ",")
	return host
}

// config reads a /query /configuration output: the NtpClient provider's
// Type and NtpServer.
func (p *parser) config(b *block) (event.Event, bool) {
	re := rx()
	var ev event.Event
	var typ, servers string
	var haveType, haveServers bool
	provider := ""
	for _, s := range b.lines {
		if m := re.provider.FindStringSubmatch(s); m != nil {
			provider = strings.ToLower(m[1])
			continue
		}
		if re.section.MatchString(s) {
			provider = ""
			continue
		}
		m := re.configKey.FindStringSubmatch(s)
		if m == nil || (provider != "" && provider != "ntpclient") {
			continue
		}
		switch strings.ToLower(m[1]) {
		case "type":
			typ, haveType = m[2], true
		case "ntpserver":
			servers, haveServers = m[2], true
		}
	}
	if !haveType && !haveServers {
		p.problems.Add(b.first, "w32tm /query /configuration output without the NtpClient Type or NtpServer")
		return ev, false
	}
	ev.Set("clock.tool", ToolConfig)
	if typ != "" {
		ev.Set("clock.type", typ)
	}
	var peers []string
	for _, f := range strings.Fields(servers) {
		if h := peerName(f); h != "" {
			peers = append(peers, h)
		}
	}
	if len(peers) > 0 {
		ev.Set("clock.peer", strings.Join(peers, ","))
	}
	return ev, true
}

// stripchart handles a line outside status and configuration outputs.
func (p *parser) stripchart(n int, s string) error {
	re := rx()
	if m := re.tracking.FindStringSubmatch(s); m != nil {
		p.chart = chart{peer: m[1], started: true}
		return nil
	}
	if re.collecting.MatchString(s) {
		p.chart.started = true
		return nil
	}
	if m := re.current.FindStringSubmatch(s); m != nil {
		p.chart.started = true
		t, hasTime, ok := localtime.Parse(m[1])
		if ok && hasTime {
			p.chart.base, p.chart.prev, p.chart.dated = t, t, true
		} else {
			p.chart.dated = false
		}
		return nil
	}
	if re.rdtscHead.MatchString(s) {
		p.chart.rdtsc, p.chart.started = true, true
		return nil
	}
	if p.chart.rdtsc {
		if m := re.rdtscRow.FindStringSubmatch(s); m != nil {
			return p.rdtscRow(n, s, m)
		}
	}
	m := re.sample.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	offset, isErr, ok := sampleValue(m[4])
	if !ok {
		if p.chart.started {
			p.problems.Add(n, "w32tm /stripchart sample without an offset: "+clip(strings.TrimSpace(s)))
		}
		return nil
	}
	ev := p.sample(n, s)
	if t, ok := p.sampleTime(m[1], m[2], m[3]); ok {
		ev.Time, ev.Local = t, true
	}
	if !isErr { // an error sample keeps its code in Text
		ev.Set("clock.offset", negate(offset))
	}
	return p.send(ev)
}

// sample starts the event of a stripchart sample line.
func (p *parser) sample(n int, s string) event.Event {
	ev := event.Event{Source: event.SourceTime, Kind: event.KindClock, Path: p.path, Line: n, Text: s}
	ev.Set("clock.tool", ToolStripchart)
	if p.chart.peer != "" {
		ev.Set("clock.peer", p.chart.peer)
	}
	return ev
}

// rdtscRow reads a row of /stripchart /rdtsc: RdtscStart, RdtscEnd,
// FileTime (UTC, 100 ns since 1601), RoundtripDelay, NtpOffset, or an
// error in place of the last two.
func (p *parser) rdtscRow(n int, s string, m []string) error {
	rest := m[2]
	var offset int64
	isErr := rx().errorCode.MatchString(rest)
	if !isErr {
		parts := strings.Split(rest, ",")
		if len(parts) != 2 {
			p.problems.Add(n, "w32tm /stripchart /rdtsc row without delay and offset: "+clip(strings.TrimSpace(s)))
			return nil
		}
		var ok bool
		offset, ok = parseOffset(strings.TrimSpace(parts[1]), false)
		if !ok {
			p.problems.Add(n, "w32tm /stripchart /rdtsc offset is not a number: "+clip(parts[1]))
			return nil
		}
	}
	ev := p.sample(n, s)
	if ft, err := strconv.ParseUint(m[1], 10, 64); err == nil {
		// FILETIME: 100 ns intervals since 1601-01-01 UTC.
		const unixEpoch = 116444736000000000
		if ft > unixEpoch && ft < unixEpoch+uint64(200*365*24*time.Hour/100) {
			ev.Time = time.Unix(0, int64(ft-unixEpoch)*100).UTC()
		}
	}
	if !isErr {
		ev.Set("clock.offset", negate(offset))
	}
	return p.send(ev)
}

// sampleTime returns the wall-clock time of a sample: its time of day on
// the date of "The current time is", a day later each time the clock
// passes midnight.
func (p *parser) sampleTime(hh, mm, ss string) (time.Time, bool) {
	if !p.chart.dated {
		return time.Time{}, false
	}
	h, _ := strconv.Atoi(hh)
	mi, _ := strconv.Atoi(mm)
	se, _ := strconv.Atoi(ss)
	if h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	prev := p.chart.prev
	t := time.Date(prev.Year(), prev.Month(), prev.Day(), h, mi, se, 0, time.UTC)
	if t.Before(prev.Add(-time.Hour)) {
		t = t.AddDate(0, 0, 1)
	}
	p.chart.prev = t
	return t, true
}

// sampleValue reads what follows the time of a stripchart sample:
// "+00.0123512s" (/dataonly), "d:+00.0312500s o:-00.0123512s  [ * ]" (the
// chart) or "error: 0x800705B4". offset is in nanoseconds, as w32tm prints
// it (the reference minus this computer).
func sampleValue(s string) (offset int64, isErr, ok bool) {
	if rx().errorCode.MatchString(s) {
		return 0, true, true
	}
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return 0, false, false
	}
	for _, f := range fields {
		if v, found := strings.CutPrefix(f, "o:"); found {
			offset, ok = parseOffset(v, true)
			return offset, false, ok
		}
	}
	if strings.HasPrefix(fields[0], "d:") {
		return 0, false, false
	}
	offset, ok = parseOffset(fields[0], true)
	return offset, false, ok
}

// parseOffset reads an offset as w32tm prints it: "+00.0123512s",
// "-462.1300000s", or hours, minutes and seconds ("-00:07:42.13s"), into
// nanoseconds. unit requires the trailing "s" (stripchart lines have it,
// /rdtsc rows do not).
func parseOffset(s string, unit bool) (int64, bool) {
	m := rx().offset.FindStringSubmatch(s)
	if m == nil || (unit && !strings.HasSuffix(s, "s")) {
		return 0, false
	}
	var secs int64
	for i, u := range []string{m[2], m[3], m[4]} {
		if u == "" {
			break
		}
		v, err := strconv.ParseInt(u, 10, 64)
		if err != nil || v > 1<<32 || (i > 0 && (len(u) != 2 || v > 59)) {
			return 0, false
		}
		secs = secs*60 + v
	}
	frac := (m[5] + "000000000")[:9]
	ns, _ := strconv.ParseInt(frac, 10, 64)
	total := secs*int64(time.Second) + ns
	if m[1] == "-" {
		total = -total
	}
	return total, true
}

// negate formats -ns nanoseconds as decimal seconds without trailing
// zeros: the computer minus the reference.
func negate(ns int64) string {
	ns = -ns
	if ns == 0 {
		return "0"
	}
	sign := ""
	if ns < 0 {
		sign, ns = "-", -ns
	}
	s := fmt.Sprintf("%s%d.%09d", sign, ns/int64(time.Second), ns%int64(time.Second))
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
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
