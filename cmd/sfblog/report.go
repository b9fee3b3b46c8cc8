package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/report"
)

func newReportCmd(s *streams) *cobra.Command {
	var format, output, lang string
	cmd := &cobra.Command{
		Use:   "report [-f FORMAT] [-o FILE] REPORT.json",
		Short: "Render a saved JSON report in another format (one analysis, several outputs)",
		Long: `Report reads a report written by "sfblog analyze -f json" (or - for standard
input) and renders it again, so that a CI job can keep the JSON as its artifact
and post markdown to a ticket without analysing the bundle twice.

Secrets are masked again in every excerpt, message and error text of the
saved report, as analyze masks them: a report edited or written by an older
sfblog does not leak a credential through this command.

The file must hold one report and nothing but white space after it, and at
most ` + strconv.Itoa(maxReport>>20) + ` MiB (analyze's reports stay under a few MiB).`,
		Example: `  sfblog analyze -f json -o report.json bundle.zip
  sfblog report -f markdown report.json | gh issue create --title "Sign-in failure" --body-file -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in io.Reader = s.in
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return usageErr("%v", err)
				}
				defer f.Close()
				in = f
			}
			r, err := readReport(in, maxReport)
			if err != nil {
				return usageErr("%s: %v", args[0], err)
			}
			maskReport(r)
			out, err := newOutput(cmd.Context(), s, outputSpec{format: format, path: output, lang: lang})
			if err != nil {
				return err
			}
			defer out.close()
			return out.write(r)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "output format: "+formatHelp()+" (default table, or from the -o file's extension)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to `FILE` instead of standard output")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the writer's own words: en|"+strings.Join(report.Languages, "|")+" (finding texts stay as saved)")
	completeReportFlags(cmd)
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return cmd
}

// maxReport bounds the JSON that report reads, since decoding holds all
// of it. analyze's reports stay under a few MiB: their inputs, evidence
// and errors are capped (the largest of the hostile suite is 4.3 MB).
const maxReport = 32 << 20

// readReport decodes a JSON report strictly: an unknown key, a schema
// version this build does not know, anything but white space after the
// report, or more than limit bytes (maxReport) is an error.
func readReport(r io.Reader, limit int64) (*analyze.Report, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	tooLarge := func() error {
		if limit >= 1<<20 {
			return fmt.Errorf("more than %d MiB: not a report sfblog writes (they stay under a few MiB)", limit>>20)
		}
		return fmt.Errorf("more than %d bytes: not a report sfblog writes", limit)
	}
	dec := json.NewDecoder(lr)
	dec.DisallowUnknownFields()
	var rep analyze.Report
	if err := dec.Decode(&rep); err != nil {
		if lr.N <= 0 {
			return nil, tooLarge()
		}
		return nil, fmt.Errorf("not an sfblog JSON report: %w", err)
	}
	end := dec.InputOffset()
	_, err := dec.Token()
	if lr.N <= 0 {
		return nil, tooLarge()
	}
	if err != io.EOF {
		// Two reports written to one file, or a report and other text.
		return nil, fmt.Errorf("not an sfblog JSON report: more than white space after the report, which ends at byte %d", end)
	}
	if rep.SchemaVersion != analyze.SchemaVersion {
		return nil, fmt.Errorf("schema_version %d: this sfblog reads version %d", rep.SchemaVersion, analyze.SchemaVersion)
	}
	return &rep, nil
}

// maskReport masks secrets (mask.Secrets) in every text of r that carries
// log content: excerpts, messages, the decisive responses and steps of the
// timeline, input errors, the reasons a cause was ruled out, the user
// agent, and every path (a file name may hold a secret); in every group
// too.
func maskReport(r *analyze.Report) {
	r.Subject.UserAgent = mask.Secrets(r.Subject.UserAgent)
	for i := range r.Inputs {
		in := &r.Inputs[i]
		in.Path, in.CopyOf = mask.Secrets(in.Path), mask.Secrets(in.CopyOf)
		maskAll(in.Errors)
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Message = mask.Secrets(f.Message)
		if f.Deciding != nil {
			f.Deciding.Excerpt = mask.Secrets(f.Deciding.Excerpt)
			f.Deciding.Path = mask.Secrets(f.Deciding.Path)
		}
		for j := range f.Evidence {
			f.Evidence[j].Excerpt = mask.Secrets(f.Evidence[j].Excerpt)
			f.Evidence[j].Path = mask.Secrets(f.Evidence[j].Path)
		}
	}
	for i := range r.RuledOut {
		r.RuledOut[i].Reason = mask.Secrets(r.RuledOut[i].Reason)
		r.RuledOut[i].Path = mask.Secrets(r.RuledOut[i].Path)
	}
	for i := range r.Attempts {
		a := &r.Attempts[i]
		a.Decisive = mask.Secrets(a.Decisive)
		a.Path = mask.Secrets(a.Path)
		for j := range a.Steps {
			a.Steps[j].Detail = mask.Secrets(a.Steps[j].Detail)
			a.Steps[j].Path = mask.Secrets(a.Steps[j].Path)
		}
	}
	for i := range r.Groups {
		maskReport(&r.Groups[i])
	}
}

func maskAll(ss []string) {
	for i, s := range ss {
		ss[i] = mask.Secrets(s)
	}
}
