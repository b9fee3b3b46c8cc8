package redact

import (
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/textenc"
)

// readText returns a fixture as UTF-8, whatever its encoding (some sample
// logs are UTF-16LE with a BOM, as Windows writes them).
func readText(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, _, err := textenc.NewReader(f)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}
