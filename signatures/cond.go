package signatures

import (
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/sfblog/sfblog/event"
)

// Cond is a condition on one event's fields. In YAML it is either a
// combinator or a leaf:
//
//	all: [cond, ...]      every condition holds
//	any: [cond, ...]      at least one holds
//	not: cond             the condition does not hold
//	field: NAME           a leaf on one field, with exactly one operator:
//	  equals: V           equal, ignoring ASCII case
//	  one_of: [V, ...]    equal to one of them, ignoring ASCII case
//	  contains: V         contains V, ignoring ASCII case
//	  regex: RE           Go regular expression (RE2) matches somewhere
//	  exists: BOOL        the field is present (true) or absent (false)
//	  lt|lte|gt|gte: N    the field is a number and compares so with N
//	  abs_gt|abs_gte: N   the absolute value of the field compares so with N
//
// The pseudo-fields "text" and "path" address Event.Text and Event.Path.
type Cond struct {
	Line int // line in the signature file, for error messages

	All []*Cond
	Any []*Cond
	Not *Cond

	Field string
	Op    string   // operator name
	Str   []string // equals/one_of/contains: lower-cased operands
	Re    *Regexp
	Num   float64
	Want  bool // exists

	// need is the regex prefilter: every match of Re holds one of these
	// strings, so a value holding none of them is not matched (nil: no
	// such set is known).
	need []needle
}

var leafOps = []string{"equals", "one_of", "contains", "regex", "exists", "lt", "lte", "gt", "gte", "abs_gt", "abs_gte"}

// UnmarshalYAML decodes and validates a condition, keeping its line.
func (c *Cond) UnmarshalYAML(n *yaml.Node) error {
	c.Line = n.Line
	if n.Kind != yaml.MappingNode {
		return &FieldError{Line: n.Line, Field: "when", Msg: "a condition must be a mapping (all/any/not or field + operator)"}
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := seen[k.Value]; dup {
			return &FieldError{Line: k.Line, Field: k.Value, Msg: "repeated key"}
		}
		seen[k.Value] = n.Content[i+1]
	}
	combinators := 0
	for _, k := range []string{"all", "any", "not"} {
		if _, ok := seen[k]; ok {
			combinators++
		}
	}
	_, hasField := seen["field"]
	switch {
	case combinators > 1 || (combinators == 1 && len(seen) != 1):
		return &FieldError{Line: n.Line, Field: "when", Msg: "all, any and not stand alone in their mapping"}
	case combinators == 1:
		if v, ok := seen["not"]; ok {
			c.Not = new(Cond)
			return v.Decode(c.Not)
		}
		k, v := "all", seen["all"]
		if v == nil {
			k, v = "any", seen["any"]
		}
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return &FieldError{Line: v.Line, Field: k, Msg: "must be a non-empty list of conditions"}
		}
		list := make([]*Cond, len(v.Content))
		for i, item := range v.Content {
			list[i] = new(Cond)
			if err := item.Decode(list[i]); err != nil {
				return err
			}
		}
		if k == "all" {
			c.All = list
		} else {
			c.Any = list
		}
		return nil
	case !hasField:
		return &FieldError{Line: n.Line, Field: "when", Msg: "a condition needs all, any, not or field"}
	}
	if err := seen["field"].Decode(&c.Field); err != nil || c.Field == "" {
		return &FieldError{Line: seen["field"].Line, Field: "field", Msg: "must be a non-empty string"}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		if k == "field" {
			continue
		}
		if !slices.Contains(leafOps, k) {
			return &FieldError{Line: v.Line, Field: k, Msg: fmt.Sprintf("unknown operator (want one of %s)", strings.Join(leafOps, ", "))}
		}
		if c.Op != "" {
			return &FieldError{Line: v.Line, Field: k, Msg: fmt.Sprintf("a leaf has one operator; %s is already given", c.Op)}
		}
		c.Op = k
		if err := c.decodeOperand(v); err != nil {
			return err
		}
	}
	if c.Op == "" {
		return &FieldError{Line: n.Line, Field: "field", Msg: fmt.Sprintf("field %q has no operator", c.Field)}
	}
	return nil
}

