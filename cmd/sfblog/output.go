package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/report"
)

// output is where a command's report goes and how it is rendered.
type output struct {
	w    report.Writer
	to   io.Writer
	file *os.File // nil for standard output
}

// newOutput picks the writer for format (or, when format is "", from the
// extension of path) and opens path, so that a bad format or an unwritable
// file is a usage error before any work. path "" or "-" is standard output,
// where colour is used on a terminal unless noColor.
func newOutput(s *streams, format, path, lang string, noColor bool) (*output, error) {
	if format == "" {
		format = formatFromOutput(path)
	}
	if lang == "en" {
		lang = ""
	}
	toStdout := path == "" || path == "-"
	w, err := report.New(format, report.Options{Color: toStdout && !noColor && isTerminal(s.out), Lang: lang})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	o := &output{w: w, to: s.out}
	if !toStdout {
		if o.file, err = os.Create(path); err != nil {
			return nil, usageErr("output: %v", err)
		}
		o.to = o.file
	}
	return o, nil
}

// write renders r (the writers render fully before writing, in one call)
// and closes the output file.
func (o *output) write(r *analyze.Report) error {
	err := o.w.Write(o.to, r)
	if o.file != nil {
		if cerr := o.file.Close(); err == nil {
			err = cerr
		}
		o.file = nil
	}
	if err != nil {
		return &exitError{exitInternal, fmt.Errorf("write report: %w", err)}
	}
	return nil
}

// close releases the output file when the report was never written.
func (o *output) close() {
	if o.file != nil {
		o.file.Close()
	}
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
