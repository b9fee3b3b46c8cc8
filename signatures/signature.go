// Package signatures loads the catalog of documented sign-in errors and
// matches its rules against normalized events.
//
// A signature is one YAML file (see catalog/ and README.md "Signature
// format"). It names the documented error, its cause, remedy and links, the
// event sources it reads, its evidence rules and its own examples. Files are
// strictly validated when loaded: an unknown key, a bad operator, a regular
// expression that does not compile, a missing remedy or a signature without
// examples is an error naming the file, line and field.
package signatures

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sfblog/sfblog/event"
)

// SchemaVersion is the signature file format this build reads.
const SchemaVersion = 1

// Severities, most severe first.
var severities = []string{"error", "warning", "info"}

// SeverityRank orders severities: error 3, warning 2, info 1, unknown 0.
func SeverityRank(s string) int {
	for i, v := range severities {
		if v == s {
			return len(severities) - i
		}
	}
	return 0
}

// Signature is one documented sign-in error and how to recognise it.
type Signature struct {
	SchemaVersion int      `yaml:"schema_version"`
	ID            string   `yaml:"id"`
	Severity      string   `yaml:"severity"`
	Title         string   `yaml:"title"`
	Messages      []string `yaml:"messages"` // the user-visible texts, as documented
	Cause         string   `yaml:"cause"`
	Remedy        []string `yaml:"remedy"`
	Links         []string `yaml:"links"`
	Sources       []string `yaml:"sources"` // event sources the rules read
	// Collect says what to collect to decide between causes when the
	// finding is only possible.
	Collect string `yaml:"collect"`
	// Commands are the exact Windows commands that produce the files
	// which decide or rule out this cause, for the engineer to send to
	// the user when the finding is only possible.
	Commands []string `yaml:"commands"`
	// RequiresFailure (default true) reports the signature only when the
	// inputs do not show a successful sign-in after the last failure.
	RequiresFailure *bool `yaml:"requires_failure"`
	// Fallback marks the signature reported when sign-in failed and no
	// other error or warning finding explains it (SFB-UNRESOLVED).
	Fallback bool        `yaml:"fallback"`
	Evidence []*Evidence `yaml:"evidence"`
	Examples Examples    `yaml:"examples"`
	// Translations hold the report texts in other languages, by language
	// code (Languages lists them).
	Translations map[string]Text `yaml:"translations"`

	File string `yaml:"-"` // where it was loaded from
	Line int    `yaml:"-"` // line of its id
}

// Languages a report can be written in besides English.
var Languages = []string{"ja"}

// Text is what a report says of a signature in one language.
type Text struct {
	Title   string   `yaml:"title"`
	Cause   string   `yaml:"cause"`
	Remedy  []string `yaml:"remedy"`
	Collect string   `yaml:"collect"`
}

// In returns the signature's texts in lang, falling back to English for
// anything not translated.
func (s *Signature) In(lang string) Text {
	t := Text{Title: s.Title, Cause: s.Cause, Remedy: s.Remedy, Collect: s.Collect}
	tr, ok := s.Translations[lang]
	if !ok {
		return t
	}
	if tr.Title != "" {
		t.Title = tr.Title
	}
	if tr.Cause != "" {
		t.Cause = tr.Cause
	}
	if len(tr.Remedy) > 0 {
		t.Remedy = tr.Remedy
	}
	if tr.Collect != "" {
		t.Collect = tr.Collect
	}
	return t
}

// Role of an evidence rule.
const (
	RoleDecides  = "decides"   // its presence confirms the cause
	RoleSymptom  = "symptom"   // shared by several causes: the finding is possible
	RoleRulesOut = "rules_out" // its presence drops a merely possible finding
)

// Evidence is one rule: a condition on single events, or a correlation of
// two events in the same bundle.
type Evidence struct {
	Name string   `yaml:"name"`
	Role string   `yaml:"role"`
	Kind []string `yaml:"kind"` // event kinds it reads (prefilter)
	When *Cond    `yaml:"when"`
	// With names other rules of the signature that must match too for this
	// one to count.
	With []string `yaml:"with"`
	// Unless names other rules that must not match for this one to count.
	Unless    []string   `yaml:"unless"`
	Correlate *Correlate `yaml:"correlate"`

	Line int `yaml:"-"`
}

// Side is one side of a correlation.
type Side struct {
	Kind []string `yaml:"kind"`
	When *Cond    `yaml:"when"`
}

