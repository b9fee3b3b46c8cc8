package report

import (
	"fmt"
	"strconv"
	"time"

	"github.com/sfblog/sfblog/analyze"
)

// The sign-in timeline as a picture: attempts along a time axis, one
// marker per attempt or per run of alike attempts close together, its
// shape and colour saying the outcome (a legend names both), labelled with
// its decisive response ("404 · 4005 ×4") and attempt numbers. The
// template draws it as inline SVG; every marker has a <title>, so the
// picture is readable without colour and by a screen reader, and the table
// under it lists every attempt.

// SVG geometry, in user units of the viewBox.
const (
	svgWidth     = 880
	svgLeft      = 48
	svgRight     = svgWidth - 48
	svgAxisY     = 64
	svgLabelY    = 92  // first row of response labels
	svgRowStep   = 16  // between label rows
	svgLabelRows = 3   // rows the labels may use before one is left out
	svgCluster   = 20  // attempts closer than this join the marker before
	svgCharW     = 7   // the width of a label character, roughly
	svgMaxLabels = 40  // labels drawn at most
	svgLegendGap = 34  // from the last label row to the legend
	svgTimeY     = 28  // axis time labels
	svgNumberY   = 46  // attempt numbers above the markers
	svgMarker    = 7   // marker radius
	svgMinHeight = 150 // a picture with one row of labels
)

// svgView is the geometry the template draws.
type svgView struct {
	ID       string // prefix of the element ids, unique in the page
	Width    int
	Height   int
	Title    string
	Desc     string
	AxisFrom int
	AxisTo   int
	AxisY    int
	TimeY    int
	Start    string // time at the axis' start
	End      string
	Scale    string // "" for a time axis, else a note that the axis is only the order
	Marks    []svgMark
	LegendY  int
	Legend   []svgMark
	Left     int // labels left out
	LeftNote string
	NumberY  int
}

// svgMark is one marker: an attempt or a run of alike attempts.
type svgMark struct {
	X, Y    int
	Outcome string // failed, succeeded, unknown: the shape and class
	Name    string // the outcome, translated
	Label   string // "404 · 4005 ×4"; "" when left out
	LabelY  int
	Number  string // "1" or "1–4"
	Title   string // the full text, for the <title>
	TextX   int
	// The shape: a circle of radius R (succeeded), a diamond with a cross
	// (failed: Points, Cross), a square (unknown: BoxX, BoxY, Size).
	R      int
	Points string
	Cross  string
	BoxX   int
	BoxY   int
	Size   int
}

// shaped returns m with the geometry of its outcome's shape.
func (m svgMark) shaped() svgMark {
	r := svgMarker
	m.R = r
	m.Points = fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d", m.X, m.Y-r-1, m.X+r+1, m.Y, m.X, m.Y+r+1, m.X-r-1, m.Y)
	c := r / 2
	m.Cross = fmt.Sprintf("M%d %dL%d %dM%d %dL%d %d", m.X-c, m.Y-c, m.X+c, m.Y+c, m.X-c, m.Y+c, m.X+c, m.Y-c)
	m.BoxX, m.BoxY, m.Size = m.X-r+1, m.Y-r+1, 2*r-2
	return m
}

