// Package bundle walks the inputs of an analysis — files, folders, zip and
// tar archives (nested ones too), gzip files and standard input — and yields
// one Entry per file to analyse. It reads archives in place and never
// extracts them to disk; it knows nothing about log formats. Hostile
// archives (zip bombs, overlapping entries, endless nesting, huge
// directories) are bounded by the limits of Options and reported as
// entries with an error, never by running out of memory.
package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sfblog/sfblog/mask"
)

// Defaults for the zero fields of Options.
const (
	DefaultMaxDepth     = 4
	DefaultMaxEntrySize = 4 << 30   // 4 GiB
	DefaultMaxMemory    = 256 << 20 // 256 MiB
	DefaultMaxBytes     = 4 << 30   // 4 GiB
	DefaultMaxEntries   = 10_000
	DefaultMaxRatio     = 100
)

// RatioFloor is the uncompressed size up to which an entry is never refused
// for its compression ratio: small files of repeated lines legitimately
// compress very well.
const RatioFloor = 4 << 20 // 4 MiB

// Reasons of the errors of entries and reads refused by a limit. Each is
// wrapped in an error that gives the numbers; errors.Is tells them apart.
var (
	// ErrTooLarge: the declared or actual uncompressed size of an archive
	// entry or of standard input exceeds Options.MaxEntrySize.
	ErrTooLarge = errors.New("exceeds the size limit")
	// ErrBudget: the run has decompressed Options.MaxBytes; the entry is
	// not read (further), and archives are not opened any more.
	ErrBudget = errors.New("decompression budget of the run spent")
	// ErrTooManyEntries: the run has yielded Options.MaxEntries entries, or
	// one archive lists more; the rest is not read.
	ErrTooManyEntries = errors.New("too many entries")
	// ErrRatio: an entry expands more than Options.MaxRatio times its
	// compressed size (a zip bomb).
	ErrRatio = errors.New("compression ratio over the limit (a zip bomb?)")
	// ErrOverlap: zip entries share their bytes (a zip bomb that makes many
	// entries of one compressed kernel, as in David Fifield's "A better zip
	// bomb", or a 42.zip variant); such entries are not read.
	ErrOverlap = errors.New("zip entries overlap (a zip bomb)")
	// ErrTooDeep: an archive nested deeper than Options.MaxDepth.
	ErrTooDeep = errors.New("archive nested too deep")
	// ErrUnsupportedArchive: an archive or compressed file of a format that
	// Walk does not open (CAB, 7-Zip, RAR, xz, Zstandard, bzip2).
	ErrUnsupportedArchive = errors.New("archive format not supported")
)

// errReleased is returned by Open and OpenSeeker of an entry whose archive
// Walk has already finished with.
var errReleased = errors.New("opened after Walk finished with its archive")

// ReadSeekCloser is what OpenSeeker returns.
type ReadSeekCloser interface {
	io.ReadSeeker
	io.Closer
}

// Entry is one file to analyse.
//
// An Entry of a plain file can be opened at any time. An Entry inside an
// archive or from standard input can be opened only while Walk is still
// inside that archive, which is always the case during the call of fn that
// received it; later, Open and OpenSeeker return an error. Inside a tar
// read as it streams (a .tar.gz), that is while Walk is still at the
// entry: it moves on once fn has returned and Options.Settle, if set, has
// returned too; an entry read there may be opened again from its start
// only while no reader has read past its first 64 KiB.
type Entry struct {
	// Path is the display path, with secrets masked (mask.Secrets: a file
	// name may hold a token or a password): the OS path for plain files; inside zips
	// "<zip path>!/<entry path>", repeated for nested zips
	// ("bundle.zip!/inner.zip!/Tracing/Lync-UccApi-0.UccApilog"); inside a
	// tar the same, without a leading "./"; inside a gzip file
	// "<path>!/<name without .gz>" ("b.tar.gz!/b.tar!/Tracing/..."); "-"
	// for standard input.
	Path string
	// Size is the uncompressed size in bytes, -1 when unknown.
	Size int64
	// ModTime is the modification time recorded for the file, if any.
	ModTime time.Time
	// Err is non-nil when the entry could not be listed or opened (a
	// damaged zip, an unreadable file, a symbolic link, a size over the
	// limit). Such an Entry is still yielded so the report can name it.
	Err error

	open       func() (io.ReadCloser, error)
	openSeeker func() (ReadSeekCloser, error)
}

