package event

import "fmt"

// DefaultMaxProblems is how many problems a Problems keeps when Max is 0.
const DefaultMaxProblems = 100

// Problems collects the problems of one input, keeping the first Max and
// counting the rest, so that a damaged or hostile file cannot grow the
// report (or memory) with a problem per line.
type Problems struct {
	Max     int // problems kept; 0 means DefaultMaxProblems
	list    []Problem
	dropped int
	last    int // the line of the last problem
}

// Add records a problem at line.
func (ps *Problems) Add(line int, msg string) {
	if ps.full(line) {
		return
	}
	ps.list = append(ps.list, Problem{Line: line, Msg: msg})
}

// Addf records a problem at line with a formatted message. Once the list
// is full the message is not formatted: a problem on every line of a
// hostile file costs a count.
func (ps *Problems) Addf(line int, format string, args ...any) {
	if ps.full(line) {
		return
	}
	ps.list = append(ps.list, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
}

// full notes a problem at line and reports whether the list is full, the
// problem counted and dropped.
func (ps *Problems) full(line int) bool {
	ps.last = line
	max := ps.Max
	if max <= 0 {
		max = DefaultMaxProblems
	}
	if len(ps.list) >= max {
		ps.dropped++
		return true
	}
	return false
}

// List returns the problems kept and, when some were not, a last one that
// counts them.
func (ps *Problems) List() []Problem {
	if ps.dropped == 0 {
		return ps.list
	}
	return append(ps.list[:len(ps.list):len(ps.list)], Problem{Line: ps.last, Msg: fmt.Sprintf("%d more problems not listed", ps.dropped)})
}