func (c *Cond) decodeOperand(v *yaml.Node) error {
	bad := func(msg string) error { return &FieldError{Line: v.Line, Field: c.Op, Msg: msg} }
	switch c.Op {
	case "equals", "contains":
		if v.Kind != yaml.ScalarNode {
			return bad("must be a scalar")
		}
		c.Str = []string{strings.ToLower(v.Value)}
	case "one_of":
		var list []string
		if v.Kind != yaml.SequenceNode || v.Decode(&list) != nil || len(list) == 0 {
			return bad("must be a non-empty list of scalars")
		}
		for _, s := range list {
			c.Str = append(c.Str, strings.ToLower(s))
		}
	case "regex":
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			return bad("must be a non-empty regular expression")
		}
		if _, err := regexp.Compile(v.Value); err != nil {
			return bad(fmt.Sprintf("invalid regular expression: %v", err))
		}
		c.Re = newRegexp(v.Value)
		c.need = needles(v.Value)
	case "exists":
		if v.Kind != yaml.ScalarNode || v.Decode(&c.Want) != nil {
			return bad("must be true or false")
		}
	default: // numeric
		f, err := strconv.ParseFloat(v.Value, 64)
		if v.Kind != yaml.ScalarNode || err != nil {
			return bad("must be a number")
		}
		c.Num = f
	}
	return nil
}

// Regexp is the regular expression of a condition, compiled when it is
// first run. The values a catalog's expressions are run on are few (most
// fail their needles first), and compiling every expression of the
// shipped catalog took half a millisecond of each run's start. Parse has
// checked that the expression compiles.
type Regexp struct {
	expr string
	once sync.Once
	re   *regexp.Regexp
}

// newRegexp returns the Regexp of expr, which compiles.
func newRegexp(expr string) *Regexp { return &Regexp{expr: expr} }

// MatchString reports whether s holds a match of r.
func (r *Regexp) MatchString(s string) bool { return r.compiled().MatchString(s) }

// String returns the expression as written.
func (r *Regexp) String() string { return r.expr }

func (r *Regexp) compiled() *regexp.Regexp {
	r.once.Do(func() { r.re = regexp.MustCompile(r.expr) })
	return r.re
}

// Match reports whether the condition holds for e.
func (c *Cond) Match(e *event.Event) bool { return c.match(e, nil) }

// memo remembers, for each regex condition, the last value it was tested
// on and the result: the events of one log repeat the same values (the
// user's address, the client's User-Agent) thousands of times.
type memo map[*Cond]memoEntry

type memoEntry struct {
	v  string
	ok bool
}

