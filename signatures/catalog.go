package signatures

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

//go:generate go run -tags gencatalog ./internal/gencatalog -d catalog -o catalog_gen.go

// Catalog is a validated set of signatures, ordered by id.
type Catalog struct {
	sigs []*Signature
	byID map[string]*Signature
}

// Default returns the catalog shipped with sfblog: catalog/*.yaml, which
// gencatalog wrote as Go values (catalog_gen.go) when it was built.
func Default() (*Catalog, error) {
	c := &Catalog{byID: map[string]*Signature{}}
	for _, s := range shipped() {
		if err := c.add(s.File, s); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// AddDir loads every *.yaml / *.yml file of dir (not recursive) into the
// catalog. A user signature may not reuse a shipped id.
func (c *Catalog) AddDir(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("signatures directory: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("signatures directory %s: not a directory", dir)
	}
	return c.addFS(os.DirFS(dir), ".", dir)
}

func (c *Catalog) addFS(fsys fs.FS, root, display string) error {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return fmt.Errorf("read signatures %s: %w", display, err)
	}
	type file struct {
		name string
		data []byte
		sig  *Signature
		err  error
	}
	var files []*file
	total := 0 // the bytes read from the directory's files
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		f := &file{name: filepath.Join(display, name)}
		f.data, err = readSignatureFile(fsys, path.Join(root, name), maxSignatureDir-total)
		total += len(f.data)
		if err != nil {
			f.err = fmt.Errorf("read %s: %w", f.name, err)
		}
		files = append(files, f)
	}
	// The files are parsed side by side (YAML decoding is most of a
	// catalog's loading time) and added in name order.
	work := make(chan *file)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				f.sig, f.err = parseSafe(f.name, f.data)
			}
		}()
	}
	for _, f := range files {
		if f.err == nil {
			work <- f
		}
	}
	close(work)
	wg.Wait()
	var errs []error
	n := 0
	for _, f := range files {
		if f.err == nil {
			f.err = c.add(f.name, f.sig)
		}
		if f.err != nil {
			errs = append(errs, f.err)
			continue
		}
		n++
	}
	if n == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no signature files (*.yaml)", display))
	}
	return errors.Join(errs...)
}

// Limits of a signature directory. A signature file is a few KiB (the
// largest shipped one, 13 KiB); the limits bound what a directory of
// something else costs, since every file is read before any is parsed.
const (
	maxSignatureFile = 1 << 20  // the bytes of one file
	maxSignatureDir  = 16 << 20 // the bytes of all the files of a directory
)

// readSignatureFile reads the regular file name of fsys, at most
// maxSignatureFile bytes and at most left. A FIFO or a device named
// *.yaml is not opened: reading it could wait forever or never end.
func readSignatureFile(fsys fs.FS, name string, left int) ([]byte, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%v)", info.Mode())
	}
	limit := int64(min(maxSignatureFile, max(left, 0)))
	tooLarge := func(size string, n int64) error {
		if n > maxSignatureFile {
			return fmt.Errorf("%s, more than a signature file holds (at most %d MiB)", size, maxSignatureFile>>20)
		}
		return fmt.Errorf("with the files before it, more than the %d MiB the signature files of a directory may hold", maxSignatureDir>>20)
	}
	if n := info.Size(); n > limit {
		return nil, tooLarge(fmt.Sprintf("%d bytes", n), n)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have grown since Stat.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if n := int64(len(data)); n > limit {
		return nil, tooLarge(fmt.Sprintf("more than %d bytes", limit), n)
	}
	return data, nil
}

// parseSafe is Parse, with a panic of the YAML decoder (there should be
// none) turned into an error naming the file.
func parseSafe(file string, data []byte) (s *Signature, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, &FieldError{File: file, Msg: fmt.Sprintf("cannot decode: %v", r)}
		}
	}()
	return Parse(file, data)
}

// Add parses one signature file and adds it.
func (c *Catalog) Add(file string, data []byte) error {
	s, err := Parse(file, data)
	if err != nil {
		return err
	}
	return c.add(file, s)
}

func (c *Catalog) add(file string, s *Signature) error {
	if old, dup := c.byID[s.ID]; dup {
		return &FieldError{File: file, Line: s.Line, ID: s.ID, Field: "id", Msg: fmt.Sprintf("id already defined in %s", old.File)}
	}
	c.byID[s.ID] = s
	c.sigs = append(c.sigs, s)
	sort.Slice(c.sigs, func(i, j int) bool { return c.sigs[i].ID < c.sigs[j].ID })
	return nil
}

// All returns the signatures ordered by id.
func (c *Catalog) All() []*Signature { return c.sigs }
