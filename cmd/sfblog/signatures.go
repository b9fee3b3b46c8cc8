package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

func newSignaturesCmd(s *streams) *cobra.Command {
	var dirs []string
	cmd := &cobra.Command{
		Use:   "signatures",
		Short: "List or test the signature catalog",
	}
	cmd.PersistentFlags().StringArrayVar(&dirs, "signatures", nil, "also load the signature files in `DIR` (repeatable)")
	var format string
	list := &cobra.Command{
		Use:   "list [-f table|json]",
		Short: "List the catalog: id, severity, title and the event sources each signature reads",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cat, err := loadCatalog(dirs)
			if err != nil {
				return err
			}
			switch strings.ToLower(format) {
			case "json":
				err = listJSON(s, cat)
			case "table":
				err = listTable(s, cat)
			default:
				return usageErr("--format %q: want table or json", format)
			}
			if err != nil {
				return writeErr("standard output", err)
			}
			return nil
		},
	}
	list.Flags().StringVarP(&format, "format", "f", "table", "output format: table|json")
	completeValues(list, "format", "table", "json")
	test := &cobra.Command{
		Use:   "test [DIR]",
		Short: "Run every signature's own examples; ends with the line \"N passed, N failed\"",
		Long: `Test runs each signature's examples through the whole pipeline: every "match"
example must report its signature, every "no_match" example must not. With DIR,
the signature files in DIR are loaded beside the shipped ones and only their
examples are run. Exit 1 if any example failed.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := loadCatalog(append(dirs, args...))
			if err != nil {
				return err
			}
			sigs := cat.All()
			if len(args) == 1 {
				sigs = nil
				for _, sg := range cat.All() {
					if strings.HasPrefix(sg.File, filepath.Clean(args[0])+string(filepath.Separator)) {
						sigs = append(sigs, sg)
					}
				}
			}
			a := analyze.New(signatures.NewMatcher(cat), s.analyzeOptions())
			passed, failed := 0, 0
			var out strings.Builder
			for _, r := range a.RunExamples(cmd.Context(), sigs) {
				status := "ok  "
				if r.Pass {
					passed++
				} else {
					failed++
					status = "FAIL"
				}
				// Names and details come from signature files: escaped.
				fmt.Fprintf(&out, "%s %s %s %q (%s:%d): %s\n", status, safe(r.ID), safe(r.Want), r.Name, safe(r.File), r.Line, safe(r.Detail))
			}
			if err := cmd.Context().Err(); err != nil {
				return &exitError{exitInternal, err}
			}
			fmt.Fprintf(&out, "%d passed, %d failed\n", passed, failed)
			if err := writeOut(s, out.String()); err != nil {
				return err
			}
			if failed > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	completeDirs(test)
	must(cmd.MarkPersistentFlagDirname("signatures"))
	cmd.AddCommand(list, test)
	return cmd
}

// catalogEntry is one signature in `signatures list -f json`.
type catalogEntry struct {
	ID       string   `json:"id"`
	Severity string   `json:"severity"`
	Title    string   `json:"title"`
	Sources  []string `json:"sources"`
	Messages []string `json:"messages"`
	Links    []string `json:"links"`
	Rules    []rule   `json:"rules"`
	// DecidedBy and RuledOutBy name the inputs whose evidence can confirm
	// the cause or exclude it.
	DecidedBy  []string `json:"decided_by"`
	RuledOutBy []string `json:"ruled_out_by"`
	Examples   int      `json:"examples"`
	File       string   `json:"file"`
}

type rule struct {
	Name  string   `json:"name"`
	Role  string   `json:"role"`
	Kinds []string `json:"kinds"`
}

func listJSON(s *streams, cat *signatures.Catalog) error {
	out := []catalogEntry{}
	for _, sg := range cat.All() {
		e := catalogEntry{ID: sg.ID, Severity: sg.Severity, Title: sg.Title, Sources: sg.Sources,
			Messages: sg.Messages, Links: sg.Links, File: sg.File,
			Examples: len(sg.Examples.Match) + len(sg.Examples.NoMatch)}
		reads := sg.Reads()
		e.DecidedBy, e.RuledOutBy = nonNil(reads[signatures.RoleDecides]), nonNil(reads[signatures.RoleRulesOut])
		for _, ev := range sg.Evidence {
			kinds := ev.Kind
			if ev.Correlate != nil {
				kinds = append(append([]string{}, ev.Correlate.First.Kind...), ev.Correlate.Second.Kind...)
			}
			e.Rules = append(e.Rules, rule{ev.Name, ev.Role, kinds})
		}
		out = append(out, e)
	}
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// nonNil returns list, or an empty list for nil (JSON [] rather than null).
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

func listTable(s *streams, cat *signatures.Catalog) error {
	// Rendered in memory: the table writer does not report write errors.
	var buf strings.Builder
	t := tablewriter.NewWriter(&buf)
	t.Header("ID", "SEVERITY", "TITLE", "DECIDED BY", "RULED OUT BY")
	for _, sg := range cat.All() {
		reads := sg.Reads()
		row := []string{safe(sg.ID), safe(sg.Severity), safe(sg.Title),
			safe(strings.Join(reads[signatures.RoleDecides], ", ")), safe(strings.Join(reads[signatures.RoleRulesOut], ", "))}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := io.WriteString(s.out, buf.String())
	return err
}
