package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

// expectation is a regression case's expected.json (cli-contract.md).
type expectation struct {
	Findings []string `json:"findings"`
	Absent   []string `json:"absent"`
	Exact    bool     `json:"exact"`
}

// caseResult is the outcome of one regression case.
type caseResult struct {
	Name string
	Pass bool
	Msg  string
}

func newRegressCmd(s *streams) *cobra.Command {
	var junit string
	var dirs []string
	cmd := &cobra.Command{
		Use:   "regress DIR",
		Short: "Run the regression cases under DIR; ends with the line \"N passed, N failed\"",
		Long: `Regress analyses every case folder under DIR. A case folder holds expected.json
({"findings": [ids], "absent": [ids], "exact": false}) and its input: every
other file or folder in it except README.md. A case passes when every id of
"findings" is reported and none of "absent" is (with "exact": true, no other
id either). Exit 1 if any case failed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := loadCatalog(dirs)
			if err != nil {
				return err
			}
			cases, err := findCases(args[0])
			if err != nil {
				return usageErr("%v", err)
			}
			a := analyze.New(signatures.NewMatcher(cat), analyze.Options{Version: version})
			var results []caseResult
			for _, c := range cases {
				res := runCase(cmd, a, args[0], c)
				status := "ok  "
				if !res.Pass {
					status = "FAIL"
				}
				fmt.Fprintf(s.out, "%s %s: %s\n", status, res.Name, res.Msg)
				results = append(results, res)
			}
			passed := 0
			for _, r := range results {
				if r.Pass {
					passed++
				}
			}
			fmt.Fprintf(s.out, "%d passed, %d failed\n", passed, len(results)-passed)
			if junit != "" {
				if err := writeJUnit(junit, results); err != nil {
					return &exitError{exitInternal, err}
				}
			}
			if passed != len(results) {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&junit, "junit", "", "also write the results as JUnit XML to `FILE`")
	cmd.Flags().StringArrayVar(&dirs, "signatures", nil, "also load the signature files in `DIR` (repeatable)")
	return cmd
}

// findCases returns the folders under root that hold an expected.json, sorted.
func findCases(root string) ([]string, error) {
	var cases []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "expected.json" {
			cases = append(cases, filepath.Dir(p))
		}
		return nil
	})
	if err == nil && len(cases) == 0 {
		err = fmt.Errorf("%s: no case folders (none holds an expected.json)", root)
	}
	slices.Sort(cases)
	return cases, err
}

func runCase(cmd *cobra.Command, a *analyze.Analyzer, root, dir string) caseResult {
	name, _ := filepath.Rel(root, dir)
	res := caseResult{Name: filepath.ToSlash(name)}
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		res.Msg = err.Error()
		return res
	}
	var want expectation
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		res.Msg = fmt.Sprintf("expected.json: %v", err)
		return res
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		res.Msg = err.Error()
		return res
	}
	var inputs []string
	for _, e := range entries {
		if n := e.Name(); n != "expected.json" && n != "README.md" {
			inputs = append(inputs, filepath.Join(dir, n))
		}
	}
	if len(inputs) == 0 {
		res.Msg = "no input beside expected.json"
		return res
	}
	r, err := a.Run(cmd.Context(), inputs)
	if r == nil {
		res.Msg = err.Error()
		return res
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.ID)
	}
	var problems []string
	for _, id := range want.Findings {
		if !slices.Contains(got, id) {
			problems = append(problems, "missing "+id)
		}
	}
	for _, id := range got {
		if slices.Contains(want.Absent, id) || (want.Exact && !slices.Contains(want.Findings, id)) {
			problems = append(problems, "unexpected "+id)
		}
	}
	res.Pass = len(problems) == 0
	res.Msg = "got [" + strings.Join(got, ", ") + "]"
	if !res.Pass {
		res.Msg = strings.Join(problems, "; ") + "; " + res.Msg
	}
	return res
}

func writeJUnit(path string, results []caseResult) error {
	type failure struct {
		Message string `xml:"message,attr"`
	}
	type testcase struct {
		Name      string   `xml:"name,attr"`
		Classname string   `xml:"classname,attr"`
		Failure   *failure `xml:"failure,omitempty"`
	}
	type suite struct {
		XMLName  xml.Name   `xml:"testsuite"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	s := suite{Name: "sfblog regress", Tests: len(results)}
	for _, r := range results {
		tc := testcase{Name: r.Name, Classname: "sfblog.regress"}
		if !r.Pass {
			s.Failures++
			tc.Failure = &failure{Message: r.Msg}
		}
		s.Cases = append(s.Cases, tc)
	}
	out, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(out, '\n')...), 0o644)
}
