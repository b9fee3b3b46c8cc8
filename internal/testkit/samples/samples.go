// Package samples builds the sample bundles of testdata/logs from their
// committed text fixtures: each case folder's bundle/ tree becomes a zip,
// plus the generated files its generate.json lists (binary garbage, empty
// and truncated files, nested zips, event logs written from a JSON spec).
// Output is deterministic: same fixtures, same bytes.
package samples

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sfblog/sfblog/internal/testkit/evtxwriter"
)

// modTime is the modification time of every zip entry, for reproducible zips.
var modTime = time.Date(2017, 6, 15, 9, 0, 0, 0, time.UTC)

// Generated is one generated entry of generate.json.
type Generated struct {
	Path string `json:"path"` // entry path inside the zip
	// Exactly one of:
	Random     int    `json:"random"`      // N pseudo-random bytes (seeded by Seed)
	Seed       uint64 `json:"seed"`        // seed for Random
	Empty      bool   `json:"empty"`       // a 0-byte file
	TruncateOf string `json:"truncate_of"` // a copy of this bundle/ file ...
	Bytes      int    `json:"bytes"`       // ... cut to this many bytes
	ZipOf      string `json:"zip_of"`      // a nested zip of this folder of the case
	EvtxSpec   string `json:"evtx_spec"`   // an .evtx written from this JSON spec of the case
}

// Build returns the zip of one case folder.
func Build(caseDir string) ([]byte, error) {
	files := map[string][]byte{}
	if err := addTree(files, filepath.Join(caseDir, "bundle"), ""); err != nil {
		return nil, err
	}
	gen, err := readGenerate(caseDir)
	if err != nil {
		return nil, err
	}
	for _, g := range gen {
		data, err := g.build(caseDir, files)
		if err != nil {
			return nil, fmt.Errorf("%s: generate %s: %w", caseDir, g.Path, err)
		}
		files[g.Path] = data
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: nothing to bundle", caseDir)
	}
	return zipOf(files)
}

func readGenerate(caseDir string) ([]Generated, error) {
	data, err := os.ReadFile(filepath.Join(caseDir, "generate.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var gen []Generated
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&gen); err != nil {
		return nil, fmt.Errorf("%s: generate.json: %w", caseDir, err)
	}
	return gen, nil
}

func (g Generated) build(caseDir string, files map[string][]byte) ([]byte, error) {
	switch {
	case g.Random > 0:
		r := rand.New(rand.NewPCG(g.Seed, g.Seed^0x9e3779b97f4a7c15))
		b := make([]byte, g.Random)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return b, nil
	case g.Empty:
		return []byte{}, nil
	case g.TruncateOf != "":
		src, ok := files[g.TruncateOf]
		if !ok {
			return nil, fmt.Errorf("truncate_of %q: no such bundle file", g.TruncateOf)
		}
		if g.Bytes <= 0 || g.Bytes >= len(src) {
			return nil, fmt.Errorf("bytes %d: must be between 1 and %d", g.Bytes, len(src)-1)
		}
		return append([]byte{}, src[:g.Bytes]...), nil
	case g.ZipOf != "":
		inner := map[string][]byte{}
		if err := addTree(inner, filepath.Join(caseDir, g.ZipOf), ""); err != nil {
			return nil, err
		}
		return zipOf(inner)
	case g.EvtxSpec != "":
		recs, err := evtxwriter.ReadSpec(filepath.Join(caseDir, g.EvtxSpec))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := evtxwriter.Write(&buf, recs); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	return nil, errors.New("nothing to generate: set random, empty, truncate_of, zip_of or evtx_spec")
}

// addTree adds the files under dir to files, named by prefix + their slash path.
func addTree(files map[string][]byte, dir, prefix string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[path.Join(prefix, filepath.ToSlash(rel))] = data
		return nil
	})
}

// zipOf writes files as a zip: sorted names, fixed times, deflated.
func zipOf(files map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		method := zip.Deflate
		if strings.HasSuffix(n, ".zip") {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: method, Modified: modTime})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Cases returns the case folders under root (those holding an expected.json), sorted.
func Cases(root string) ([]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, e.Name(), "expected.json")); e.IsDir() && err == nil {
			out = append(out, filepath.Join(root, e.Name()))
		}
	}
	return out, nil
}