// Open returns a streaming reader of the entry's uncompressed content.
// Errors while reading name the entry. The caller must close it.
func (e *Entry) Open() (io.ReadCloser, error) {
	if e.Err != nil {
		return nil, e.Err
	}
	if e.open == nil {
		return nil, fmt.Errorf("%s: entry was not made by Walk", e.Path)
	}
	return e.open()
}

// OpenSeeker returns a reader with random access to the entry's content,
// for formats such as EVTX that need io.ReadSeeker. Plain files are opened
// directly and stored zip entries are read in place; compressed content is
// decompressed into memory when it fits Options.MaxMemory, else into a
// temporary file that Close removes. The caller must close it.
func (e *Entry) OpenSeeker() (ReadSeekCloser, error) {
	if e.Err != nil {
		return nil, e.Err
	}
	if e.openSeeker == nil {
		return nil, fmt.Errorf("%s: entry was not made by Walk", e.Path)
	}
	return e.openSeeker()
}

// Options controls Walk. The zero value gives the defaults.
//
// A walk is bounded whatever its input: MaxDepth, MaxEntries and MaxBytes
// bound the work, MaxEntrySize and MaxRatio single entries, MaxMemory the
// memory it holds. An input refused by a limit is yielded as an Entry whose
// Err names the limit (ErrTooLarge, ErrBudget, ErrTooManyEntries, ErrRatio,
// ErrOverlap, ErrTooDeep), and the walk goes on with the next input.
type Options struct {
	// MaxDepth is how many archives deep Walk opens archives: a zip given
	// on the command line is at depth 0, a zip inside it at depth 1. An
	// archive deeper than this is yielded with an Err. Zero or less means
	// DefaultMaxDepth.
	MaxDepth int
	// MaxEntrySize refuses archive entries and standard input whose
	// declared or actual uncompressed size exceeds it (a zip-bomb guard): a
	// declared size over it is reported in Entry.Err, reading fails with
	// ErrTooLarge past it. Plain files are not limited. Zero or less means
	// DefaultMaxEntrySize.
	MaxEntrySize int64
	// MaxBytes is how many bytes one Walk decompresses in all: every byte
	// read out of a zip entry or a gzip file counts, by Walk itself (nested
	// archives, archive detection) and by the readers of its entries. Past
	// it, reads fail with ErrBudget, and the archive entries still to come
	// are not yielded: one Entry per archive left tells so. Plain files and
	// standard input do not count. Zero or less means DefaultMaxBytes.
	MaxBytes int64
	// MaxEntries is how many entries of archives and folders one Walk goes
	// through, nested archives, subfolders and their entries included.
	// Past it, the entries still to come are not yielded: one Entry per
	// archive or folder left tells so (ErrTooManyEntries). An archive that
	// lists more entries than MaxEntries, or a folder that holds more, is
	// refused as a whole before its directory is read (a folder's listing
	// is read no further than that). The paths given to Walk and standard
	// input do not count. Zero or less means DefaultMaxEntries.
	MaxEntries int
	// MaxRatio refuses compressed entries larger than RatioFloor whose
	// uncompressed size is more than MaxRatio times their compressed size:
	// a declared size over it is reported in Entry.Err, reading fails with
	// ErrRatio past it. Deflate reaches about 1000:1 on a run of one byte;
	// real logs compress about 10:1. Inside nested archives (a gzip in a
	// gzip, a zip in a gzip, a gzip in a zip) the compressed size is the
	// entry's share of the bytes of the file given to Walk, so the ratio
	// holds for the whole chain rather than multiplying at every level.
	// Zero or less means DefaultMaxRatio.
	MaxRatio int64
	// MaxMemory is the most memory that a Walk holds at once in buffers
	// for random access (nested archives, standard input, OpenSeeker of
	// compressed entries, summed over the buffers alive); content that
	// does not fit goes to a temporary file. Zero or less means
	// DefaultMaxMemory.
	MaxMemory int64
	// TempDir is where temporary files are made; "" means os.TempDir().
	TempDir string
	// Temps, when set, holds the temporary files of the walk, so that the
	// caller can remove them on any exit path with Temps.Close (a CLI
	// defers it, and calls it on SIGINT and SIGTERM). Nil means a set of
	// the walk's own. Either way the temporary files are closed and
	// removed when the walk's context is cancelled.
	Temps *Temps
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
	// Skip names files of the file system that the walk leaves out,
	// silently, wherever it meets them (in a folder given, or given
	// themselves): the report a run is writing and its temporary file,
	// which may sit in a folder it reads. A file is left out when its
	// absolute path is one of them, or it is the same file as one that
	// exists when the walk starts (os.SameFile).
	Skip []string
	// SkipFiles are files left out as Skip's are, known by their info:
	// the file standard output is redirected to ("sfblog analyze Tracing/
	// > Tracing/report.txt"), whose name a process does not know.
	SkipFiles []os.FileInfo
	// Settle, when set, is called before Walk leaves an archive or standard
	// input whose entries it yielded, that is before those entries stop
	// being openable, and after each entry of a tar read as it streams. A
	// caller that reads entries in other goroutines after fn returned waits
	// there for them.
	Settle func()
}

