// Package parsertest holds what the parsers' tests share: the golden file
// of a parse (one JSON object a line per event, then a "problem: ..." line
// per problem).
package parsertest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// Render writes the events and problems of a parse as the golden files
// hold them.
func Render(t testing.TB, evs []event.Event, problems []event.Problem) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, ev := range evs {
		j, err := json.Marshal(ev)
		require.NoError(t, err)
		buf.Write(j)
		buf.WriteByte('\n')
	}
	for _, p := range problems {
		buf.WriteString("problem: " + p.String() + "\n")
	}
	return buf.Bytes()
}

// Golden compares got with testdata/golden/NAME.jsonl; with update it
// writes the file first.
func Golden(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name+".jsonl")
	if update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}
