package signatures

import (
	"slices"
	"strings"
)

// Need is one requirement on an event's field: the field is present and,
// when Values is not nil, equal to one of Values (lower-case, compared
// ignoring case as the equals and one_of operators compare).
type Need struct {
	Field  string
	Values []string
}

// Clause is a conjunction of needs: an event meets it when it meets every
// need. The empty clause is met by any event.
type Clause []Need

// maxClauses bounds the clauses computed for one condition; past it the
// condition is taken to need nothing (any event may match it).
const maxClauses = 64

// Needs says which events of kind the catalog's rules can match: an event
// that some rule (a when condition or either side of a correlation) matches
// meets at least one of the returned clauses. No clause means no rule reads
// the kind; an empty clause among them means a rule may match any event of
// it. The answer is conservative: operators other than equals, one_of and
// exists only need the field present, and a negation needs nothing. A
// reader that skips the events meeting no clause skips only events no rule
// can match (before the fields a reader derives are added: a need on such
// a field is the reader's to interpret).
func (m *Matcher) Needs(kind string) []Clause {
	var out []Clause
	for _, r := range m.byKind[kind] {
		for _, c := range clauses(r.cond) {
			if !slices.ContainsFunc(out, func(o Clause) bool { return sameClause(o, c) }) {
				out = append(out, c)
			}
		}
	}
	return out
}

// clauses returns the condition in disjunctive form: one clause per way
// the condition can hold.
func clauses(c *Cond) []Clause {
	switch {
	case c == nil:
		return []Clause{{}}
	case c.All != nil:
		out := []Clause{{}}
		for _, sub := range c.All {
			var next []Clause
			for _, a := range out {
				for _, b := range clauses(sub) {
					if m, ok := conjoin(a, b); ok {
						next = append(next, m)
					}
				}
			}
			if len(next) > maxClauses {
				return []Clause{{}}
			}
			out = next
		}
		return out
	case c.Any != nil:
		var out []Clause
		for _, sub := range c.Any {
			for _, cl := range clauses(sub) {
				if len(cl) == 0 {
					return []Clause{{}}
				}
				out = append(out, cl)
			}
		}
		if len(out) > maxClauses {
			return []Clause{{}}
		}
		return out
	case c.Not != nil:
		return []Clause{{}}
	}
	switch c.Op {
	case "exists":
		if !c.Want {
			return []Clause{{}}
		}
		return []Clause{{{Field: c.Field}}}
	case "equals", "one_of":
		return []Clause{{{Field: c.Field, Values: slices.Clone(c.Str)}}}
	}
	// Every other operator reads a value: the field must be present.
	return []Clause{{{Field: c.Field}}}
}

// conjoin returns the clause met when both a and b are, and false when no
// event can meet it (two needs on one field with no value in common).
func conjoin(a, b Clause) (Clause, bool) {
	out := slices.Clone(a)
	for _, n := range b {
		i := slices.IndexFunc(out, func(o Need) bool { return o.Field == n.Field })
		if i < 0 {
			out = append(out, n)
			continue
		}
		o := out[i]
		switch {
		case n.Values == nil:
		case o.Values == nil:
			out[i] = n
		default:
			var both []string
			for _, v := range o.Values {
				if slices.ContainsFunc(n.Values, func(w string) bool { return strings.EqualFold(v, w) }) {
					both = append(both, v)
				}
			}
			if len(both) == 0 {
				return nil, false
			}
			out[i] = Need{Field: n.Field, Values: both}
		}
	}
	return out, true
}

func sameClause(a, b Clause) bool {
	return slices.EqualFunc(a, b, func(x, y Need) bool {
		return x.Field == y.Field && slices.Equal(x.Values, y.Values) && (x.Values == nil) == (y.Values == nil)
	})
}
