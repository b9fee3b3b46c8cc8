package bundle

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/sfblog/sfblog/mask"
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
	path string // display path
	name string // last element of the path, for extension checks
	size int64  // uncompressed size, -1 when unknown
	// base is how many bytes of the input given to Walk (a file on disk,
	// standard input) make this content, at every level of nesting: its
	// size for a plain file, an entry's share of its archive's base inside
	// an archive. The compression ratio is checked against it, so that
	// nesting archives (a gzip in a gzip, a zip in a gzip) does not
	// multiply what an input may expand to.
	base       int64
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
		h, err := s.head(tarMagicOff + 8)
		if err != nil {
			return w.yieldErr(s.path, s.size, s.modTime, err)
		}
		head = h
	}
	switch {
	case bytes.HasPrefix(head, zipMagic), bytes.HasPrefix(head, zipEmptyMagic),
		strings.EqualFold(path.Ext(s.name), ".zip"):
		return w.archive(s, depth, w.zip)
	case bytes.HasPrefix(head, gzipMagic):
		return w.archive(s, depth, w.gzip)
	case isTar(head), strings.EqualFold(path.Ext(s.name), ".tar") && len(head) > tarMagicOff:
		return w.archive(s, depth, w.tar)
	}
	if a, ok := otherArchive(head); ok {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("%w: %s, which sfblog does not open: %s", ErrUnsupportedArchive, a.kind, a.hint))
	}
	if isMacMetadata(s.name, head) {
		return nil
	}
	return w.yield(&Entry{
		Path:       s.path,
		Size:       s.size,
		ModTime:    s.modTime,
		open:       s.open,
		openSeeker: s.openSeeker,
	})
}

// isMacMetadata reports whether the file called name, which begins with
// head, is metadata that macOS adds to what it copies or zips: an
// AppleDouble file ("._name", under __MACOSX/ in a zip the Finder made;
// magic 00 05 16 07) or a Finder .DS_Store ("Bud1" at byte 4). They hold
// no log, and are skipped; a file so named with other content is not.
func isMacMetadata(name string, head []byte) bool {
	switch {
	case strings.HasPrefix(name, "._"):
		return bytes.HasPrefix(head, []byte{0x00, 0x05, 0x16, 0x07})
	case name == ".DS_Store":
		return len(head) >= 8 && string(head[4:8]) == "Bud1"
	}
	return false
}

// archive walks the archive s with walk, and turns a panic in it (of a
// library, on an input it did not expect) into an entry for s that says
// so: the rest of the inputs is still walked.
func (w *walker) archive(s *source, depth int, walk func(*source, int) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("internal error while reading the archive; the rest of it is not read: %v", p))
		}
	}()
	return walk(s, depth)
}

// otherArchives are the magic bytes of the archive and compression formats
// that sfblog does not open, with what to call them: CAB is what MSDT and
// some Microsoft log collectors write.
var otherArchives = []archiveKind{
	{"MSCF\x00\x00\x00\x00", "a CAB archive", "extract it (expand -F:* FILE.cab FOLDER) and give sfblog the folder"},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it (7z x) and give sfblog the folder"},
	{"Rar!\x1a\x07", "a RAR archive", "extract it (unrar x) and give sfblog the folder"},
	{"\xfd7zXZ\x00", "an xz-compressed file", "decompress it (xz -d) and give sfblog the result"},
	{"\x28\xb5\x2f\xfd", "a Zstandard-compressed file", "decompress it (zstd -d) and give sfblog the result"},
	{"BZh", "a bzip2-compressed file", "decompress it (bunzip2) and give sfblog the result"},
}

// archiveKind is a format of otherArchives: its magic bytes, its name and
// what to do with it.
type archiveKind struct{ magic, kind, hint string }

// otherArchive returns the archive format that head begins, among those
// sfblog does not open.
func otherArchive(head []byte) (archiveKind, bool) {
	for _, a := range otherArchives {
		if bytes.HasPrefix(head, []byte(a.magic)) {
			if a.magic == "BZh" && (len(head) < 4 || head[3] < '1' || head[3] > '9') {
				continue // "BZh" alone may begin a text; bzip2 gives the block size next
			}
			return a, true
		}
	}
	return archiveKind{}, false
}

// tooDeep reports an archive nested deeper than Options.MaxDepth.
func (w *walker) tooDeep(s *source) error {
	return w.yieldErr(s.path, s.size, s.modTime,
		fmt.Errorf("%w (depth limit %d), not opened", ErrTooDeep, w.opt.MaxDepth))
}

// maxOverlapListed is how many overlapping entries of one archive are
// yielded one by one; the others are counted in one more entry.
const maxOverlapListed = 10

// maxDirRecord is the central-directory bytes allowed per entry of
// Options.MaxEntries: a larger directory is refused before archive/zip
// reads it into memory.
const maxDirRecord = 1024

