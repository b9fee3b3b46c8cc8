package signatures

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed catalog/*.yaml
var builtin embed.FS

// Catalog is a validated set of signatures, ordered by id.
type Catalog struct {
	sigs []*Signature
	byID map[string]*Signature
}

// Default returns the catalog shipped with sfblog.
func Default() (*Catalog, error) {
	c := &Catalog{byID: map[string]*Signature{}}
	if err := c.addFS(builtin, "catalog", "catalog"); err != nil {
		return nil, err
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
	var errs []error
	n := 0
	for _, de := range entries {
		name := de.Name()
		if de.IsDir() || !(strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(root, name))
		if err != nil {
			errs = append(errs, fmt.Errorf("read %s: %w", filepath.Join(display, name), err))
			continue
		}
		if err := c.Add(filepath.Join(display, name), data); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if n == 0 && len(errs) == 0 {
		errs = append(errs, fmt.Errorf("%s: no signature files (*.yaml)", display))
	}
	return errors.Join(errs...)
}

// Add parses one signature file and adds it.
func (c *Catalog) Add(file string, data []byte) error {
	s, err := Parse(file, data)
	if err != nil {
		return err
	}
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