func (c *Cond) match(e *event.Event, m memo) bool {
	switch {
	case c.All != nil:
		for _, s := range c.All {
			if !s.match(e, m) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, s := range c.Any {
			if s.match(e, m) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.match(e, m)
	}
	v, ok := value(e, c.Field)
	if c.Op == "exists" {
		return ok == c.Want
	}
	if !ok {
		return false
	}
	if c.Op == "regex" && m != nil {
		if last, seen := m[c]; seen && last.v == v {
			return last.ok
		}
		r := c.matchValue(v)
		m[c] = memoEntry{v, r}
		return r
	}
	return c.matchValue(v)
}

func (c *Cond) matchValue(v string) bool {
	switch c.Op {
	case "equals", "one_of":
		for _, s := range c.Str {
			if strings.EqualFold(v, s) {
				return true
			}
		}
		return false
	case "contains":
		return containsFold(v, c.Str[0])
	case "regex":
		if c.need != nil && !anyNeedle(c.need, v) {
			return false
		}
		return c.Re.MatchString(v)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return false
	}
	switch c.Op {
	case "lt":
		return f < c.Num
	case "lte":
		return f <= c.Num
	case "gt":
		return f > c.Num
	case "gte":
		return f >= c.Num
	case "abs_gt":
		return math.Abs(f) > c.Num
	case "abs_gte":
		return math.Abs(f) >= c.Num
	}
	return false
}

// value returns a field of e, with the pseudo-fields text, path, kind and source.
func value(e *event.Event, name string) (string, bool) {
	switch name {
	case "text":
		return e.Text, true
	case "path":
		return e.Path, true
	case "kind":
		return e.Kind, true
	case "source":
		return e.Source, true
	}
	v, ok := e.Fields[name]
	return v, ok
}

// containsFold reports whether s contains the lower-case substr, ignoring case.
func containsFold(s, lowerSubstr string) bool {
	return strings.Contains(strings.ToLower(s), lowerSubstr)
}

// needle is a string that a regular expression's matches hold.
type needle struct {
	s    string // lower-case when fold
	fold bool   // matched ignoring ASCII case
	at   int    // the byte of s searched for first: not a letter if possible
}

// minNeedle is the shortest useful needle: single bytes are found
// everywhere.
const minNeedle = 2

// needles returns strings one of which every match of the regular
// expression expr holds, or nil when there is no useful set (a needle
// shorter than minNeedle, a part that may match anything). Case-folded
// needles are ASCII only: see anyNeedle.
func needles(expr string) []needle {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	set, ok := mustHold(re.Simplify())
	if !ok {
		return nil
	}
	for _, n := range set {
		if len(n.s) < minNeedle {
			return nil
		}
	}
	return set
}

// mustHold returns strings one of which every match of re holds.
func mustHold(re *syntax.Regexp) ([]needle, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		fold := re.Flags&syntax.FoldCase != 0
		if fold {
			for _, r := range re.Rune {
				if r >= utf8.RuneSelf {
					return nil, false
				}
			}
			s = strings.ToLower(s)
		}
		return []needle{newNeedle(s, fold)}, true
	case syntax.OpCapture, syntax.OpPlus:
		return mustHold(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return mustHold(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []needle
		consider := func(set []needle) {
			if best == nil || shortest(set) > shortest(best) {
				best = set
			}
		}
		for i := 0; i < len(re.Sub); i++ {
			// A run of parts each matching a few exact strings holds one
			// of their concatenations: the parser factors "fs|federation"
			// into "f(?:s|ederation)", whose parts alone are one letter.
			if strs, fold, ok := exact(re.Sub[i]); ok {
				for j := i + 1; j < len(re.Sub); j++ {
					next, f, ok := exact(re.Sub[j])
					if !ok || f != fold || len(strs)*len(next) > maxExact {
						break
					}
					strs = product(strs, next)
				}
				set := make([]needle, len(strs))
				for k, s := range strs {
					set[k] = newNeedle(s, fold)
				}
				consider(set)
			}
			if set, ok := mustHold(re.Sub[i]); ok {
				consider(set)
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []needle
		for _, sub := range re.Sub {
			set, ok := mustHold(sub)
			if !ok {
				return nil, false
			}
			all = append(all, set...)
		}
		return all, true
	}
	return nil, false
}

// maxExact bounds the strings exact and product build.
const maxExact = 32

// exact returns the strings re matches when they are few (lower-cased when
// it ignores case, which fold reports; ASCII only).
func exact(re *syntax.Regexp) (strs []string, fold, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		fold = re.Flags&syntax.FoldCase != 0
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false, false
			}
		}
		s := string(re.Rune)
		if fold {
			s = strings.ToLower(s)
		}
		return []string{s}, fold, true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpAlternate:
		for i, sub := range re.Sub {
			set, f, ok := exact(sub)
			if !ok || i > 0 && f != fold || len(strs)+len(set) > maxExact {
				return nil, false, false
			}
			strs, fold = append(strs, set...), f
		}
		return strs, fold, true
	case syntax.OpConcat:
		strs = []string{""}
		for i, sub := range re.Sub {
			set, f, ok := exact(sub)
			if !ok || i > 0 && f != fold || len(strs)*len(set) > maxExact {
				return nil, false, false
			}
			strs, fold = product(strs, set), f
		}
		return strs, fold, true
	}
	return nil, false, false
}

// product returns every string of a followed by every string of b.
func product(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

func shortest(set []needle) int {
	n := -1
	for _, s := range set {
		if n < 0 || len(s.s) < n {
			n = len(s.s)
		}
	}
	return n
}

// newNeedle picks the byte to search for first: the first that is not a
// letter, so that one IndexByte finds it in either case.
func newNeedle(s string, fold bool) needle {
	n := needle{s: s, fold: fold}
	if fold {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 'a' || c > 'z' {
				n.at = i
				break
			}
		}
	}
	return n
}

// anyNeedle reports whether v holds one of the needles. A value with
// non-ASCII bytes is not filtered: the regexp's case folding there goes
// beyond ASCII (the Kelvin sign matches k, the long s matches s).
func anyNeedle(set []needle, v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return true
		}
	}
	for _, n := range set {
		if n.in(v) {
			return true
		}
	}
	return false
}

// in reports whether v holds n.
func (n *needle) in(v string) bool {
	if !n.fold {
		return strings.Contains(v, n.s)
	}
	c := n.s[n.at]
	up := c
	if c >= 'a' && c <= 'z' {
		up = c - ('a' - 'A')
	}
	// Candidates are the places of c (or its upper case) at index at or
	// later within a match; each is compared whole.
	for i := n.at; i+len(n.s)-n.at <= len(v); i++ {
		j := indexEither(v[i:len(v)-(len(n.s)-n.at)+1], c, up)
		if j < 0 {
			return false
		}
		i += j
		if equalFoldASCII(v[i-n.at:i-n.at+len(n.s)], n.s) {
			return true
		}
	}
	return false
}

// indexEither returns the first index of a or b in s, or -1.
func indexEither(s string, a, b byte) int {
	i := strings.IndexByte(s, a)
	if a == b {
		return i
	}
	if i >= 0 {
		s = s[:i]
	}
	if j := strings.IndexByte(s, b); j >= 0 {
		return j
	}
	return i
}

// equalFoldASCII reports whether s equals the lower-case lower, ignoring
// ASCII case.
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
