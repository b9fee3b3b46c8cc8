package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/internal/termesc"
)

// JSONWriter writes the report as the JSON object of the command-line
// contract (cli-contract.md): two-space indentation, the contract's keys
// in the contract's order, arrays never null, a newline at the end.
type JSONWriter struct{}

var _ Writer = (*JSONWriter)(nil)

// The json* types fix the key order and presence of the contract; they
// differ from the analyze model only in which empty values are omitted
// (documented arrays are [] rather than absent or null) and in groups,
// which carry neither schema_version nor tool: those are the report's.
type jsonReport struct {
	SchemaVersion int          `json:"schema_version"`
	Tool          analyze.Tool `json:"tool"`
	jsonBody
}

// jsonBody is what the report and each of its groups hold.
type jsonBody struct {
	Subject  analyze.Subject    `json:"subject"`
	Inputs   []jsonInput        `json:"inputs"`
	Findings []jsonFinding      `json:"findings"`
	RuledOut []analyze.RuledOut `json:"ruled_out,omitempty"`
	Summary  analyze.Summary    `json:"summary"`
	SignIn   analyze.SignIn     `json:"signin"`
	Timeline []jsonAttempt      `json:"timeline,omitempty"`
	Clock    analyze.Clock      `json:"clock"`
	Missing  []analyze.Advice   `json:"missing,omitempty"`
	Groups   []jsonBody         `json:"groups,omitempty"`
}

type jsonInput struct {
	Path      string         `json:"path"`
	Format    string         `json:"format"`
	Events    int            `json:"events"`
	FirstTime string         `json:"first_time,omitempty"`
	LastTime  string         `json:"last_time,omitempty"`
	Errors    []string       `json:"errors"`
	Kinds     map[string]int `json:"kinds,omitempty"`
	RuledOut  []string       `json:"ruled_out,omitempty"`
	CopyOf    string         `json:"copy_of,omitempty"`
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
	Commands      []string       `json:"commands,omitempty"`
	Deciding      *jsonEvidence  `json:"deciding,omitempty"`
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

type jsonAttempt struct {
	N        int            `json:"n"`
	Start    string         `json:"start,omitempty"`
	StartUTC string         `json:"start_utc,omitempty"`
	End      string         `json:"end,omitempty"`
	Address  string         `json:"address,omitempty"`
	Steps    []analyze.Step `json:"steps"`
	Outcome  string         `json:"outcome"`
	Decisive string         `json:"decisive,omitempty"`
	Path     string         `json:"path,omitempty"`
	Line     int            `json:"line,omitempty"`
	Findings []string       `json:"findings,omitempty"`
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
	// DEL and C1 controls from the inputs would reach a terminal raw.
	safe := bytes.NewBuffer(termesc.JSON(buf.Bytes()))
	return flush(w, safe, "json")
}

// toJSON copies r into the contract shape, turning nil slices into empty
// ones so that scripts never meet null where an array is documented.
func toJSON(r *analyze.Report) jsonReport {
	return jsonReport{SchemaVersion: r.SchemaVersion, Tool: r.Tool, jsonBody: toJSONBody(r)}
}

func toJSONBody(r *analyze.Report) jsonBody {
	out := jsonBody{
		Subject:  r.Subject,
		Inputs:   make([]jsonInput, 0, len(r.Inputs)),
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		RuledOut: r.RuledOut,
		Summary:  r.Summary,
		SignIn:   r.SignIn,
		Clock:    r.Clock,
		Missing:  r.Missing,
	}
	for _, in := range r.Inputs {
		out.Inputs = append(out.Inputs, jsonInput{
			Path:      in.Path,
			Format:    in.Format,
			Events:    in.Events,
			FirstTime: in.FirstTime,
			LastTime:  in.LastTime,
			Errors:    nonNil(in.Errors),
			Kinds:     in.Kinds,
			RuledOut:  in.RuledOut,
			CopyOf:    in.CopyOf,
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
			Commands:      f.Commands,
			Evidence:      make([]jsonEvidence, 0, len(f.Evidence)),
			EvidenceTotal: f.EvidenceTotal,
		}
		if f.Deciding != nil {
			d := jsonEvidence(*f.Deciding)
			jf.Deciding = &d
		}
		for _, e := range f.Evidence {
			jf.Evidence = append(jf.Evidence, jsonEvidence(e))
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, a := range r.Attempts {
		steps := a.Steps
		if steps == nil {
			steps = []analyze.Step{}
		}
		out.Timeline = append(out.Timeline, jsonAttempt{
			N: a.N, Start: a.Start, StartUTC: a.StartUTC, End: a.End, Address: a.Address,
			Steps: steps, Outcome: a.Outcome, Decisive: a.Decisive, Path: a.Path, Line: a.Line,
			Findings: a.Findings,
		})
	}
	for i := range r.Groups {
		out.Groups = append(out.Groups, toJSONBody(&r.Groups[i]))
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
