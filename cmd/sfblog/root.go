package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/bundle"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/signatures"
)

// streams are the command's standard files and the settings every command
// shares.
type streams struct {
	in       *stdin
	out, err io.Writer
	temps    *bundle.Temps // the temporary files of every analysis; run removes them
	build    buildInfo
	quiet    bool // --quiet: no notes and no progress on stderr; errors still
}

// analyzeOptions are the analyzer options every command starts from.
func (s *streams) analyzeOptions() analyze.Options {
	var opt analyze.Options
	opt.Version = s.build.Version
	opt.Stdin = s.in
	opt.Bundle.Temps = s.temps
	if info := regularFile(s.out); info != nil {
		// "sfblog analyze Tracing/ > Tracing/report.txt": the file the
		// output goes to is not an input.
		opt.Bundle.SkipFiles = append(opt.Bundle.SkipFiles, info)
	}
	return opt
}

// regularFile returns the info of the regular file w writes to, or nil
// when w is not a file (a terminal, a pipe, a buffer).
func regularFile(w io.Writer) os.FileInfo {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return nil
	}
	return info
}

// note prints one line on standard error unless --quiet. Text that came
// from an input must already be escaped (termesc.Line).
func (s *streams) note(format string, a ...any) {
	if !s.quiet {
		fmt.Fprintf(s.err, "sfblog: "+format+"\n", a...)
	}
}

// warn prints one line on standard error, even with --quiet.
func (s *streams) warn(format string, a ...any) {
	fmt.Fprintf(s.err, "sfblog: "+format+"\n", a...)
}

// newRootCmd returns the sfblog command over s (its in, out, err and temps).
func newRootCmd(s *streams) *cobra.Command {
	s.build = readBuildInfo()
	root := &cobra.Command{
		Use:   "sfblog",
		Short: "Diagnose Skype for Business Online sign-in failures from client and event logs",
		Long: `sfblog reads a support bundle - the client's UccApilog files and exported Windows
event logs, as a zip, a tar (.tar.gz), a folder or single files - and reports which documented
sign-in error happened, with the evidence lines, the cause, the remedy steps
and the remedy links.

Exit codes: 0 success; 1 a finding at or above --fail-on, or failed tests or
cases; 2 usage error, invalid signature file, or an input named on the command
line could not be read; 3 internal error, or the report could not be written;
130 and 143 interrupted by SIGINT or SIGTERM.`,
		Version:       s.build.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate(s.build.String())
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.PersistentFlags().BoolVarP(&s.quiet, "quiet", "q", false, "no notes and no progress on standard error (errors are still printed)")
	root.AddCommand(newAnalyzeCmd(s), newBatchCmd(s), newParseCmd(s), newReportCmd(s), newSignaturesCmd(s), newRegressCmd(s), newVersionCmd(s))
	internalErrors(root)
	return root
}

// internalErrors makes every error that a command's RunE returns without
// an exit code an internal error (exit 3): exit 2 stays for what cobra
// rejects before RunE (flags, arguments) and for the usage errors the
// commands name.
func internalErrors(c *cobra.Command) {
	if runE := c.RunE; runE != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := runE(cmd, args)
			var ee *exitError
			if err != nil && !errors.As(err, &ee) {
				return &exitError{exitInternal, err}
			}
			return err
		}
	}
	for _, sub := range c.Commands() {
		internalErrors(sub)
	}
}

// loadCatalog returns the shipped catalog plus the signature files of dirs.
// An invalid signature file is a usage error (exit 2).
func loadCatalog(dirs []string) (*signatures.Catalog, error) {
	c, err := signatures.Default()
	if err != nil {
		return nil, &exitError{exitInternal, fmt.Errorf("shipped catalog: %w", err)}
	}
	for _, d := range dirs {
		if err := c.AddDir(d); err != nil {
			return nil, &exitError{exitUsage, err}
		}
	}
	return c, nil
}

// usageErr wraps an error as a usage error.
func usageErr(format string, a ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, a...)}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	// A character device is not enough: /dev/null is one, and drew the
	// progress line (and coloured the output) for nothing.
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth returns the width in columns of the terminal w, else the
// COLUMNS environment variable (set by shells, and by hand for a report
// that will be pasted into a narrow window), else 0 (the writer's default).
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && isTerminal(w) {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return width
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 0
}

// isColorTerminal reports whether w is a terminal that takes colour.
func isColorTerminal(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

// safe escapes input-derived text for one line of a message or of a
// plain-text output (termesc.Line).
func safe(s string) string { return termesc.Line(s) }