func (o Options) withDefaults() Options {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxEntrySize <= 0 {
		o.MaxEntrySize = DefaultMaxEntrySize
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	return o
}

// Walk calls fn for every file under paths, in a deterministic order: paths
// in the order given; folders recursively in lexical order; zip entries in
// central-directory order, with nested archives expanded in place.
//
// Zip archives are recognised by their content ("PK\x03\x04", or
// "PK\x05\x06" for an empty one) or by a .zip name, gzip files by their
// magic bytes. Archives are read in place, a nested one from memory when
// it fits Options.MaxMemory and from a temporary file otherwise; temporary
// files are removed before Walk returns, and closed and removed as soon as
// ctx is cancelled, even while fn runs (see Temps). Directories inside zips are
// skipped. Symbolic links inside folders are not followed; a path given in
// paths is. The path "-" reads Options.Stdin once.
//
// A file is walked once, however often paths give it (a folder and a file
// in it, "a.log" and "./a.log"); its first path names it.
//
// Every problem with one input (a missing path, a damaged zip, a link, a
// limit of Options) is reported as an Entry with a non-nil Err, and the
// walk goes on; a caller learns that nothing could be read by counting the
// entries with a nil Err. Walk returns early only when ctx is done
// (returning ctx.Err()) or when fn returns an error, which Walk then
// returns unchanged.
func Walk(ctx context.Context, paths []string, opt Options, fn func(*Entry) error) error {
	opt = opt.withDefaults()
	w := &walker{ctx: ctx, opt: opt, fn: fn, budget: newBudget(opt), temps: opt.Temps}
	if w.temps == nil {
		w.temps = new(Temps)
	}
	for _, p := range opt.Skip {
		w.skip = append(w.skip, skipped{path: cleanAbs(p)})
		if info, err := os.Stat(p); err == nil {
			w.skip[len(w.skip)-1].info = info
		}
	}
	for _, info := range opt.SkipFiles {
		if info != nil {
			w.skip = append(w.skip, skipped{info: info})
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = w.temps.Close() })
	defer stop()
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		var err error
		if p == "-" {
			err = w.stdin()
		} else {
			err = w.topPath(p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// walker holds the state of one Walk. Its methods return an error only to
// stop the walk (cancelled context or an error of fn); problems with an
// input become entries with Err.
type walker struct {
	ctx     context.Context
	opt     Options
	fn      func(*Entry) error
	budget  *budget
	temps   *Temps
	entries int             // entries of archives and folders walked
	files   map[string]bool // the absolute paths of the files walked
	skip    []skipped       // Options.Skip
}

// skipped is a file of Options.Skip: its absolute path, and its info when
// it existed as the walk started; or one of Options.SkipFiles: its info
// alone.
type skipped struct {
	path string
	info os.FileInfo
}

// skips reports whether the file at the absolute path abs, whose info is
// info, is one of Options.Skip.
func (w *walker) skips(abs string, info os.FileInfo) bool {
	for _, s := range w.skip {
		if s.path != "" && s.path == abs || s.info != nil && os.SameFile(s.info, info) {
			return true
		}
	}
	return false
}

// cleanAbs is p made absolute and clean, or p clean when it cannot be.
func cleanAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// settle lets the caller finish with the entries of an archive before it is
// released (Options.Settle).
func (w *walker) settle() {
	if w.opt.Settle != nil {
		w.opt.Settle()
	}
}

// yield hands e to fn unless the context is done.
func (w *walker) yield(e *Entry) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	return w.fn(e)
}

// yieldErr yields an entry for path that carries err.
func (w *walker) yieldErr(path string, size int64, mod time.Time, err error) error {
	return w.yield(&Entry{Path: mask.Secrets(path), Size: size, ModTime: mod, Err: err})
}

// topPath walks one path given by the caller, following a symbolic link.
func (w *walker) topPath(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return w.yieldErr(p, -1, time.Time{}, err)
	}
	return w.fsPath(p, info)
}

// fsPath walks a folder or file whose info is known.
func (w *walker) fsPath(p string, info os.FileInfo) error {
	switch mode := info.Mode(); {
	case mode.IsDir():
		return w.dir(p)
	case mode&os.ModeSymlink != 0:
		return w.yieldErr(p, -1, info.ModTime(), errors.New("symbolic link, not followed"))
	case mode.IsRegular():
		return w.file(p, info)
	default:
		return w.yieldErr(p, -1, info.ModTime(), fmt.Errorf("not a regular file (%s)", mode.Type()))
	}
}

// dir walks a folder recursively in lexical order. Its entries count
// against Options.MaxEntries, as those of archives do.
func (w *walker) dir(dir string) error {
	des, readErr := readDir(dir, w.opt.MaxEntries+min(1, math.MaxInt-w.opt.MaxEntries))
	if len(des) > w.opt.MaxEntries {
		return w.yieldErr(dir, -1, time.Time{}, fmt.Errorf(
			"%w: the folder holds more than %d entries, the limit per run; not read",
			ErrTooManyEntries, w.opt.MaxEntries))
	}
	for i, de := range des {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		if w.entries >= w.opt.MaxEntries {
			return w.yieldErr(dir, -1, time.Time{}, fmt.Errorf(
				"%w: the limit of %d entries per run is reached; %d of its %d entries not read",
				ErrTooManyEntries, w.opt.MaxEntries, len(des)-i, len(des)))
		}
		w.entries++
		p := filepath.Join(dir, de.Name())
		info, err := de.Info() // Lstat: links are not followed
		if err != nil {
			if err := w.yieldErr(p, -1, time.Time{}, err); err != nil {
				return err
			}
			continue
		}
		if err := w.fsPath(p, info); err != nil {
			return err
		}
	}
	if readErr != nil {
		return w.yieldErr(dir, -1, time.Time{}, fmt.Errorf("read folder: %w", readErr))
	}
	return nil
}

// readDir reads the entries of the folder dir, at most limit of them,
// sorted by name. Like os.ReadDir, it returns what it read before an
// error along with the error.
func readDir(dir string, limit int) ([]os.DirEntry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var des []os.DirEntry
	for len(des) < limit {
		batch, err := f.ReadDir(min(limit-len(des), 1024))
		des = append(des, batch...)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			sortEntries(des)
			return des, err
		}
	}
	sortEntries(des)
	return des, nil
}

// sortEntries sorts folder entries by name.
func sortEntries(des []os.DirEntry) {
	slices.SortFunc(des, func(a, b os.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
}

// file walks one regular file of the file system, once: a file given
// again (in a folder given too, or spelled otherwise) is skipped, since
// its events would be counted twice.
func (w *walker) file(p string, info os.FileInfo) error {
	key := cleanAbs(p)
	if w.files[key] || w.skips(key, info) {
		return nil
	}
	if w.files == nil {
		w.files = map[string]bool{}
	}
	w.files[key] = true
	f, err := os.Open(p)
	if err != nil {
		return w.yieldErr(p, info.Size(), info.ModTime(), err)
	}
	defer f.Close()
	src := &source{
		path:       mask.Secrets(p), // a file name may hold a secret ("callback?code=X.html")
		name:       filepath.Base(p),
		size:       info.Size(),
		base:       info.Size(),
		modTime:    info.ModTime(),
		ra:         f,
		open:       func() (io.ReadCloser, error) { return os.Open(p) },
		openSeeker: func() (ReadSeekCloser, error) { return os.Open(p) },
	}
	return w.source(src, 0)
}

// stdin walks standard input: it is read once into memory or a temporary
// file, then walked like a file named "-".
func (w *walker) stdin() error {
	const name = "-"
	over := fmt.Errorf("standard input %w of %d bytes", ErrTooLarge, w.opt.MaxEntrySize)
	buf, err := w.spill(guard(w.opt.Stdin, nil, name, w.opt.MaxEntrySize, over, nil), -1)
	if err != nil {
		if ctxErr := w.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return w.yieldErr(name, -1, time.Time{}, fmt.Errorf("read standard input: %w", err))
	}
	defer buf.Close()
	sc := new(scope)
	defer sc.release()
	defer w.settle()
	size := buf.Size()
	section := func() *io.SectionReader { return io.NewSectionReader(buf, 0, size) }
	src := &source{
		path: name,
		name: name,
		size: size,
		base: size,
		ra:   buf,
		open: func() (io.ReadCloser, error) {
			if err := sc.check(name); err != nil {
				return nil, err
			}
			return io.NopCloser(section()), nil
		},
		openSeeker: func() (ReadSeekCloser, error) {
			if err := sc.check(name); err != nil {
				return nil, err
			}
			return nopSeekCloser{section()}, nil
		},
	}
	return w.source(src, 0)
}
