package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
)

func newReportCmd(s *streams) *cobra.Command {
	var format, output, lang string
	cmd := &cobra.Command{
		Use:   "report [-f FORMAT] [-o FILE] REPORT.json",
		Short: "Render a saved JSON report in another format (one analysis, several outputs)",
		Long: `Report reads a report written by "sfblog analyze -f json" (or - for standard
input) and renders it again, so that a CI job can keep the JSON as its artifact
and post markdown to a ticket without analysing the bundle twice.`,
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
			r, err := readReport(in)
			if err != nil {
				return usageErr("%s: %v", args[0], err)
			}
			out, err := newOutput(s, format, output, lang, false)
			if err != nil {
				return err
			}
			defer out.close()
			return out.write(r)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "", "output format: "+strings.Join(report.Formats(), "|")+" (default table, or from the -o file's extension)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to `FILE` instead of standard output")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of the writer's own words: en|ja (finding texts stay as saved)")
	return cmd
}

// readReport decodes a JSON report strictly: an unknown key or a schema
// version this build does not know is an error.
func readReport(r io.Reader) (*analyze.Report, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var rep analyze.Report
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("not an sfblog JSON report: %w", err)
	}
	if rep.SchemaVersion != analyze.SchemaVersion {
		return nil, fmt.Errorf("schema_version %d: this sfblog reads version %d", rep.SchemaVersion, analyze.SchemaVersion)
	}
	return &rep, nil
}
