package mask

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/internal/textenc"
)

// casesDir holds the sample client logs and SECRETS.txt, the list of every
// credential value planted in them.
var casesDir = filepath.Join("..", "testdata", "logs", "cases")

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

// TestSecretsMasksFixtureSecrets masks every sample client log and checks
// that none of the planted secrets survives, that each listed secret really
// occurs in some log, and that masking keeps the line count.
func TestSecretsMasksFixtureSecrets(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(casesDir, "SECRETS.txt"))
	require.NoError(t, err)
	var secrets []string
	for _, s := range strings.Split(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n") {
		if s != "" {
			secrets = append(secrets, s)
		}
	}
	require.NotEmpty(t, secrets)

	var logs []string
	err = filepath.WalkDir(casesDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(filepath.ToSlash(p), "/bundle/") {
			logs = append(logs, p)
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, logs)

	planted := make(map[string]bool, len(secrets))
	for _, p := range logs {
		text := readText(t, p)
		masked := Secrets(text)
		assert.Equal(t, strings.Count(text, "\n"), strings.Count(masked, "\n"), "%s: line count", p)
		for _, s := range secrets {
			if strings.Contains(text, s) {
				planted[s] = true
			}
			assert.NotContains(t, masked, s, "%s: secret survives masking", p)
		}
	}
	for _, s := range secrets {
		assert.True(t, planted[s], "SECRETS.txt lists %q, found in no log", s)
	}
}
