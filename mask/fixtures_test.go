package mask

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// casesDir holds the sample client logs and SECRETS.txt, the list of every
// credential value planted in them.
var casesDir = filepath.Join("..", "testdata", "logs", "cases")

// readText returns a fixture as UTF-8, decoding UTF-16LE files with a BOM.
func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		return string(b)
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 2; i+1 < len(b); i += 2 {
		u = append(u, binary.LittleEndian.Uint16(b[i:]))
	}
	return string(utf16.Decode(u))
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
