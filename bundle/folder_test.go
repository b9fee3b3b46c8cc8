package bundle

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFolderEntries: the entries of folders count against MaxEntries, as
// archive entries do. A folder that holds more is refused as a whole; one
// reached when the run's limit is spent yields what fits and one entry
// naming the rest; the input after it is still walked.
func TestFolderEntries(t *testing.T) {
	files := func(n int) map[string][]byte {
		m := map[string][]byte{}
		for i := range n {
			m[fmt.Sprintf("f%03d.log", i)] = []byte("x\r\n")
		}
		return m
	}
	tests := []struct {
		name     string
		folders  map[string]map[string][]byte // folder -> files, walked in name order
		max      int
		wantRead int               // entries yielded without error (next.log excluded)
		wantErr  map[string]string // folder -> text of its ErrTooManyEntries
	}{
		{
			name:     "within the limit",
			folders:  map[string]map[string][]byte{"a": files(10)},
			max:      10,
			wantRead: 10,
		},
		{
			name:     "the largest limit",
			folders:  map[string]map[string][]byte{"a": files(3)},
			max:      math.MaxInt,
			wantRead: 3,
		},
		{
			name:    "a folder that holds more than the limit",
			folders: map[string]map[string][]byte{"a": files(30)},
			max:     20,
			wantErr: map[string]string{"a": "the folder holds more than 20 entries"},
		},
		{
			name:     "the run's limit reached in the second folder",
			folders:  map[string]map[string][]byte{"a": files(12), "b": files(12)},
			max:      20,
			wantRead: 20,
			wantErr:  map[string]string{"b": "4 of its 12 entries not read"},
		},
		{
			name: "subfolders and zips share the limit",
			folders: map[string]map[string][]byte{"a": {
				"sub/1.log": b("x"), "sub/2.log": b("x"),
				"z.zip": mkzip(t, zent{name: "1.log", data: b("x")}, zent{name: "2.log", data: b("x")}, zent{name: "3.log", data: b("x")}),
			}},
			max:      5, // sub, sub/1.log, sub/2.log, z.zip, z.zip!/1.log
			wantRead: 3,
			wantErr:  map[string]string{"a/z.zip": "2 of its 3 entries not read"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			var paths []string
			for _, name := range []string{"a", "b"} {
				fs, ok := tc.folders[name]
				if !ok {
					continue
				}
				dir := filepath.Join(root, name)
				require.NoError(t, os.MkdirAll(dir, 0o755))
				writeTree(t, dir, fs)
				paths = append(paths, dir)
			}
			next := filepath.Join(root, "next.log")
			require.NoError(t, os.WriteFile(next, []byte("the next input\r\n"), 0o644))
			got := walkAll(t, append(paths, next), Options{MaxEntries: tc.max, TempDir: t.TempDir()})
			require.NotEmpty(t, got)
			assert.Equal(t, next, got[len(got)-1].path, "the next input is walked")
			read := 0
			errs := map[string]string{}
			for _, g := range got[:len(got)-1] {
				if g.err == nil {
					read++
					continue
				}
				require.ErrorIs(t, g.err, ErrTooManyEntries, g.path)
				rel, err := filepath.Rel(root, g.path)
				require.NoError(t, err)
				errs[filepath.ToSlash(rel)] = g.err.Error()
			}
			assert.Equal(t, tc.wantRead, read)
			require.Len(t, errs, len(tc.wantErr))
			for p, text := range tc.wantErr {
				assert.Contains(t, errs[p], text, p)
			}
		})
	}
}
