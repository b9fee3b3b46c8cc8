package signatures

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
	Re    *regexp.Regexp
	Num   float64
	Want  bool // exists
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
		re, err := regexp.Compile(v.Value)
		if err != nil {
			return bad(fmt.Sprintf("invalid regular expression: %v", err))
		}
		c.Re = re
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

// Match reports whether the condition holds for e.
func (c *Cond) Match(e *event.Event) bool {
	switch {
	case c.All != nil:
		for _, s := range c.All {
			if !s.Match(e) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, s := range c.Any {
			if s.Match(e) {
				return true
			}
		}
		return false
	case c.Not != nil:
		return !c.Not.Match(e)
	}
	v, ok := value(e, c.Field)
	if c.Op == "exists" {
		return ok == c.Want
	}
	if !ok {
		return false
	}
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
