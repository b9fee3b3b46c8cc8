package analyze

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sfblog/sfblog/parsers"
	"github.com/sfblog/sfblog/signatures"
)

// ExampleResult is the outcome of one example of a signature.
type ExampleResult struct {
	ID     string // signature id
	Want   string // "match" or "no_match"
	Name   string // example name
	File   string // signature file
	Line   int    // line of the example in it
	Pass   bool
	Detail string // why it failed, or what was found
}

// RunExamples runs every example of sigs through the whole pipeline
// (parser, every signature of the analyzer's catalog, the report rules):
// a match example must report its signature (with the stated confidence),
// a no_match example must not report it.
func (a *Analyzer) RunExamples(ctx context.Context, sigs []*signatures.Signature) []ExampleResult {
	var out []ExampleResult
	for _, s := range sigs {
		for _, want := range []string{"match", "no_match"} {
			list := s.Examples.Match
			if want == "no_match" {
				list = s.Examples.NoMatch
			}
			for _, x := range list {
				res := ExampleResult{ID: s.ID, Want: want, Name: x.Name, File: s.File, Line: x.Line}
				r, err := a.Example(ctx, x)
				if err != nil {
					res.Detail = err.Error()
					out = append(out, res)
					continue
				}
				var ids []string
				var got *Finding
				for i, f := range r.Findings {
					ids = append(ids, f.ID+"("+f.Confidence+")")
					if f.ID == s.ID {
						got = &r.Findings[i]
					}
				}
				found := "found: " + strings.Join(ids, ", ")
				if len(ids) == 0 {
					found = "found: nothing"
				}
				switch {
				case want == "match" && got == nil:
					res.Detail = "did not fire; " + found
				case want == "match" && x.Confidence != "" && got.Confidence != x.Confidence:
					res.Detail = fmt.Sprintf("fired as %s, want %s; %s", got.Confidence, x.Confidence, found)
				case want == "no_match" && got != nil:
					res.Detail = "fired; " + found
				default:
					res.Pass = true
					res.Detail = found
				}
				out = append(out, res)
			}
		}
	}
	return out
}

// Example analyses one example on its own and returns the report.
func (a *Analyzer) Example(ctx context.Context, x signatures.Example) (*Report, error) {
	name := x.File
	if name == "" {
		name = "example"
	}
	in := a.newInput(name)
	sink := in.sink(a)
	if x.Input != "" {
		in.Format = parsers.Sniff([]byte(x.Input))
		if slices.Contains([]string{parsers.Evtx, parsers.Unrecognized}, in.Format) {
			return nil, fmt.Errorf("example %q: input is not text sfblog reads (%s)", x.Name, in.Format)
		}
		problems, err := parsers.ParseText(ctx, in.Format, name, strings.NewReader(x.Input), sink)
		if err != nil {
			return nil, fmt.Errorf("example %q: %w", x.Name, err)
		}
		for _, p := range problems {
			in.Errors = append(in.Errors, p.String())
		}
	} else {
		in.Format = "events"
		for i, xe := range x.Events {
			e, err := xe.Event(name, i+1)
			if err != nil {
				return nil, fmt.Errorf("example %q: %w", x.Name, err)
			}
			if err := sink(e); err != nil {
				return nil, err
			}
		}
	}
	return a.finish([]*input{in}), nil
}
