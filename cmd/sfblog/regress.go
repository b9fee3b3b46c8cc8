package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

// expectation is a regression case's expected.json (cli-contract.md).
type expectation struct {
	Findings []string `json:"findings"`
	Absent   []string `json:"absent"`
	Exact    bool     `json:"exact"`
	// Confirmed fails the case when one of these ids is reported without
	// confidence "confirmed"; Possible when one is reported "confirmed".
	Confirmed []string `json:"confirmed"`
	Possible  []string `json:"possible"`
	// Outcome is the sign-in verdict (signin.outcome): failed, succeeded,
	// recovered or unknown. Groups is how many users or computers the
	// inputs hold when more than one (each analysed on its own).
	Outcome string `json:"outcome"`
	Groups  int    `json:"groups"`
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
({"findings": [ids], "absent": [ids], "exact": false, "confirmed": [ids],
"possible": [ids]}) and its input: every other file or folder in it except
README.md. A case passes when every id of "findings" is reported and none of
"absent" is (with "exact": true, no other id either), every id of "confirmed"
that is reported is confirmed and every id of "possible" that is reported is
not. Exit 1 if any case failed.

--junit FILE writes the results in the JUnit shape of "analyze -f junit": a
testsuites element holding one testsuite, one testcase per case.`,
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
			a := analyze.New(signatures.NewMatcher(cat), s.analyzeOptions())
			var results []caseResult
			var out bytes.Buffer
			for _, c := range cases {
				if err := cmd.Context().Err(); err != nil {
					return &exitError{exitInternal, err}
				}
				res := runCase(cmd, a, args[0], c)
				status := "ok  "
				if !res.Pass {
					status = "FAIL"
				}
				out.Reset()
				fmt.Fprintf(&out, "%s %s: %s\n", status, termesc.Line(res.Name), termesc.Line(res.Msg))
				if err := writeOut(s, out.String()); err != nil {
					return err
				}
				results = append(results, res)
			}
			passed := 0
			for _, r := range results {
				if r.Pass {
					passed++
				}
			}
			if err := writeOut(s, fmt.Sprintf("%d passed, %d failed\n", passed, len(results)-passed)); err != nil {
				return err
			}
			if junit != "" {
				if err := writeJUnitFile(cmd.Context(), junit, results); err != nil {
					return err
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
	must(cmd.MarkFlagFilename("junit", "xml"))
	must(cmd.MarkFlagDirname("signatures"))
	completeDirs(cmd)
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
	data, err := readExpectedFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		res.Msg = fmt.Sprintf("expected.json: %v", err)
		return res
	}
	var want expectation
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		res.Msg = fmt.Sprintf("expected.json: %v", err)
		return res
	}
	if _, err := dec.Token(); err != io.EOF {
		res.Msg = "expected.json: more than white space after its object"
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
	return judge(res, want, r)
}

// judge compares a report with a case's expectation.
func judge(res caseResult, want expectation, r *analyze.Report) caseResult {
	var got []string
	confidence := map[string]string{}
	for _, f := range allFindings(r) {
		if _, seen := confidence[f.ID]; !seen {
			got = append(got, f.ID)
		}
		// Across groups, an id counts as confirmed when one group confirms it.
		if confidence[f.ID] != analyze.Confirmed {
			confidence[f.ID] = f.Confidence
		}
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
		if slices.Contains(want.Confirmed, id) && confidence[id] != analyze.Confirmed {
			problems = append(problems, id+" not confirmed")
		}
		if slices.Contains(want.Possible, id) && confidence[id] == analyze.Confirmed {
			problems = append(problems, id+" confirmed, want possible")
		}
	}
	if want.Outcome != "" && r.SignIn.Outcome != want.Outcome {
		problems = append(problems, "outcome "+r.SignIn.Outcome+", want "+want.Outcome)
	}
	if want.Groups != 0 && len(r.Groups) != want.Groups {
		problems = append(problems, fmt.Sprintf("%d groups, want %d", len(r.Groups), want.Groups))
	}
	res.Pass = len(problems) == 0
	res.Msg = "got [" + strings.Join(got, ", ") + "]"
	if !res.Pass {
		res.Msg = strings.Join(problems, "; ") + "; " + res.Msg
	}
	return res
}

// allFindings returns the findings of r and of its groups.
func allFindings(r *analyze.Report) []analyze.Finding {
	fs := slices.Clone(r.Findings)
	for i := range r.Groups {
		fs = append(fs, allFindings(&r.Groups[i])...)
	}
	return fs
}

// writeJUnitFile writes the results to path as JUnit XML. A failure is a
// write error (exit 3) naming the file. The file is written beside path and
// renamed over it when complete (see safeFile): a failed write or an
// interrupted run leaves an existing file as it was.
func writeJUnitFile(ctx context.Context, path string, results []caseResult) error {
	var buf bytes.Buffer
	if err := writeRegressJUnit(&buf, results); err != nil {
		return &exitError{exitInternal, err}
	}
	f, err := createSafe(ctx, path)
	if err != nil {
		return writeErr(path, err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.discard()
		return writeErr(path, err)
	}
	if err := f.commit(ctx); err != nil {
		return writeErr(path, err)
	}
	return nil
}

// writeRegressJUnit writes the results in the JUnit shape of "analyze -f
// junit" (report.WriteJUnit): one suite "sfblog regress" with a test case
// per case folder (class name "regress", name = the folder).
func writeRegressJUnit(w io.Writer, results []caseResult) error {
	suite := report.JUnitSuite{Name: "sfblog regress"}
	for _, r := range results {
		tc := report.JUnitCase{ClassName: "regress", Name: r.Name}
		if r.Pass {
			tc.SystemOut = r.Msg
		} else {
			tc.Failure = &report.JUnitFailure{Message: r.Msg, Type: "regress", Text: r.Msg}
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return report.WriteJUnit(w, "sfblog regress", []report.JUnitSuite{suite})
}

// maxExpected bounds an expected.json: it lists a few finding ids.
const maxExpected = 1 << 20

// readExpectedFile reads a case's expectation: a regular file (a FIFO would
// wait for a writer forever) of at most maxExpected bytes.
func readExpectedFile(path string) ([]byte, error) {
	info, err := os.Stat(path) // before opening: opening a FIFO waits
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%v)", info.Mode())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxExpected+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxExpected {
		return nil, fmt.Errorf("more than %d MiB: an expectation lists a few finding ids", maxExpected>>20)
	}
	return data, nil
}