// parseTime reads a report time: RFC 3339 or the local layout without zone.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// newSVGView lays out the attempts of a report. id prefixes element ids.
func newSVGView(r *analyze.Report, l lang, id string) *svgView {
	as := r.Attempts
	if len(as) == 0 {
		return nil
	}
	v := &svgView{
		ID: id, Width: svgWidth, AxisFrom: svgLeft, AxisTo: svgRight, AxisY: svgAxisY, TimeY: svgTimeY,
		NumberY: svgNumberY,
		Title:   l.f("Sign-in timeline (%s)", l.count(len(as), "%d attempt", "%d attempts")),
		Desc:    clean(l.verdict(r)),
	}
	// Place the attempts: by time when every start can be read (UTC when
	// every attempt has it), else one step apart in order.
	useUTC := true
	for _, a := range as {
		if a.StartUTC == "" {
			useUTC = false
		}
	}
	ts := make([]time.Time, len(as))
	timed := true
	for i, a := range as {
		s := a.Start
		if useUTC {
			s = a.StartUTC
		}
		t, ok := parseTime(s)
		if !ok {
			timed = false
			break
		}
		ts[i] = t
	}
	xs := make([]int, len(as))
	span := svgRight - svgLeft
	if timed && len(as) > 1 && ts[len(ts)-1].After(ts[0]) {
		total := ts[len(ts)-1].Sub(ts[0])
		for i, t := range ts {
			xs[i] = svgLeft + int(int64(span)*int64(t.Sub(ts[0]))/int64(total))
		}
	} else {
		for i := range as {
			if len(as) == 1 {
				xs[i] = svgLeft + span/2
			} else {
				xs[i] = svgLeft + span*i/(len(as)-1)
			}
		}
		if !timed {
			v.Scale = l.t("(the times could not be read: attempts are shown in order, evenly spaced)")
		}
	}
	first, last := as[0], as[len(as)-1]
	if useUTC {
		v.Start, v.End = clean(first.StartUTC), clean(last.StartUTC)
	} else {
		v.Start, v.End = clean(first.Start), clean(last.Start)
	}

	// Join attempts that are alike and close together into one marker.
	rowEnd := make([]int, svgLabelRows)
	for i := range rowEnd {
		rowEnd[i] = -1 << 30
	}
	labels := 0
	for i := 0; i < len(as); {
		short := ""
		if as[i].Decisive != "" {
			short = svgShort(as[i].Decisive)
		}
		j := i + 1
		for j < len(as) && as[j].Outcome == as[i].Outcome && xs[j]-xs[i] < svgCluster &&
			(as[j].Decisive == "") == (as[i].Decisive == "") &&
			(as[j].Decisive == "" || svgShort(as[j].Decisive) == short) {
			j++
		}
		n := j - i
		m := svgMark{X: (xs[i] + xs[j-1]) / 2, Y: svgAxisY, Outcome: markClass(as[i].Outcome), Name: l.outcomeName(as[i].Outcome)}
		m.Number = strconv.Itoa(as[i].N)
		if n > 1 {
			m.Number += "–" + strconv.Itoa(as[j-1].N)
		}
		label := short
		if label == "" {
			label = m.Name
		}
		if n > 1 {
			label += " ×" + strconv.Itoa(n)
		}
		m.Title = l.svgTitle(as[i], as[j-1], n)
		// The label goes to the first row where it does not overlap the
		// label before it; when no row is free it is left out (the title
		// and the table still say it).
		w := len([]rune(label)) * svgCharW
		from := m.X - w/2
		if labels < svgMaxLabels {
			for row := range rowEnd {
				if from > rowEnd[row]+6 {
					m.Label = label
					m.LabelY = svgLabelY + row*svgRowStep
					m.TextX = min(max(m.X, w/2+4), svgWidth-w/2-4)
					rowEnd[row] = from + w
					labels++
					break
				}
			}
		}
		if m.Label == "" {
			v.Left++
		}
		v.Marks = append(v.Marks, m.shaped())
		i = j
	}
	rows := 0
	for i, e := range rowEnd {
		if e > -1<<30 {
			rows = i + 1
		}
	}
	v.LegendY = svgLabelY + max(rows-1, 0)*svgRowStep + svgLegendGap
	v.Height = max(v.LegendY+16, svgMinHeight)
	if v.Left > 0 {
		v.LeftNote = l.f("%d labels left out for room: hover a marker, or see the table.", v.Left)
	}
	for i, o := range []string{analyze.OutcomeFailed, analyze.OutcomeSucceeded, analyze.OutcomeUnknown} {
		v.Legend = append(v.Legend, svgMark{X: svgLeft + i*150, Y: v.LegendY - 4, TextX: svgLeft + i*150 + 14, Outcome: o, Name: l.outcomeName(o)}.shaped())
	}
	return v
}

// markClass is the marker shape of an outcome.
func markClass(o string) string {
	switch o {
	case analyze.OutcomeFailed, analyze.OutcomeSucceeded:
		return o
	}
	return analyze.OutcomeUnknown
}

// svgTitle is the full text of a marker: "Attempts 1–4, failed: SIP/2.0
// 404 Not Found; ms-diagnostics: 4005 (… from T1 to T2)".
func (l lang) svgTitle(a, b analyze.Attempt, n int) string {
	s := l.f("Attempt %d", a.N)
	if n > 1 {
		s = l.f("Attempts %d to %d", a.N, b.N)
	}
	s += l.t(": ") + l.outcomeName(a.Outcome)
	if a.Decisive != "" {
		s += l.t(", ") + a.Decisive
	}
	if n > 1 {
		s += l.t(" (") + l.f("%s to %s", a.Start, b.Start) + l.t(")")
	} else if a.Start != "" {
		s += l.t(" (") + a.Start + l.t(")")
	}
	return clean(s)
}

// svgShort labels a decisive response under its marker: its code
// (shortResponse), or else the first words of its text. A picture has no
// room for the text in full, which its title holds.
func svgShort(decisive string) string {
	if s := shortResponse(decisive, " · "); s != "" {
		return s
	}
	return cut(firstLine(clean(decisive)), 16, "...")
}
