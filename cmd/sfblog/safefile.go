package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// safeFile is an output file (-o, --junit) that a run which does not finish
// cannot destroy. It is written to a temporary file beside its destination
// (same folder, so same file system) and renamed over it only by commit,
// once the content is complete and the run was not interrupted; discard,
// a failed commit or the cancellation of the run's context removes the
// temporary file. An existing destination keeps its permission bits.
//
// A destination that exists and is not a regular file (/dev/null,
// /dev/stdout, a named pipe) is written directly, as it cannot be replaced
// by a rename.
type safeFile struct {
	*os.File
	dest string      // the path named by the user, or the file its link names
	temp string      // the temporary file; "" when writing dest directly
	mode fs.FileMode // permission bits to give the temporary file
	keep bool        // dest existed: give its mode to the replacement
	stop func() bool // stops the removal on cancellation
	done bool        // committed or discarded
}

// createSafe opens the output file path for a run bound to ctx. Errors
// (a folder that does not exist or cannot be written, an existing file
// that cannot be written) come before any work, as os.Create's did.
func createSafe(ctx context.Context, path string) (*safeFile, error) {
	info, err := os.Stat(path) // follows a link to the file it names
	switch {
	case err == nil && !info.Mode().IsRegular():
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		return &safeFile{File: f, dest: path, stop: func() bool { return true }}, nil
	case err == nil:
		// Writable now, as os.Create would have required; the rename
		// itself only needs the folder.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		_ = f.Close()
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			return nil, err
		}
		return createTemp(ctx, real, info.Mode().Perm(), true)
	case errors.Is(err, fs.ErrNotExist):
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			// A link to nothing yet: os.Create makes the file it names.
			f, err := os.Create(path)
			if err != nil {
				return nil, err
			}
			return &safeFile{File: f, dest: path, stop: func() bool { return true }}, nil
		}
		return createTemp(ctx, path, 0, false)
	default:
		return nil, err
	}
}

// createTemp makes the temporary file of dest in dest's folder. It is made
// with mode 0666 less the umask, as os.Create makes a new file.
func createTemp(ctx context.Context, dest string, mode fs.FileMode, keep bool) (*safeFile, error) {
	dir, base := filepath.Split(dest)
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf(".%s.sfblog-%d-%08x.tmp", base, os.Getpid(), rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// The error names the temporary file; the user named dest.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = &fs.PathError{Op: "create", Path: dest, Err: pe.Err}
			}
			return nil, err
		}
		sf := &safeFile{File: f, dest: dest, temp: name, mode: mode, keep: keep}
		// On SIGINT or SIGTERM the temporary file goes at once: a second
		// signal ends sfblog without running its deferred calls.
		sf.stop = context.AfterFunc(ctx, func() { _ = os.Remove(name) })
		return sf, nil
	}
	return nil, fmt.Errorf("create %s: no free name for a temporary file in %s", dest, dir)
}

// commit closes the file and, when it was written to a temporary file,
// renames that over the destination, unless ctx is done: an interrupted run
// leaves the destination as it was. Whatever the outcome, no temporary
// file is left.
func (f *safeFile) commit(ctx context.Context) error {
	if f.done {
		return errors.New("output file already closed")
	}
	f.done = true
	err := f.Close()
	if f.temp == "" {
		return err
	}
	if !f.stop() || ctx.Err() != nil {
		// Cancelled: the temporary file is (being) removed already.
		_ = os.Remove(f.temp)
		return fmt.Errorf("%s not replaced: %w", f.dest, context.Cause(ctx))
	}
	if err == nil && f.keep {
		err = os.Chmod(f.temp, f.mode)
	}
	if err == nil {
		err = os.Rename(f.temp, f.dest)
	}
	if err != nil {
		_ = os.Remove(f.temp)
	}
	return err
}

// discard closes the file and removes the temporary file without touching
// the destination; after commit it does nothing. A destination written
// directly is left as it is.
func (f *safeFile) discard() {
	if f.done {
		return
	}
	f.done = true
	_ = f.Close()
	if f.temp != "" {
		f.stop()
		_ = os.Remove(f.temp)
	}
}