// Join compares a field of the first event with a field of the second.
type Join struct {
	First  string `yaml:"first"`
	Second string `yaml:"second"`
	Op     string `yaml:"op"` // equal, differ, contains (second contains first), in (first contains second)
}

// Correlate pairs two events of the bundle.
type Correlate struct {
	First  Side   `yaml:"first"`
	Second Side   `yaml:"second"`
	Order  string `yaml:"order"` // any (default), before: first happened before second
	Within string `yaml:"within"`
	On     []Join `yaml:"on"`

	within time.Duration
}

// Examples are a signature's own tests.
type Examples struct {
	Match   []Example `yaml:"match"`
	NoMatch []Example `yaml:"no_match"`
}

// Example is a realistic excerpt: text in any format sfblog reads (parsed as
// a file named Name), or normalized events for sources that are not text.
type Example struct {
	Name       string         `yaml:"name"`
	File       string         `yaml:"file"` // file name the excerpt is read as (default: by content)
	Input      string         `yaml:"input"`
	Events     []ExampleEvent `yaml:"events"`
	Confidence string         `yaml:"confidence"` // match examples: the expected confidence

	Line int `yaml:"-"`
}

// ExampleEvent is a normalized event written out in an example.
type ExampleEvent struct {
	Kind     string            `yaml:"kind"`
	Source   string            `yaml:"source"`
	Time     string            `yaml:"time"`
	RecordID uint64            `yaml:"record_id"`
	Text     string            `yaml:"text"`
	Fields   map[string]string `yaml:"fields"`
}

// Event converts the example event, naming path as its origin.
func (x ExampleEvent) Event(path string, line int) (event.Event, error) {
	e := event.Event{Source: x.Source, Kind: x.Kind, Path: path, Line: line, RecordID: x.RecordID, Text: x.Text}
	if e.Source == "" {
		e.Source = event.SourceEvtx
	}
	for k, v := range x.Fields {
		e.Set(k, v)
	}
	if x.Time != "" {
		t, err := time.Parse(time.RFC3339Nano, x.Time)
		if err != nil {
			t, err = time.Parse(event.LocalLayout, x.Time)
			if err != nil {
				return e, fmt.Errorf("time %q: want RFC 3339 or %s", x.Time, event.LocalLayout)
			}
			e.Local = true
		}
		e.Time = t
	}
	if e.Text == "" {
		e.Text = x.Fields["evt.data.all"]
	}
	return e, nil
}

// NeedsFailure reports whether the signature is only reported when sign-in failed.
func (s *Signature) NeedsFailure() bool { return s.RequiresFailure == nil || *s.RequiresFailure }

// FieldError is a validation error at a line of a signature file.
type FieldError struct {
	File  string
	Line  int
	ID    string
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.ID != "" {
		fmt.Fprintf(&b, "signature %s: ", e.ID)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "%s: ", e.Field)
	}
	b.WriteString(e.Msg)
	return b.String()
}

var (
	idPattern   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`) })
	namePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`) })
	validKinds  = []string{event.KindSIP, event.KindLog, event.KindHRESULT, event.KindUIText, event.KindRecord,
		event.KindDNS, event.KindClock, event.KindRegistry, event.KindProxy, event.KindNetCfg, event.KindCert,
		event.KindDirectory, event.KindCheck}
	validSources = []string{event.SourceUccApilog, event.SourceEvtx, event.SourceText, event.SourceDNS,
		event.SourceTime, event.SourceRegistry, event.SourceNetwork, event.SourceCert, event.SourceDirectory,
		event.SourceEvtText}
	validRoles = []string{RoleDecides, RoleSymptom, RoleRulesOut}
	validJoins = []string{"equal", "differ", "contains", "in"}
)

