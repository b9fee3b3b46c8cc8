package main

import (
	"errors"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

type analyzeFlags struct {
	format      string
	output      string
	failOn      string
	sigDirs     []string
	since       string
	until       string
	maxEvidence int
	noColor     bool
	clientTZ    string
	lang        string
	redact      bool
	budget      budgetFlags
}

func newAnalyzeCmd(s *streams) *cobra.Command {
	var f analyzeFlags
	cmd := &cobra.Command{
		Use:   "analyze [flags] PATH...",
		Short: "Find the documented sign-in errors in a bundle of logs",
		Long: `Analyze reads every PATH - a .zip, .tar or .tar.gz (archives nested in it
too), a .gz, a folder (walked recursively), a single log file, or - for
standard input - recognises each file's format from its content, and reports
the documented sign-in errors it finds, with their evidence, cause, remedy
steps and links.

Damaged or unrecognised files are listed in the report's inputs; the rest of
the bundle is still analysed. When standard error is a terminal, a run longer
than a second shows the bytes read so far there (not with --quiet).

Exit codes: 0 success; 1 a finding at or above --fail-on; 2 usage error,
invalid signature file, no input could be read, or a PATH named here does not
exist or cannot be opened (the report of the other inputs is still written);
3 internal error, or the report could not be written ("write report.json: no
space left on device"); 130/143 interrupted by SIGINT/SIGTERM.`,
		Example: `  sfblog analyze bundle.zip
  sfblog analyze -f markdown -o ticket.md bundle.zip
  sfblog analyze -f json --fail-on error Tracing/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalyze(cmd, s, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "", "report format: "+formatHelp()+" (default table, or from the -o file's extension)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "none", "exit 1 when a finding has this severity or higher: "+strings.Join(report.FailOnLevels(), "|")+" (JUnit output fails the same findings)")
	fl.StringArrayVar(&f.sigDirs, "signatures", nil, "also load the signature files in `DIR` (repeatable)")
	fl.StringVar(&f.since, "since", "", "only consider evidence at or after `TIME` (RFC 3339; client log times are compared as wall-clock times unless --client-utc-offset is given)")
	fl.StringVar(&f.until, "until", "", "only consider evidence at or before `TIME` (RFC 3339)")
	fl.IntVar(&f.maxEvidence, "max-evidence", analyze.DefaultMaxEvidence, "evidence excerpts shown per finding")
	fl.BoolVar(&f.noColor, "no-color", false, "no colour in table output (also NO_COLOR=1)")
	fl.BoolVar(&f.redact, "redact", false, "also replace personal data (addresses, user, host and display names, IP and MAC addresses, phone numbers, SIDs) with consistent pseudonyms")
	fl.StringVar(&f.lang, "lang", "en", "language of the report's text: en|ja (JSON keys, ids and JUnit stay English)")
	f.budget.add(fl)
	fl.StringVar(&f.clientTZ, "client-utc-offset", "", "the client computer's UTC `OFFSET` (+02:00), to place client-log times, which carry no zone, among event-log times (default: estimated from server Date headers)")
	completeInputs(cmd)
	completeReportFlags(cmd)
	completeValues(cmd, "fail-on", report.FailOnLevels()...)
	completeValues(cmd, "since")
	completeValues(cmd, "until")
	completeValues(cmd, "max-evidence")
	completeValues(cmd, "client-utc-offset")
	must(cmd.MarkFlagDirname("signatures"))
	return cmd
}

func runAnalyze(cmd *cobra.Command, s *streams, f analyzeFlags, args []string) error {
	if !slices.Contains(report.FailOnLevels(), f.failOn) {
		return usageErr("--fail-on %q: want one of %s", f.failOn, strings.Join(report.FailOnLevels(), ", "))
	}
	if f.maxEvidence < 1 {
		return usageErr("--max-evidence must be at least 1")
	}
	opt := s.analyzeOptions()
	if err := f.budget.apply(&opt.Bundle); err != nil {
		return err
	}
	var err error
	if opt.Since, err = parseTime("--since", f.since); err != nil {
		return err
	}
	if opt.Until, err = parseTime("--until", f.until); err != nil {
		return err
	}
	if f.clientTZ != "" {
		off, err := analyze.ParseOffset(f.clientTZ)
		if err != nil {
			return usageErr("--client-utc-offset: %v", err)
		}
		opt.ClientOffset = &off
	}
	cat, err := loadCatalog(f.sigDirs)
	if err != nil {
		return err
	}
	if err := outputNotInput(f.output, args); err != nil {
		return err
	}
	out, err := newOutput(cmd.Context(), s, outputSpec{format: f.format, path: f.output, lang: f.lang, failOn: f.failOn, noColor: f.noColor})
	if err != nil {
		return err
	}
	defer out.close()
	if out.file != nil {
		// The report may be written into a folder being read: neither it
		// nor its temporary file is an input.
		opt.Bundle.Skip = append(opt.Bundle.Skip, out.file.dest)
		if out.file.temp != "" {
			opt.Bundle.Skip = append(opt.Bundle.Skip, out.file.temp)
		}
	}
	if f.lang == "en" {
		f.lang = ""
	}
	opt.MaxEvidence = f.maxEvidence
	opt.Lang = f.lang
	opt.Redact = f.redact
	a := analyze.New(signatures.NewMatcher(cat), opt)
	bar := startProgress(s, args)
	r, err := a.Run(cmd.Context(), args)
	bar.stop()
	if r == nil {
		return &exitError{exitInternal, err}
	}
	noInput := errors.Is(err, analyze.ErrNoInput)
	missing := reportInputs(s, args, r.Inputs)
	if err := out.write(r); err != nil {
		return err
	}
	if noInput {
		return &exitError{exitUsage, errors.New("no input could be read")}
	}
	if err := missingErr(missing); err != nil {
		return err
	}
	for _, fd := range allFindings(r) {
		if report.AtOrAbove(fd.Severity, f.failOn) {
			return &exitError{code: exitFindings}
		}
	}
	return nil
}

func parseTime(flag, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, usageErr("%s %q: want an RFC 3339 time such as 2017-06-15T09:00:00Z", flag, v)
	}
	return t, nil
}

// reportInputs tells on standard error which inputs could not be fully
// read, and returns the paths named in args that could not be opened at
// all (they do not exist, or access is denied). Those are always told;
// the damaged or unrecognised files of a bundle are notes that --quiet
// leaves out. Paths and error texts come from the inputs: they are escaped.
func reportInputs(s *streams, args []string, inputs []analyze.Input) (missing []string) {
	named := unopenable(args)
	for _, in := range inputs {
		say := s.note
		if slices.Contains(named, in.Path) {
			say = s.warn
		}
		for _, e := range in.Errors {
			say("%s: %s", safe(in.Path), safe(e))
		}
		if in.Format == "unrecognized" && len(in.Errors) == 0 {
			say("%s: not a format sfblog reads (skipped)", safe(in.Path))
		}
	}
	return named
}

// unopenable returns the paths of args, other than "-", that do not exist
// or whose file or folder cannot be opened. Pipes and devices are not
// opened again (a FIFO without a writer would block).
func unopenable(args []string) []string {
	var bad []string
	for _, p := range args {
		if p == "-" {
			continue
		}
		fi, err := os.Stat(p)
		if err == nil && (fi.Mode().IsRegular() || fi.IsDir()) {
			var f *os.File
			if f, err = os.Open(p); err == nil {
				f.Close()
			}
		}
		if err != nil {
			bad = append(bad, p)
		}
	}
	return bad
}

// missingErr is the usage error (exit 2) of paths named on the command
// line that could not be opened, when the other inputs were analysed.
func missingErr(missing []string) error {
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return usageErr("%s could not be read; the report covers the other inputs", missing[0])
	}
	return usageErr("%d inputs could not be read (%s); the report covers the other inputs", len(missing), strings.Join(missing, ", "))
}

// outputNotInput refuses an output file that is one of the inputs: the
// report would replace the bundle it was made from ("sfblog analyze -o
// bundle.zip bundle.zip").
func outputNotInput(output string, inputs []string) error {
	if output == "" || output == "-" {
		return nil
	}
	oi, err := os.Stat(output)
	if err != nil {
		return nil // a new file, or an error newOutput reports
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		if ii, err := os.Stat(in); err == nil && os.SameFile(oi, ii) {
			return usageErr("-o %s: it is an input; the report would replace it", termesc.String(output))
		}
	}
	return nil
}
