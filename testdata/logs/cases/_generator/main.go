// Command _generator writes the sample client logs of testdata/logs/cases:
// for every case its bundle/ files, expected.json and README.md, plus the
// top-level README.md and SECRETS.txt. The output is deterministic.
//
// Run it from the module root:
//
//	go run ./testdata/logs/cases/_generator          # rewrite the cases
//	go run ./testdata/logs/cases/_generator -check   # fail if a file differs
//
// The folder name starts with "_" so that "./..." patterns skip it, and it
// holds no expected.json, so case runners skip it too.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sfblog/sfblog/mask"
)

func main() {
	root := flag.String("root", "testdata/logs/cases", "the cases folder to write")
	check := flag.Bool("check", false, "only check that every file is up to date")
	flag.Parse()
	if err := run(*root, *check); err != nil {
		fmt.Fprintf(os.Stderr, "_generator: %v\n", err)
		os.Exit(1)
	}
}

// file is one generated file, path relative to the cases folder.
type file struct {
	path string
	data []byte
}

func run(root string, check bool) error {
	var files []file
	var allSecrets []string
	for _, c := range cases() {
		g := newGen(c.id)
		bundle, extra := c.build(g)
		for _, f := range bundle {
			if err := verify(c.id, f, g.secrets); err != nil {
				return err
			}
			files = append(files, file{filepath.Join(c.id, "bundle", f.path), f.data})
		}
		for s := range g.secrets {
			allSecrets = append(allSecrets, s)
		}
		exp, err := expectedJSON(c)
		if err != nil {
			return err
		}
		files = append(files,
			file{filepath.Join(c.id, "expected.json"), exp},
			file{filepath.Join(c.id, "README.md"), []byte(caseReadme(c))},
		)
		for _, f := range extra {
			files = append(files, file{filepath.Join(c.id, f.path), f.data})
		}
	}
	sort.Strings(allSecrets)
	allSecrets = dedupe(allSecrets)
	files = append(files,
		file{"SECRETS.txt", []byte(strings.Join(allSecrets, "\n") + "\n")},
		file{"README.md", []byte(topReadme(cases()))},
	)
	stale := 0
	for _, f := range files {
		p := filepath.Join(root, f.path)
		old, err := os.ReadFile(p)
		if err == nil && bytes.Equal(old, f.data) {
			continue
		}
		if check {
			fmt.Fprintf(os.Stderr, "_generator: %s is out of date\n", p)
			stale++
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d bytes)\n", p, len(f.data))
	}
	if stale > 0 {
		return fmt.Errorf("%d file(s) out of date: run go run ./testdata/logs/cases/_generator", stale)
	}
	return nil
}

// verify checks that every secret planted in a case appears in its files
// only where mask.Secrets removes it.
func verify(id string, f file, secrets map[string]bool) error {
	text := string(f.data)
	if isUTF16(f.data) {
		text = fromUTF16(f.data)
	}
	masked := mask.Secrets(text)
	for s := range secrets {
		if strings.Contains(masked, s) {
			return fmt.Errorf("%s/%s: secret %q survives masking", id, f.path, s)
		}
	}
	if strings.Count(masked, "\n") != strings.Count(text, "\n") {
		return fmt.Errorf("%s/%s: masking changed the line count", id, f.path)
	}
	return nil
}

func expectedJSON(c caseSpec) ([]byte, error) {
	ids := c.expected
	if ids == nil {
		ids = []string{}
	}
	data, err := json.MarshalIndent(struct {
		Findings  []string `json:"findings"`
		Exact     bool     `json:"exact"`
		Confirmed []string `json:"confirmed,omitempty"`
		Possible  []string `json:"possible,omitempty"`
		Outcome   string   `json:"outcome,omitempty"`
		Groups    int      `json:"groups,omitempty"`
	}{ids, true, c.confirmed, c.possible, c.outcome, c.groups}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