// Parse decodes and validates one signature file. A key the format does
// not know is an error.
func Parse(file string, data []byte) (*Signature, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(file, err)
	}
	if len(root.Content) == 0 {
		return nil, &FieldError{File: file, Msg: "empty signature file"}
	}
	var s Signature
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		err := yamlError(file, err)
		if fe, ok := err.(*FieldError); ok {
			fe.ID = topValue(root.Content[0], "id")
		}
		return nil, err
	}
	s.File = file
	lines := keyLines(root.Content[0])
	s.Line = lines["id"]
	attachLines(root.Content[0], &s)
	if err := s.validate(lines); err != nil {
		if fe, ok := err.(*FieldError); ok {
			fe.File, fe.ID = file, s.ID
		}
		return nil, err
	}
	return &s, nil
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into a FieldError.
func yamlError(file string, err error) error {
	if fe, ok := err.(*FieldError); ok {
		fe.File = file
		return fe
	}
	if te, ok := err.(*yaml.TypeError); ok {
		msgs := make([]string, len(te.Errors))
		copy(msgs, te.Errors)
		var line int
		if len(msgs) > 0 {
			fmt.Sscanf(msgs[0], "line %d:", &line)
			msgs[0] = strings.TrimSpace(strings.TrimPrefix(msgs[0], fmt.Sprintf("line %d:", line)))
		}
		return &FieldError{File: file, Line: line, Msg: strings.Join(msgs, "; ")}
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		msg = strings.TrimSpace(strings.TrimPrefix(msg, fmt.Sprintf("line %d:", line)))
	}
	return &FieldError{File: file, Line: line, Msg: msg}
}

// topValue returns the scalar value of a top-level key, or "".
func topValue(n *yaml.Node, key string) string {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// keyLines maps the top-level keys of a mapping node to their lines.
func keyLines(n *yaml.Node) map[string]int {
	m := map[string]int{}
	if n.Kind != yaml.MappingNode {
		return m
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i].Line
	}
	return m
}

// attachLines records the lines of evidence rules and examples.
func attachLines(n *yaml.Node, s *Signature) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		switch k {
		case "evidence":
			for j, item := range v.Content {
				if j < len(s.Evidence) && s.Evidence[j] != nil {
					s.Evidence[j].Line = item.Line
				}
			}
		case "examples":
			for p := 0; p+1 < len(v.Content); p += 2 {
				list := &s.Examples.Match
				if v.Content[p].Value == "no_match" {
					list = &s.Examples.NoMatch
				}
				for j, item := range v.Content[p+1].Content {
					if j < len(*list) {
						(*list)[j].Line = item.Line
					}
				}
			}
		}
	}
}

func (s *Signature) validate(lines map[string]int) error {
	req := func(field string, ok bool, msg string) error {
		if ok {
			return nil
		}
		return &FieldError{Line: lines[field], Field: field, Msg: msg}
	}
	for _, err := range []error{
		req("schema_version", s.SchemaVersion == SchemaVersion, fmt.Sprintf("must be %d", SchemaVersion)),
		req("id", idPattern().MatchString(s.ID), "must look like SFB-WORD-WORD (upper case, hyphens)"),
		req("severity", slices.Contains(severities, s.Severity), "must be one of "+strings.Join(severities, ", ")),
		req("title", strings.TrimSpace(s.Title) != "", "is required"),
		req("cause", strings.TrimSpace(s.Cause) != "", "is required"),
		req("remedy", len(s.Remedy) > 0 && nonEmpty(s.Remedy), "needs at least one non-empty step"),
		req("links", len(s.Links) > 0, "needs at least one link"),
		req("sources", len(s.Sources) > 0, "needs at least one source"),
		req("evidence", len(s.Evidence) > 0, "needs at least one rule"),
		req("examples", len(s.Examples.Match) > 0, "needs at least one match example"),
		req("examples", len(s.Examples.NoMatch) > 0, "needs at least one no_match example"),
	} {
		if err != nil {
			return err
		}
	}
	for _, l := range s.Links {
		if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			return &FieldError{Line: lines["links"], Field: "links", Msg: fmt.Sprintf("%q is not an http(s) URL", l)}
		}
	}
	for _, src := range s.Sources {
		if !slices.Contains(validSources, src) {
			return &FieldError{Line: lines["sources"], Field: "sources", Msg: fmt.Sprintf("unknown source %q (want %s)", src, strings.Join(validSources, ", "))}
		}
	}
	for _, lang := range sortedKeys(s.Translations) {
		tr := s.Translations[lang]
		bad := func(msg string) error {
			return &FieldError{Line: lines["translations"], Field: "translations", Msg: lang + ": " + msg}
		}
		switch {
		case !slices.Contains(Languages, lang):
			return bad("unknown language (want one of " + strings.Join(Languages, ", ") + ")")
		case strings.TrimSpace(tr.Title) == "" || strings.TrimSpace(tr.Cause) == "":
			return bad("title and cause are required")
		case len(tr.Remedy) != len(s.Remedy) || !nonEmpty(tr.Remedy):
			return bad(fmt.Sprintf("remedy needs the same %d steps as the English one", len(s.Remedy)))
		case (tr.Collect == "") != (s.Collect == ""):
			return bad("collect must be translated exactly when the English one is given")
		}
	}
	names := map[string]bool{}
	for _, ev := range s.Evidence {
		if ev == nil {
			return &FieldError{Line: lines["evidence"], Field: "evidence", Msg: "empty rule"}
		}
		if err := ev.validate(names); err != nil {
			return err
		}
		names[ev.Name] = true
	}
	for _, ev := range s.Evidence {
		for _, ref := range []struct {
			field string
			names []string
		}{{"with", ev.With}, {"unless", ev.Unless}} {
			field := ref.field
			for _, w := range ref.names {
				if !names[w] || w == ev.Name {
					return &FieldError{Line: ev.Line, Field: field, Msg: fmt.Sprintf("rule %s: %q is not another rule of this signature", ev.Name, w)}
				}
			}
		}
	}
	for _, x := range append(append([]Example{}, s.Examples.Match...), s.Examples.NoMatch...) {
		if (x.Input == "") == (len(x.Events) == 0) {
			return &FieldError{Line: x.Line, Field: "examples", Msg: fmt.Sprintf("example %q needs exactly one of input or events", x.Name)}
		}
		if x.Name == "" {
			return &FieldError{Line: x.Line, Field: "examples", Msg: "every example needs a name"}
		}
		if x.Confidence != "" && x.Confidence != "confirmed" && x.Confidence != "possible" {
			return &FieldError{Line: x.Line, Field: "confidence", Msg: "must be confirmed or possible"}
		}
		for _, e := range x.Events {
			if !slices.Contains(validKinds, e.Kind) {
				return &FieldError{Line: x.Line, Field: "events", Msg: fmt.Sprintf("example %q: unknown kind %q", x.Name, e.Kind)}
			}
			if _, err := e.Event("", 0); err != nil {
				return &FieldError{Line: x.Line, Field: "events", Msg: fmt.Sprintf("example %q: %v", x.Name, err)}
			}
		}
	}
	return nil
}

