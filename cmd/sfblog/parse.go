package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/signatures"
)

func newParseCmd(s *streams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "parse [-f jsonl|table] PATH...",
		Short: "Print the normalized events of the inputs, one JSON object per line",
		Long: `Parse reads the inputs as analyze does and prints every normalized event:
one JSON object per line (jsonl), or a table. Secrets are masked. Client log
times are local wall-clock times without a zone ("local_time": true).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "jsonl" && format != "table" {
				return usageErr("--format %q: want jsonl or table", format)
			}
			cat, err := loadCatalog(nil)
			if err != nil {
				return err
			}
			a := analyze.New(signatures.NewMatcher(cat), analyze.Options{Stdin: s.in, Version: version})
			out := bufio.NewWriter(s.out)
			var rows [][]string
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			inputs, err := a.Events(cmd.Context(), args, func(e *event.Event) error {
				m := masked(e)
				if format == "jsonl" {
					return enc.Encode(m)
				}
				rows = append(rows, tableRow(&m))
				return nil
			})
			reportInputs(s, inputs)
			if err != nil && !errors.Is(err, analyze.ErrNoInput) {
				return &exitError{exitInternal, err}
			}
			if format == "table" {
				t := tablewriter.NewWriter(out)
				t.Header("TIME", "WHERE", "KIND", "SUMMARY")
				if err := t.Bulk(rows); err != nil {
					return &exitError{exitInternal, err}
				}
				if err := t.Render(); err != nil {
					return &exitError{exitInternal, err}
				}
			}
			if err := out.Flush(); err != nil {
				return &exitError{exitInternal, err}
			}
			if errors.Is(err, analyze.ErrNoInput) {
				return &exitError{exitUsage, err}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "jsonl", "output format: jsonl|table")
	return cmd
}

// masked returns a copy of e with every secret masked in its text and fields.
func masked(e *event.Event) event.Event {
	m := *e
	m.Text = mask.Secrets(e.Text)
	m.Fields = make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		m.Fields[k] = mask.Secrets(v)
	}
	// A header value alone lacks its name; mask it as the header line.
	for k, v := range m.Fields {
		if name, ok := strings.CutPrefix(k, "sip.header."); ok {
			line := mask.Secrets(name + ": " + v)
			if _, val, ok := strings.Cut(line, ": "); ok {
				m.Fields[k] = val
			}
		}
	}
	return m
}

func tableRow(e *event.Event) []string {
	where := e.Path
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	} else if e.RecordID > 0 {
		where += fmt.Sprintf("#%d", e.RecordID)
	}
	summary := analyze.Excerpt(e)
	summary, _, _ = strings.Cut(summary, "\n")
	switch e.Kind {
	case event.KindHRESULT:
		summary = strings.TrimSpace(e.Get("hresult") + " " + e.Get("hresult.name"))
	case event.KindUIText:
		summary = e.Get("ui.key") + ": " + e.Get("ui.text")
	case event.KindLog:
		summary = e.Get("log.level") + " " + e.Get("log.message")
	}
	if len(summary) > 100 {
		summary = strings.ToValidUTF8(summary[:97], "") + "..."
	}
	return []string{event.FormatTime(e.Time, e.Local), where, e.Kind, summary}
}
