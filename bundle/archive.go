package bundle

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strings"
	"time"
)

// Magic bytes that tell archives by content.
var (
	zipMagic      = []byte("PK\x03\x04") // local file header: a zip with entries
	zipEmptyMagic = []byte("PK\x05\x06") // end of central directory: an empty zip
	gzipMagic     = []byte{0x1f, 0x8b, 0x08}
)

// source is something to walk: a plain file, a zip entry, the content of a
// gzip file or standard input.
type source struct {
	path       string // display path
	name       string // last element of the path, for extension checks
	size       int64  // uncompressed size, -1 when unknown
	modTime    time.Time
	ra         io.ReaderAt // random access when it is free (file, memory, stored entry); else nil
	open       func() (io.ReadCloser, error)
	openSeeker func() (ReadSeekCloser, error)
}

// head returns up to n leading bytes of s.
func (s *source) head(n int) ([]byte, error) {
	buf := make([]byte, n)
	if s.ra != nil {
		k, err := s.ra.ReadAt(buf, 0)
		if k == n || errors.Is(err, io.EOF) {
			return buf[:k], nil
		}
		return nil, err
	}
	rc, err := s.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	k, err := io.ReadFull(rc, buf)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return buf[:k], nil
}

// source walks s: an archive is expanded in place, anything else is
// yielded as one Entry. depth is the number of archives that enclose s.
func (w *walker) source(s *source, depth int) error {
	var head []byte
	if s.size != 0 {
		h, err := s.head(len(gzipMagic) + 1)
		if err != nil {
			return w.yieldErr(s.path, s.size, s.modTime, err)
		}
		head = h
	}
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmptyMagic),
		strings.EqualFold(path.Ext(s.name), ".zip"):
		return w.zip(s, depth)
	case bytes.HasPrefix(head, gzipMagic):
		return w.gzip(s, depth)
	}
	return w.yield(&Entry{
		Path:       s.path,
		Size:       s.size,
		ModTime:    s.modTime,
		open:       s.open,
		openSeeker: s.openSeeker,
	})
}

// tooDeep reports an archive nested deeper than Options.MaxDepth.
func (w *walker) tooDeep(s *source) error {
	return w.yieldErr(s.path, s.size, s.modTime,
		fmt.Errorf("archive nested deeper than %d levels, not opened", w.opt.MaxDepth))
}

// zip walks the entries of the zip archive s in central-directory order.
func (w *walker) zip(s *source, depth int) error {
	if depth > w.opt.MaxDepth {
		return w.tooDeep(s)
	}
	ra, size, release, err := w.randomAccess(s)
	if err != nil {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable zip: %w", err))
	}
	defer release()
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are kept as written: nothing is extracted
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable zip: %w", err))
	}
	sc := new(scope)
	defer sc.release()
	defer w.settle()
	for _, f := range zr.File {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if err := w.zipFile(s.path, sc, ra, f, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// randomAccess gives random access to s: in place when s has it, else by
// copying s into memory or a temporary file that release removes.
func (w *walker) randomAccess(s *source) (ra io.ReaderAt, size int64, release func(), err error) {
	if s.ra != nil {
		return s.ra, s.size, func() {}, nil
	}
	rc, err := s.open()
	if err != nil {
		return nil, 0, nil, err
	}
	defer rc.Close()
	buf, err := w.spill(rc, s.size)
	if err != nil {
		return nil, 0, nil, err
	}
	return buf, buf.Size(), func() { _ = buf.Close() }, nil
}

// zipFile walks one entry of a zip archive; depth counts the archives that
// enclose it.
func (w *walker) zipFile(parent string, sc *scope, ra io.ReaderAt, f *zip.File, depth int) error {
	name := strings.ReplaceAll(f.Name, `\`, "/")
	if strings.HasSuffix(name, "/") || f.Mode().IsDir() {
		return nil
	}
	p := parent + "!/" + name
	mod := f.Modified
	declared := f.UncompressedSize64
	if declared > math.MaxInt64 || int64(declared) > w.opt.MaxEntrySize {
		size := int64(-1)
		if declared <= math.MaxInt64 {
			size = int64(declared)
		}
		return w.yieldErr(p, size, mod, fmt.Errorf("declared size of %d bytes %w of %d bytes",
			declared, ErrTooLarge, w.opt.MaxEntrySize))
	}
	size := int64(declared)
	switch {
	case f.Flags&0x1 != 0:
		return w.yieldErr(p, size, mod, errors.New("encrypted zip entry, not supported"))
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return w.yieldErr(p, size, mod, fmt.Errorf("zip compression method %d not supported", f.Method))
	}

	open := func() (io.ReadCloser, error) {
		if err := sc.check(p); err != nil {
			return nil, err
		}
		rc, err := f.Open()
		if err != nil {
			return nil, pathErr(p, err)
		}
		return w.guard(rc, rc, p), nil
	}
	// A stored entry is read in place; CRC-32 is then not checked.
	var dataOff int64 = -1
	if f.Method == zip.Store && f.CompressedSize64 == declared {
		if off, err := f.DataOffset(); err == nil {
			dataOff = off
		}
	}
	openSeeker := func() (ReadSeekCloser, error) {
		if err := sc.check(p); err != nil {
			return nil, err
		}
		if dataOff >= 0 {
			return nopSeekCloser{io.NewSectionReader(ra, dataOff, size)}, nil
		}
		rc, err := open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return w.spill(rc, size)
	}
	child := &source{path: p, name: path.Base(name), size: size, modTime: mod, open: open, openSeeker: openSeeker}
	if dataOff >= 0 {
		child.ra = io.NewSectionReader(ra, dataOff, size)
	}
	return w.source(child, depth)
}

// gzip walks the decompressed content of the gzip file s.
func (w *walker) gzip(s *source, depth int) error {
	if depth > w.opt.MaxDepth {
		return w.tooDeep(s)
	}
	rc, err := s.open()
	if err != nil {
		return w.yieldErr(s.path, s.size, s.modTime, err)
	}
	zr, err := gzip.NewReader(rc)
	_ = rc.Close()
	if err != nil {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable gzip file: %w", err))
	}
	inner := gzipInnerName(s.name, zr.Name)
	p := s.path + "!/" + inner
	mod := s.modTime
	if !zr.ModTime.IsZero() {
		mod = zr.ModTime
	}
	open := func() (io.ReadCloser, error) {
		rc, err := s.open()
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(rc)
		if err != nil {
			_ = rc.Close()
			return nil, pathErr(p, err)
		}
		// gzip.Reader.Close only repeats a decompression error that Read
		// has already returned; closing the source is what matters.
		return w.guard(zr, rc, p), nil
	}
	openSeeker := func() (ReadSeekCloser, error) {
		rc, err := open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return w.spill(rc, -1)
	}
	child := &source{path: p, name: inner, size: -1, modTime: mod, open: open, openSeeker: openSeeker}
	return w.source(child, depth+1)
}

// gzipInnerName names the content of the gzip file called name: the name
// without ".gz" (".tgz" becomes ".tar"), else the name in the gzip header,
// else name itself.
func gzipInnerName(name, header string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".gz") && len(name) > 3:
		return name[:len(name)-3]
	case strings.HasSuffix(lower, ".tgz") && len(name) > 4:
		return name[:len(name)-4] + ".tar"
	}
	if h := path.Base(strings.ReplaceAll(header, `\`, "/")); header != "" && h != "." && h != "/" {
		return h
	}
	return name
}
