package signatures

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// builtin is the shipped catalog as written.
//
//go:embed catalog/*.yaml
var builtin embed.FS

// catalog_gen.go is catalog/*.yaml as Go values: after editing a
// signature, run go generate ./signatures.
func TestShippedIsCatalog(t *testing.T) {
	entries, err := builtin.ReadDir("catalog")
	require.NoError(t, err)
	var want []*Signature
	for _, de := range entries {
		data, err := builtin.ReadFile("catalog/" + de.Name())
		require.NoError(t, err)
		s, err := Parse("catalog/"+de.Name(), data)
		require.NoError(t, err)
		want = append(want, s)
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, shipped(), "catalog_gen.go is out of date: run go generate ./signatures")
	assert.NotSame(t, shipped()[0], shipped()[0], "each call returns new values")
}

// The expressions of the shipped catalog are compiled when first run
// (Regexp): each must compile, or a run would stop on its first value.
func TestShippedRegexpsCompile(t *testing.T) {
	var res []*Regexp
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			if r, ok := v.Interface().(*Regexp); ok {
				res = append(res, r)
				return
			}
			walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(shipped()))
	require.NotEmpty(t, res)
	for _, r := range res {
		assert.NotPanics(t, func() { r.compiled() }, r.String())
		assert.Equal(t, r.String(), r.compiled().String())
	}
}

// documentedIDs are the ids of ../shared/reference/signin-errors.md: the
// contract of the catalog.
var documentedIDs = []string{
	"SFB-BAD-CREDENTIALS", "SFB-CACHED-SIGNIN-DATA", "SFB-CLIENT-VERSION", "SFB-CLOCK-SKEW",
	"SFB-DNS-PROPAGATION", "SFB-FIRST-SIGNIN-CERT-PROMPT", "SFB-NOT-LICENSED", "SFB-PERSONAL-CERT",
	"SFB-SERVER-UNAVAILABLE-ADFS-CERT", "SFB-SERVER-UNAVAILABLE-DNS", "SFB-SIGNIN-ADDRESS-FORMAT",
	"SFB-SIGNIN-ADDRESS-NOT-FOUND", "SFB-SIP-NOT-ENABLED", "SFB-TRUST-PROMPT", "SFB-UNRESOLVED",
}

func TestDefaultCatalogHoldsEveryDocumentedID(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	var ids []string
	for _, s := range c.All() {
		ids = append(ids, s.ID)
		assert.NotEmpty(t, s.Messages, s.ID)
		assert.GreaterOrEqual(t, len(s.Examples.Match)+len(s.Examples.NoMatch), 2, s.ID)
		for _, lang := range Languages {
			assert.Contains(t, s.Translations, lang, "%s: %s translation", s.ID, lang)
		}
		for _, l := range s.Links {
			assert.NotContains(t, l, "&amp;", "%s: links use a plain &", s.ID)
		}
	}
	assert.Equal(t, documentedIDs, ids)
}

// TestInvalidSignatures loads each broken file of testdata/invalid; its
// first line says which error (substring) loading must report.
func TestInvalidSignatures(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			first, _ := bufio.NewReader(strings.NewReader(string(data))).ReadString('\n')
			want, ok := strings.CutPrefix(strings.TrimSpace(first), "# want: ")
			require.True(t, ok, "first line must be '# want: <error substring>'")
			_, err = Parse(f, data)
			require.Error(t, err)
			assert.Contains(t, err.Error(), want)
			assert.True(t, strings.HasPrefix(err.Error(), f), "error names the file: %v", err)
		})
	}
}

func TestDuplicateIDIsRejected(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	data, err := builtin.ReadFile("catalog/sfb-clock-skew.yaml")
	require.NoError(t, err)
	err = c.Add("mine/clock.yaml", data)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mine/clock.yaml:2: signature SFB-CLOCK-SKEW: id: id already defined in catalog/sfb-clock-skew.yaml")
}

func TestAddDir(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("testdata/invalid/bad-regex.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.yaml"), data, 0o644))
	c, err := Default()
	require.NoError(t, err)
	err = c.AddDir(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "x.yaml")+":17:")

	assert.ErrorContains(t, c.AddDir(filepath.Join(dir, "missing")), "signatures directory")
	empty := t.TempDir()
	assert.ErrorContains(t, c.AddDir(empty), "no signature files")
}

// A key the format does not know is an error in a signature file.
func TestParseUnknownKey(t *testing.T) {
	data, err := builtin.ReadFile("catalog/sfb-unresolved.yaml")
	require.NoError(t, err)
	bad := append([]byte("colour: red\n"), data...)
	_, err = Parse("x.yaml", bad)
	assert.ErrorContains(t, err, "colour")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.yaml"), bad, 0o644))
	c := &Catalog{byID: map[string]*Signature{}}
	assert.ErrorContains(t, c.AddDir(dir), "colour")
}

// A directory of something other than signatures costs bounded memory: a
// file larger than a signature file holds, or files that together pass
// what a directory may hold, are named as errors, unread, and the files
// before them are loaded.
func TestAddDirLimits(t *testing.T) {
	good, err := builtin.ReadFile("catalog/sfb-unresolved.yaml")
	require.NoError(t, err)
	good = bytes.Replace(good, []byte("id: SFB-UNRESOLVED"), []byte("id: X-MINE"), 1)
	sparse := func(t *testing.T, path string, size int64) {
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, f.Truncate(size))
		require.NoError(t, f.Close())
	}
	tests := []struct {
		name  string
		write func(t *testing.T, dir string)
		want  []string // in the error
		none  bool     // no error wanted
	}{
		{
			name:  "one file at the limit",
			write: func(t *testing.T, dir string) { sparse(t, filepath.Join(dir, "big.yaml"), maxSignatureFile) },
			want:  []string{"big.yaml", "control characters"},
		},
		{
			name:  "one file past the limit",
			write: func(t *testing.T, dir string) { sparse(t, filepath.Join(dir, "big.yaml"), 1500<<20) },
			want:  []string{"big.yaml: 1572864000 bytes, more than a signature file holds (at most 1 MiB)"},
		},
		{
			name: "a directory past its limit",
			write: func(t *testing.T, dir string) {
				for i := range maxSignatureDir / maxSignatureFile {
					sparse(t, filepath.Join(dir, fmt.Sprintf("f%02d.yaml", i)), maxSignatureFile)
				}
				sparse(t, filepath.Join(dir, "g.yaml"), 1)
			},
			// a.yaml and f00-f14 leave f15 less than its MiB; the small
			// g.yaml after it still fits.
			want: []string{"f15.yaml: with the files before it, more than the 16 MiB the signature files of a directory may hold", "f14.yaml: control characters", "g.yaml: control characters"},
		},
		{
			name: "a folder named .yaml",
			write: func(t *testing.T, dir string) {
				require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755))
			},
			none: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "a.yaml"), good, 0o644))
			tt.write(t, dir)
			c := &Catalog{byID: map[string]*Signature{}}
			err := c.AddDir(dir)
			if tt.none {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				for _, w := range tt.want {
					assert.Contains(t, err.Error(), w)
				}
			}
			assert.NotNil(t, c.byID["X-MINE"], "the signature before the bad files is loaded")
		})
	}
}
