package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
)

// output is where a command's report goes and how it is rendered.
type output struct {
	w    report.Writer
	to   io.Writer
	name string          // for messages: the -o path or "standard output"
	file *safeFile       // nil for standard output
	ctx  context.Context // the run's: an interrupted run replaces no file
}

// formatAliases are the other names --format accepts, as the -o
// extensions say them.
var formatAliases = map[string]string{
	"md":   "markdown",
	"htm":  "html",
	"xml":  "junit",
	"txt":  "table",
	"text": "table",
}

// canonicalFormat returns the report format a --format value names:
// the names of report.Formats and their aliases, in any case.
func canonicalFormat(f string) string {
	f = strings.ToLower(strings.TrimSpace(f))
	if c, ok := formatAliases[f]; ok {
		return c
	}
	return f
}

// formatHelp lists the formats for a flag's help: "table|markdown (md)|...".
func formatHelp() string {
	var names []string
	for _, f := range report.Formats() {
		for a, c := range formatAliases {
			if c == f && a != "txt" && a != "text" {
				f += " (" + a + ")"
			}
		}
		names = append(names, f)
	}
	return strings.Join(names, "|")
}

// outputSpec says where a report goes and how: the flags of the command.
type outputSpec struct {
	format  string // --format; "" means from the extension of path
	path    string // -o; "" or "-" means standard output
	lang    string // --lang
	failOn  string // --fail-on, for JUnit
	noColor bool   // --no-color
}

// newOutput picks the writer for the format and opens the output file, so
// that a bad format or an unwritable file is a usage error before any
// work. The file is written beside the -o path and replaces it only once
// the report is complete (safeFile): a run that fails or is interrupted
// leaves an existing report as it was. On a terminal, the table uses
// colour (unless noColor or NO_COLOR) and the terminal's width.
func newOutput(ctx context.Context, s *streams, spec outputSpec) (*output, error) {
	format, path, lang := spec.format, spec.path, spec.lang
	if format == "" {
		format = formatFromOutput(path)
	}
	if lang == "en" {
		lang = ""
	}
	toStdout := path == "" || path == "-"
	opt := report.Options{Lang: lang, FailOn: spec.failOn}
	if toStdout {
		opt.Color = !spec.noColor && isColorTerminal(s.out)
		opt.Width = terminalWidth(s.out)
	}
	w, err := report.New(canonicalFormat(format), opt)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	o := &output{w: w, to: s.out, name: "standard output", ctx: ctx}
	if !toStdout {
		if o.file, err = createSafe(ctx, path); err != nil {
			return nil, usageErr("output: %v", err)
		}
		o.to, o.name = o.file, path
	}
	return o, nil
}

// write renders r (the writers render fully before writing, in one call)
// and puts the output file in place. A failed write names the file and the
// system's reason ("write report.json: no space left on device"): exit 3;
// the file named by -o is then left as it was.
func (o *output) write(r *analyze.Report) error {
	err := o.w.Write(o.to, r)
	if o.file != nil {
		if err != nil {
			o.file.discard()
		} else {
			err = o.file.commit(o.ctx)
		}
		o.file = nil
	}
	if err != nil {
		return writeErr(o.name, err)
	}
	return nil
}

// close releases the output file when the report was never written: its
// temporary file is removed and the file named by -o left as it was, so a
// failed or interrupted run leaves neither an empty report nor a
// truncated one.
func (o *output) close() {
	if o.file != nil {
		o.file.discard()
		o.file = nil
	}
}

// writeErr is the error of a failed write to name: the system's reason
// without the layers of wrapping above it, exit 3.
func writeErr(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &exitError{exitInternal, fmt.Errorf("write %s: %w", name, err)}
}

// writeOut writes text to standard output; a failure is a write error.
func writeOut(s *streams, text string) error {
	if _, err := io.WriteString(s.out, text); err != nil {
		return writeErr("standard output", err)
	}
	return nil
}

// formatFromOutput infers a format from the output file's extension.
func formatFromOutput(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return "json"
	case ".md", ".markdown":
		return "markdown"
	case ".xml":
		return "junit"
	case ".html", ".htm":
		return "html"
	}
	return "table"
}