// zip walks the entries of the zip archive s in central-directory order.
func (w *walker) zip(s *source, depth int) error {
	if depth > w.opt.MaxDepth {
		return w.tooDeep(s)
	}
	if w.budget.spent() {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("%w (%s): archive not opened", ErrBudget, sizeText(w.budget.maxBytes)))
	}
	ra, size, release, err := w.randomAccess(s)
	if err != nil {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable zip: %w", err))
	}
	defer release()
	if records, dirSize, ok := zipDirectory(ra, size); ok {
		switch {
		case records > uint64(w.opt.MaxEntries):
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w: the archive lists %d entries, more than the limit of %d per run; not opened",
				ErrTooManyEntries, records, w.opt.MaxEntries))
		case dirSize > uint64(w.opt.MaxEntries)*maxDirRecord:
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w: the archive's central directory of %d bytes is larger than %d entries need; not opened",
				ErrTooManyEntries, dirSize, w.opt.MaxEntries))
		}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are kept as written: nothing is extracted
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("not a readable zip: %w", err))
	}
	overlaps := overlapping(zr.File)
	sc := new(scope)
	defer sc.release()
	defer w.settle()
	listed, unlisted := 0, 0
	for i, f := range zr.File {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if w.budget.spent() {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w (%s): %d of its %d entries not read",
				ErrBudget, sizeText(w.budget.maxBytes), len(zr.File)-i, len(zr.File)))
		}
		if w.entries >= w.opt.MaxEntries {
			return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
				"%w: the limit of %d entries per run is reached; %d of its %d entries not read",
				ErrTooManyEntries, w.opt.MaxEntries, len(zr.File)-i, len(zr.File)))
		}
		w.entries++
		if other, ok := overlaps[f]; ok {
			if listed == maxOverlapListed {
				unlisted++
				continue
			}
			listed++
			p := sc.unique(s.path + "!/" + strings.ReplaceAll(entryName(f.Name), `\`, "/"))
			err := w.yieldErr(p, -1, f.Modified, fmt.Errorf("%w: its bytes overlap those of %q; not read", ErrOverlap, other.Name))
			if err != nil {
				return err
			}
			continue
		}
		base := share(f.CompressedSize64, s.base, size)
		if err := w.zipFile(s.path, sc, ra, f, base, depth+1); err != nil {
			return err
		}
	}
	if unlisted > 0 {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf(
			"%w: %d more overlapping entries are not listed and not read", ErrOverlap, unlisted))
	}
	return nil
}

// overlapping finds the entries of a zip whose bytes overlap those of
// another entry: the span from the local header (estimated from below by
// the central directory's name length, so that it can only be too short)
// to the end of the compressed data. In a sound archive no two entries
// share a byte; zip bombs make many entries of one compressed kernel. It
// maps every overlapping entry to one it overlaps.
func overlapping(files []*zip.File) map[*zip.File]*zip.File {
	type span struct {
		f          *zip.File
		start, end int64
	}
	spans := make([]span, 0, len(files))
	for _, f := range files {
		off, err := f.DataOffset()
		if err != nil || f.CompressedSize64 > math.MaxInt64-uint64(off) {
			continue // damaged: reading it will tell
		}
		start := off - 30 - int64(len(f.Name)) // 30: fixed part of a local file header
		spans = append(spans, span{f: f, start: start, end: off + int64(f.CompressedSize64)})
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out map[*zip.File]*zip.File
	for i, reach := 1, 0; i < len(spans); i++ {
		// reach is the span that reaches furthest among those before i.
		if spans[i].start < spans[reach].end {
			if out == nil {
				out = make(map[*zip.File]*zip.File)
			}
			out[spans[i].f] = spans[reach].f
			if _, ok := out[spans[reach].f]; !ok {
				out[spans[reach].f] = spans[i].f
			}
		}
		if spans[i].end > spans[reach].end {
			reach = i
		}
	}
	return out
}

// zipDirectory reads the end-of-central-directory record of the zip in ra
// (and its zip64 form when there is one): how many entries the archive
// lists and the size of its central directory. ok is false when there is
// no such record; archive/zip then tells what is wrong.
func zipDirectory(ra io.ReaderAt, size int64) (records, dirSize uint64, ok bool) {
	const (
		eocdLen    = 22
		locatorLen = 20
		zip64Len   = 56
	)
	tail := min(size, eocdLen+math.MaxUint16) // the record, then a comment of up to 64 KiB
	buf := make([]byte, tail)
	if n, err := ra.ReadAt(buf, size-tail); int64(n) != tail && err != nil {
		return 0, 0, false
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, 0, false
	}
	eocd := buf[i:]
	records = uint64(binary.LittleEndian.Uint16(eocd[10:]))
	dirSize = uint64(binary.LittleEndian.Uint32(eocd[12:]))
	eocdOff := size - tail + int64(i)
	if eocdOff < locatorLen {
		return records, dirSize, true
	}
	loc := make([]byte, locatorLen)
	if _, err := ra.ReadAt(loc, eocdOff-locatorLen); err != nil || !bytes.HasPrefix(loc, []byte("PK\x06\x07")) {
		return records, dirSize, true
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	if off > math.MaxInt64-zip64Len || int64(off)+zip64Len > size {
		return records, dirSize, true
	}
	rec := make([]byte, zip64Len)
	if _, err := ra.ReadAt(rec, int64(off)); err != nil || !bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
		return records, dirSize, true
	}
	return max(records, binary.LittleEndian.Uint64(rec[32:])), max(dirSize, binary.LittleEndian.Uint64(rec[40:])), true
}

// limit returns the most bytes that may be read out of an entry made of
// csize bytes of the input given to Walk (see source.base; -1 when
// unknown), and the error past it.
func (w *walker) limit(csize int64) (int64, error) {
	limit := w.opt.MaxEntrySize
	over := fmt.Errorf("uncompressed content %w of %d bytes", ErrTooLarge, w.opt.MaxEntrySize)
	if csize >= 0 {
		byRatio := int64(math.MaxInt64)
		if csize <= math.MaxInt64/w.opt.MaxRatio {
			byRatio = max(RatioFloor, csize*w.opt.MaxRatio)
		}
		if byRatio < limit {
			limit = byRatio
			over = fmt.Errorf("%w: uncompressed content passes %d times the %d compressed bytes it comes from",
				ErrRatio, w.opt.MaxRatio, csize)
		}
	}
	return limit, over
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

// share returns the base (see source.base) of csize bytes of an archive of
// size bytes whose own base is base: its part of it, rounded up, and never
// more than base (a damaged header may declare more bytes than the archive
// has).
func share(csize uint64, base, size int64) int64 {
	switch {
	case base < 0 || size <= 0:
		return int64(min(csize, math.MaxInt64))
	case csize >= uint64(size):
		return base
	case base == size:
		return int64(csize)
	}
	return min(base, int64(math.Ceil(float64(csize)*float64(base)/float64(size))))
}

// zipFile walks one entry of a zip archive; base is its share of the
// input's bytes (see source.base), depth counts the archives that enclose
// it.
func (w *walker) zipFile(parent string, sc *scope, ra io.ReaderAt, f *zip.File, base int64, depth int) error {
	name := mask.Secrets(strings.ReplaceAll(entryName(f.Name), `\`, "/"))
	if strings.HasSuffix(name, "/") || f.Mode().IsDir() {
		return nil
	}
	p := sc.unique(parent + "!/" + name)
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
	// The ratio is checked against the entry's share of the input, not
	// only its own compressed size: a zip inside a compressed container
	// expands no further than the container's bytes allow.
	limit, over := w.limit(base)
	if size > limit {
		if errors.Is(over, ErrRatio) {
			return w.yieldErr(p, size, mod, fmt.Errorf("%w: declared size of %d bytes is %d times the %d compressed bytes it comes from (limit %d)",
				ErrRatio, size, size/max(base, 1), base, w.opt.MaxRatio))
		}
		return w.yieldErr(p, size, mod, over)
	}

	open := func() (io.ReadCloser, error) {
		if err := sc.check(p); err != nil {
			return nil, err
		}
		if w.budget.spent() {
			return nil, pathErr(p, w.budget.errSpent())
		}
		rc, err := f.Open()
		if err != nil {
			return nil, pathErr(p, err)
		}
		return guard(rc, rc, p, limit, over, w.budget), nil
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
	child := &source{path: p, name: path.Base(name), size: size, base: base, modTime: mod, open: open, openSeeker: openSeeker}
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
	if w.budget.spent() {
		return w.yieldErr(s.path, s.size, s.modTime, fmt.Errorf("%w (%s): not read", ErrBudget, sizeText(w.budget.maxBytes)))
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
	inner := mask.Secrets(gzipInnerName(s.name, zr.Name))
	p := s.path + "!/" + inner
	mod := s.modTime
	if !zr.ModTime.IsZero() {
		mod = zr.ModTime
	}
	// The ratio is taken against the bytes of the input that s comes
	// from, not s's own size, which is unknown for a gzip inside a gzip
	// and would let every level expand its own hundredfold.
	limit, over := w.limit(s.base)
	open := func() (io.ReadCloser, error) {
		if w.budget.spent() {
			return nil, pathErr(p, w.budget.errSpent())
		}
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
		return guard(zr, rc, p, limit, over, w.budget), nil
	}
	openSeeker := func() (ReadSeekCloser, error) {
		rc, err := open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return w.spill(rc, -1)
	}
	child := &source{path: p, name: inner, size: -1, base: s.base, modTime: mod, open: open, openSeeker: openSeeker}
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
