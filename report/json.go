package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sfblog/sfblog/analyze"
)

// JSONWriter writes the report as the JSON object of the command-line
// contract (cli-contract.md): two-space indentation, the contract's keys
// in the contract's order, arrays never null, a newline at the end.
type JSONWriter struct{}

var _ Writer = (*JSONWriter)(nil)

// The json* types fix the key order and presence of the contract; they
// differ from the analyze model only in which empty values are omitted.
type jsonReport struct {
	SchemaVersion int             `json:"schema_version"`
	Tool          analyze.Tool    `json:"tool"`
	Inputs        []jsonInput     `json:"inputs"`
	Findings      []jsonFinding   `json:"findings"`
	Summary       analyze.Summary `json:"summary"`
	SignIn        analyze.SignIn  `json:"signin"`
	Clock         analyze.Clock   `json:"clock"`
}

type jsonInput struct {
	Path      string   `json:"path"`
	Format    string   `json:"format"`
	Events    int      `json:"events"`
	FirstTime string   `json:"first_time,omitempty"`
	LastTime  string   `json:"last_time,omitempty"`
	Errors    []string `json:"errors"`
}

type jsonFinding struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	Severity      string         `json:"severity"`
	Confidence    string         `json:"confidence"`
	Message       string         `json:"message,omitempty"`
	Cause         string         `json:"cause"`
	Remedy        []string       `json:"remedy"`
	Links         []string       `json:"links"`
	Collect       string         `json:"collect,omitempty"`
	Evidence      []jsonEvidence `json:"evidence"`
	EvidenceTotal int            `json:"evidence_total"`
}

type jsonEvidence struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	RecordID uint64 `json:"record_id"`
	Time     string `json:"time,omitempty"`
	Excerpt  string `json:"excerpt"`
	Count    int    `json:"count,omitempty"`
}

// Write renders r as JSON to w.
func (*JSONWriter) Write(w io.Writer, r *analyze.Report) error {
	if r == nil {
		return fmt.Errorf("write json report: %w", errNilReport)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // excerpts stay readable; this is not embedded in HTML
	if err := enc.Encode(toJSON(r)); err != nil {
		return fmt.Errorf("encode json report: %w", err)
	}
	return flush(w, &buf, "json")
}

// toJSON copies r into the contract shape, turning nil slices into empty
// ones so that scripts never meet null where an array is documented.
func toJSON(r *analyze.Report) jsonReport {
	out := jsonReport{
		SchemaVersion: r.SchemaVersion,
		Tool:          r.Tool,
		Inputs:        make([]jsonInput, 0, len(r.Inputs)),
		Findings:      make([]jsonFinding, 0, len(r.Findings)),
		Summary:       r.Summary,
		SignIn:        r.SignIn,
		Clock:         r.Clock,
	}
	for _, in := range r.Inputs {
		out.Inputs = append(out.Inputs, jsonInput{
			Path:      in.Path,
			Format:    in.Format,
			Events:    in.Events,
			FirstTime: in.FirstTime,
			LastTime:  in.LastTime,
			Errors:    nonNil(in.Errors),
		})
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			ID:            f.ID,
			Title:         f.Title,
			Severity:      f.Severity,
			Confidence:    f.Confidence,
			Message:       f.Message,
			Cause:         f.Cause,
			Remedy:        nonNil(f.Remedy),
			Links:         nonNil(f.Links),
			Collect:       f.Collect,
			Evidence:      make([]jsonEvidence, 0, len(f.Evidence)),
			EvidenceTotal: f.EvidenceTotal,
		}
		for _, e := range f.Evidence {
			jf.Evidence = append(jf.Evidence, jsonEvidence(e))
		}
		out.Findings = append(out.Findings, jf)
	}
	return out
}

// nonNil returns s, or an empty slice when s is nil.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
