package uccapilog

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

var update = flag.Bool("update", false, "update golden files")

// goldenOutput renders the events (one JSON object per line) and the
// problems of a parse.
func goldenOutput(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var buf bytes.Buffer
	problems, err := Parse(context.Background(), filepath.Base(path), f, func(ev event.Event) error {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
		return nil
	})
	require.NoError(t, err)
	for _, p := range problems {
		buf.WriteString("problem: " + p.String() + "\n")
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/*.[Uu]cc[Aa]pilog")
	require.NoError(t, err)
	require.NotEmpty(t, fixtures)
	for _, fixture := range fixtures {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			got := goldenOutput(t, fixture)
			golden := filepath.Join("testdata", "golden", filepath.Base(fixture)+".jsonl")
			if *update {
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), string(got))
		})
	}
}
