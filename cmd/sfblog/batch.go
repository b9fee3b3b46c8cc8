package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

// batchLine is one line of the JSON Lines stream of sfblog batch.
type batchLine struct {
	Bundle string          `json:"bundle"`
	Error  string          `json:"error,omitempty"`
	Report *analyze.Report `json:"report,omitempty"`
}

func newBatchCmd(s *streams) *cobra.Command {
	var (
		output, failOn, lang string
		sigDirs              []string
		jobs                 int
		redact               bool
		budget               budgetFlags
	)
	cmd := &cobra.Command{
		Use:   "batch [flags] BUNDLE...",
		Short: "Analyse many bundles, each on its own, into one JSON Lines stream",
		Long: `Batch analyses each BUNDLE (a zip, a tar, a folder or a file) on its own, as
"sfblog analyze" would, using every core, and writes one JSON object per
line, in the order of the arguments: {"bundle": PATH, "report": {...}} with
the report of "analyze -f json", or {"bundle": PATH, "error": "..."} when the
bundle could not be read at all. This is how a support team triages a queue
of tickets, or a CI job runs a corpus of samples.

Exit codes: 0 success; 1 a finding at or above --fail-on in any bundle; 2
usage error, or no bundle could be read; 3 internal error, or the stream
could not be written; 130/143 interrupted.`,
		Example: `  sfblog batch tickets/*.zip > triage.jsonl
  sfblog batch --fail-on error -o corpus.jsonl samples/*/bundle.zip
  sfblog batch tickets/*.zip | jq -r 'select(.report.summary.error > 0) | .bundle'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(report.FailOnLevels(), failOn) {
				return usageErr("--fail-on %q: want one of %s", failOn, strings.Join(report.FailOnLevels(), ", "))
			}
			if lang == "en" {
				lang = ""
			} else if !slices.Contains(signatures.Languages, lang) {
				return usageErr("--lang %q: want en or %s", lang, strings.Join(signatures.Languages, ", "))
			}
			opt := s.analyzeOptions()
			if err := budget.apply(&opt.Bundle); err != nil {
				return err
			}
			opt.Lang, opt.Redact = lang, redact
			cat, err := loadCatalog(sigDirs)
			if err != nil {
				return err
			}
			w, closeOut, err := batchOutput(cmd.Context(), s, output)
			if err != nil {
				return err
			}
			a := analyze.New(signatures.NewMatcher(cat), opt)
			var read, failed int
			err = a.Batch(cmd.Context(), args, jobs, func(res analyze.BatchResult) error {
				line := batchLine{Bundle: res.Path}
				switch {
				case res.Report == nil:
					line.Error = res.Err.Error()
					s.warn("%s: %s", safe(res.Path), safe(line.Error))
				case errors.Is(res.Err, analyze.ErrNoInput):
					line.Error, line.Report = res.Err.Error(), res.Report
					s.warn("%s: %s", safe(res.Path), safe(line.Error))
				default:
					read++
					line.Report = res.Report
					for _, f := range allFindings(res.Report) {
						if report.AtOrAbove(f.Severity, failOn) {
							failed++
							break
						}
					}
				}
				b, err := json.Marshal(line)
				if err != nil {
					return &exitError{exitInternal, fmt.Errorf("encode the report of %s: %w", res.Path, err)}
				}
				if _, err := w.Write(append(jsonSafe(b), '\n')); err != nil {
					return &exitError{exitInternal, fmt.Errorf("write %s: %w", outputName(output), err)}
				}
				return nil
			})
			if cerr := closeOut(err == nil); err == nil && cerr != nil {
				err = &exitError{exitInternal, fmt.Errorf("write %s: %w", outputName(output), cerr)}
			}
			switch {
			case err != nil:
				return err
			case read == 0:
				return &exitError{exitUsage, errors.New("no bundle could be read")}
			case failed > 0:
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "", "write the stream to `FILE` instead of standard output")
	fl.StringVar(&failOn, "fail-on", "none", "exit 1 when a finding of any bundle has this severity or higher: "+strings.Join(report.FailOnLevels(), "|"))
	fl.StringArrayVar(&sigDirs, "signatures", nil, "also load the signature files in `DIR` (repeatable)")
	fl.IntVarP(&jobs, "jobs", "j", 0, "bundles analysed at once (default: the number of cores)")
	fl.BoolVar(&redact, "redact", false, "also mask personal data in every report")
	fl.StringVar(&lang, "lang", "en", "language of the reports' text: en|ja")
	budget.add(fl)
	completeInputs(cmd)
	completeValues(cmd, "fail-on", report.FailOnLevels()...)
	completeValues(cmd, "lang", append([]string{"en"}, signatures.Languages...)...)
	must(cmd.MarkFlagDirname("signatures"))
	return cmd
}

// batchOutput opens the stream's destination; close flushes it. A -o file
// is written beside its path and replaces it only when close is told that
// the run is complete (ok) and the run was not interrupted (see safeFile):
// otherwise an existing file is left as it was.
func batchOutput(ctx context.Context, s *streams, path string) (*bufio.Writer, func(ok bool) error, error) {
	if path == "" {
		w := bufio.NewWriter(s.out)
		return w, func(bool) error { return w.Flush() }, nil
	}
	f, err := createSafe(ctx, path)
	if err != nil {
		return nil, nil, usageErr("create %s: %v", path, err)
	}
	w := bufio.NewWriter(f)
	return w, func(ok bool) error {
		if !ok {
			f.discard()
			return nil
		}
		if err := w.Flush(); err != nil {
			f.discard()
			return err
		}
		return f.commit(ctx)
	}, nil
}

// outputName names the destination in an error message.
func outputName(path string) string {
	if path == "" {
		return "standard output"
	}
	return path
}
