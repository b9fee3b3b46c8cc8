//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegressBadExpectation: an expected.json that is not a small regular
// file holding one object fails its case with the reason, and the other
// cases still run. A FIFO is not opened (that would wait for a writer
// forever), a large file is not read whole.
func TestRegressBadExpectation(t *testing.T) {
	root := regressDir(t)
	for name, write := range map[string]func(path string) error{
		"fifo": func(p string) error { return syscall.Mkfifo(p, 0o644) },
		"huge": func(p string) error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return f.Truncate(1500 << 20)
		},
		"two-objects": func(p string) error {
			return os.WriteFile(p, []byte(`{"findings": ["SFB-SIP-NOT-ENABLED"]} {"absent": ["SFB-SIP-NOT-ENABLED"]}`), 0o644)
		},
	} {
		dir := filepath.Join(root, name)
		require.NoError(t, os.Mkdir(dir, 0o755))
		require.NoError(t, os.Symlink(filepath.Join(root, "passes", "bundle.zip"), filepath.Join(dir, "bundle.zip")))
		require.NoError(t, write(filepath.Join(dir, "expected.json")))
	}
	code, out, stderr := sfblog(t, "", "regress", root)
	require.Equal(t, exitFindings, code, stderr)
	for _, want := range []string{
		"FAIL fifo: expected.json: not a regular file (prw-r--r--)",
		"FAIL huge: expected.json: more than 1 MiB: an expectation lists a few finding ids",
		"FAIL two-objects: expected.json: more than white space after its object",
		"ok   passes",
	} {
		assert.Contains(t, out, want)
	}
	assert.True(t, strings.HasSuffix(out, "1 passed, 5 failed\n"), out)
}