func (ev *Evidence) validate(seen map[string]bool) error {
	bad := func(field, msg string) error {
		return &FieldError{Line: ev.Line, Field: field, Msg: fmt.Sprintf("rule %q: %s", ev.Name, msg)}
	}
	if !namePattern().MatchString(ev.Name) {
		return bad("name", "must be lower-case words joined by hyphens")
	}
	if seen[ev.Name] {
		return bad("name", "repeated rule name")
	}
	if !slices.Contains(validRoles, ev.Role) {
		return bad("role", "must be one of "+strings.Join(validRoles, ", "))
	}
	if (ev.When == nil) == (ev.Correlate == nil) {
		return bad("when", "needs exactly one of when or correlate")
	}
	if ev.When != nil {
		return checkKinds(ev.Kind, bad)
	}
	if len(ev.Kind) > 0 {
		return bad("kind", "a correlation names kinds on its first and second sides")
	}
	c := ev.Correlate
	for _, side := range []Side{c.First, c.Second} {
		if side.When == nil {
			return bad("correlate", "first and second each need a when condition")
		}
		if err := checkKinds(side.Kind, bad); err != nil {
			return err
		}
	}
	if c.Order == "" {
		c.Order = "any"
	}
	if c.Order != "any" && c.Order != "before" {
		return bad("order", "must be any or before")
	}
	if c.Within != "" {
		d, err := time.ParseDuration(c.Within)
		if err != nil || d <= 0 {
			return bad("within", "must be a positive Go duration such as 10m or 72h")
		}
		c.within = d
	}
	for _, j := range c.On {
		if j.First == "" || j.Second == "" || !slices.Contains(validJoins, j.Op) {
			return bad("on", "each join needs first, second and op ("+strings.Join(validJoins, ", ")+")")
		}
	}
	return nil
}

func checkKinds(kinds []string, bad func(field, msg string) error) error {
	if len(kinds) == 0 {
		return bad("kind", "name the event kinds the rule reads ("+strings.Join(validKinds, ", ")+")")
	}
	for _, k := range kinds {
		if !slices.Contains(validKinds, k) {
			return bad("kind", fmt.Sprintf("unknown kind %q (want %s)", k, strings.Join(validKinds, ", ")))
		}
	}
	return nil
}

func nonEmpty(list []string) bool {
	for _, s := range list {
		if strings.TrimSpace(s) == "" {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
