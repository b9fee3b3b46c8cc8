package main

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// savedReport writes the JSON report of a sample bundle to dir, as the
// input of "sfblog report".
func savedReport(t *testing.T, dir string) string {
	t.Helper()
	code, out, _ := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "sip-not-enabled.zip"))
	require.Equal(t, 0, code)
	p := filepath.Join(dir, "saved.json")
	require.NoError(t, os.WriteFile(p, []byte(out), 0o644))
	return p
}

// dirNames lists the names in dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	return names
}

// outputCommands are the commands that write a file named by a flag, with
// that flag's value left for the test ("OUT").
func outputCommands(t *testing.T, in string) [][]string {
	zip := filepath.Join(logs, "sip-not-enabled.zip")
	return [][]string{
		{"analyze", "-f", "json", "-o", "OUT", zip},
		{"batch", "-o", "OUT", zip},
		{"report", "-f", "json", "-o", "OUT", in},
		{"regress", "--junit", "OUT", regressDir(t)},
	}
}

// withOut returns args with "OUT" replaced by out.
func withOut(args []string, out string) []string {
	a := append([]string(nil), args...)
	for i := range a {
		if a[i] == "OUT" {
			a[i] = out
		}
	}
	return a
}

// TestInterruptedRunKeepsOutput: a run interrupted by a signal leaves an
// existing output file as it was (content and mode), and no temporary
// file beside it.
func TestInterruptedRunKeepsOutput(t *testing.T) {
	in := savedReport(t, t.TempDir())
	for _, args := range outputCommands(t, in) {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "prev.out")
			require.NoError(t, os.WriteFile(out, []byte("PRECIOUS previous report\n"), 0o640))
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(interrupted{syscall.SIGINT})
			code, _, stderr := sfblogCtx(t, ctx, "", withOut(args, out)...)
			assert.Equal(t, 130, code, stderr)
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, "PRECIOUS previous report\n", string(data))
			fi, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm())
			assert.Equal(t, []string{"prev.out"}, dirNames(t, dir), "no temporary file left")
		})
	}
}

// TestOutputReplaced: a finished run replaces an existing output file,
// keeping its mode, writes through a link to the file it names, and makes
// a new file with the mode os.Create gives.
func TestOutputReplaced(t *testing.T) {
	in := savedReport(t, t.TempDir())
	for _, args := range outputCommands(t, in) {
		t.Run(args[0], func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "prev.out")
			require.NoError(t, os.WriteFile(out, []byte("PRECIOUS previous report\n"), 0o640))
			code, _, stderr := sfblog(t, "", withOut(args, out)...)
			require.Contains(t, []int{exitOK, exitFindings}, code, stderr)
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.NotContains(t, string(data), "PRECIOUS")
			assert.NotEmpty(t, data)
			fi, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm(), "mode kept")

			link := filepath.Join(dir, "link.out")
			require.NoError(t, os.Symlink("prev.out", link))
			require.NoError(t, os.WriteFile(out, []byte("PRECIOUS\n"), 0o640))
			code, _, stderr = sfblog(t, "", withOut(args, link)...)
			require.Contains(t, []int{exitOK, exitFindings}, code, stderr)
			li, err := os.Lstat(link)
			require.NoError(t, err)
			assert.NotZero(t, li.Mode()&os.ModeSymlink, "the link stays a link")
			data, err = os.ReadFile(out)
			require.NoError(t, err)
			assert.NotContains(t, string(data), "PRECIOUS", "the file it names is replaced")

			fresh := filepath.Join(dir, "new.out")
			code, _, stderr = sfblog(t, "", withOut(args, fresh)...)
			require.Contains(t, []int{exitOK, exitFindings}, code, stderr)
			probe := filepath.Join(dir, "probe")
			f, err := os.Create(probe)
			require.NoError(t, err)
			require.NoError(t, f.Close())
			want, err := os.Stat(probe)
			require.NoError(t, err)
			got, err := os.Stat(fresh)
			require.NoError(t, err)
			assert.Equal(t, want.Mode().Perm(), got.Mode().Perm(), "a new file gets os.Create's mode")
			require.NoError(t, os.Remove(probe))
			assert.ElementsMatch(t, []string{"prev.out", "link.out", "new.out"}, dirNames(t, dir), "no temporary file left")
		})
	}
}

// TestSafeFile checks the output file on its own: nothing reaches the
// destination before commit; cancellation removes the temporary file at
// once and commit then refuses; discard leaves the destination; a device
// is written directly.
func TestSafeFile(t *testing.T) {
	tests := []struct {
		name     string
		cancel   bool // cancel the context after writing
		commit   bool // commit, else discard
		wantErr  bool
		wantDest string
	}{
		{"commit", false, true, false, "new"},
		{"discard", false, false, false, "old"},
		{"cancelled", true, true, true, "old"},
		{"cancelled then discarded", true, false, false, "old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, "r.json")
			require.NoError(t, os.WriteFile(dest, []byte("old"), 0o600))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f, err := createSafe(ctx, dest)
			require.NoError(t, err)
			_, err = f.WriteString("new")
			require.NoError(t, err)
			assert.Len(t, dirNames(t, dir), 2, "the temporary file beside the destination")
			data, err := os.ReadFile(dest)
			require.NoError(t, err)
			assert.Equal(t, "old", string(data), "nothing written to the destination yet")
			if tt.cancel {
				cancel()
				assert.Eventually(t, func() bool { return len(dirNames(t, dir)) == 1 }, 5*time.Second, time.Millisecond,
					"the temporary file is removed on cancellation")
			}
			if tt.commit {
				err = f.commit(ctx)
			} else {
				f.discard()
			}
			if tt.wantErr {
				assert.Error(t, err)
			} else {
				assert.NoError(t, err)
			}
			f.discard() // harmless after commit
			data, err = os.ReadFile(dest)
			require.NoError(t, err)
			assert.Equal(t, tt.wantDest, string(data))
			assert.Equal(t, []string{"r.json"}, dirNames(t, dir))
		})
	}
	t.Run("device", func(t *testing.T) {
		f, err := createSafe(context.Background(), os.DevNull)
		require.NoError(t, err)
		_, err = f.WriteString("x")
		require.NoError(t, err)
		require.NoError(t, f.commit(context.Background()))
		fi, err := os.Stat(os.DevNull)
		require.NoError(t, err)
		assert.False(t, fi.Mode().IsRegular(), "still a device")
	})
	t.Run("folder missing", func(t *testing.T) {
		_, err := createSafe(context.Background(), filepath.Join(t.TempDir(), "no", "r.json"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), filepath.Join("no", "r.json"), "the error names the path given")
	})
}
