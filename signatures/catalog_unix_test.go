//go:build unix

package signatures

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A FIFO named *.yaml is not opened: reading it would wait for a writer
// forever.
func TestAddDirFIFO(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644))
	require.NoError(t, os.Symlink("pipe.yaml", filepath.Join(dir, "link.yaml")))
	c := &Catalog{byID: map[string]*Signature{}}
	err := c.AddDir(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pipe.yaml: not a regular file (prw-r--r--)")
	assert.Contains(t, err.Error(), "link.yaml: not a regular file (prw-r--r--)")
}
