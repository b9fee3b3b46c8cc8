// Package evtx reads exported Windows event logs (.evtx) and emits one
// normalized event per record (Kind "record", Source "evtx"; the field
// names are documented in package event).
//
// The container (file header, chunk headers, record headers) is read with
// github.com/0xrawsec/golang-evtx. The binary XML of the records is
// decoded here, because the library's decoder loses data and cannot be
// made safe from the outside (see evtx-facts.md):
//   - it drops empty strings from string arrays, which shifts the
//     positions (%1, %2, ...) of classic insertion strings;
//   - it loses the Name of <Provider Name="X"/>;
//   - it returns nothing for binary XML substitution values (type 0x21,
//     CAPI2 logs), which are decoded here;
//   - its iterators panic in their own goroutines, and its record parser
//     writes unconditional "PANIC" lines to stderr (see Silence below).
//
// Robustness: chunk slots are visited every 64 KiB up to the file size
// (the header's chunk count is not trusted); slots without the chunk
// signature are skipped; both chunk checksums are verified and a mismatch
// is reported while the chunk's intact records are still read; records are
// walked from offset 512 up to the free space offset, stopping at the
// first invalid record header, like the evtx crate and libevtx; complete
// records of a truncated last chunk are kept. Every panic becomes a
// Problem, and the work spent on one record is bounded.
//
// Order: events come in the order of the record headers' ids, each id
// once (a chunk may be repeated in a damaged file). Event.RecordID is the
// EventRecordID written in the record's XML, which is the same number
// except in damaged chunks and in some writers' output.
//
// Silence: golang-utils/log, the library's logger, writes through the
// standard library's default logger. Its leveled functions are switched
// off for the process with log.SetLogLevel(log.LCritical) the first time
// Parse runs; its DontPanic functions cannot be switched off without
// redirecting the standard logger (which would also swallow slog's default
// output), so this package never calls the library code that reaches them
// (Parse, GoEvtxMap, FetchChunk, ParseTemplateTable). os.Stderr and the
// standard logger are never touched.
//
// Memory: the first pass reads one 64 KiB chunk at a time. The second
// decodes the groups of chunks (normally one chunk each; chunks with
// overlapping record-id ranges, a repeated chunk or a dirty file, are
// merged in one group) on two goroutines, at most three groups ahead of
// the one being emitted: their data and events are what is held.
package evtx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sort"
	"sync"

	gevtx "github.com/0xrawsec/golang-evtx/evtx"
	gulog "github.com/0xrawsec/golang-utils/log"

	"github.com/sfblog/sfblog/event"
)

// ErrNotEVTX is returned by Parse for input that has neither an EVTX file
// header nor any chunk.
var ErrNotEVTX = errors.New("not an EVTX file")

const fileMagic = gevtx.EvtxMagic + "\x00"

// Detect reports whether head starts with the EVTX file magic "ElfFile\x00".
func Detect(head []byte) bool {
	return len(head) >= len(fileMagic) && string(head[:len(fileMagic)]) == fileMagic
}

var silenceOnce sync.Once

// silence switches golang-utils/log's leveled output off for the process.
func silence() {
	silenceOnce.Do(func() { gulog.SetLogLevel(gulog.LCritical) })
}

// Parse reads an exported .evtx through r, which holds size bytes (a zip
// entry may be an in-memory reader: no disk access is needed), and emits
// one event.KindRecord event per record, in record-id order, with Source
// "evtx" and Path path.
//
// The problems name every chunk and record that could not be read (with
// the chunk index and offset, and the record id when known). The error is
// non-nil only when nothing can be read at all (ErrNotEVTX), when ctx is
// done, or when emit fails; emit's error is returned as is.
func Parse(ctx context.Context, path string, r io.ReadSeeker, size int64, emit event.Sink) ([]event.Problem, error) {
	silence()
	p := &parser{ctx: ctx, path: path, rd: reader{r: r, size: size}, emit: emit}
	err := p.run()
	sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Offset < p.problems[j].Offset })
	return p.problems, err
}

// chunkInfo is what the first pass learns about a chunk slot.
type chunkInfo struct {
	index        int
	minID, maxID uint64
	badCRC       bool
}

type parser struct {
	ctx      context.Context
	path     string
	rd       reader
	emit     event.Sink
	noCRC    bool
	problems []event.Problem
	refs     []recordRef
}

func (p *parser) problem(off int64, record uint64, format string, args ...any) {
	p.problems = append(p.problems, event.Problem{Offset: off, Record: record, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) run() error {
	hdr, err := p.fileHeader()
	if err != nil {
		return err
	}
	count := 0
	if hdr != nil {
		count = int(hdr.ChunkCount)
	}
	infos, found, err := p.index(count)
	if err != nil {
		return err
	}
	if hdr == nil && found == 0 {
		return fmt.Errorf("%s: %w", p.path, ErrNotEVTX)
	}
	if hdr != nil && int(hdr.ChunkCount) > found {
		p.problem(0, 0, "file header lists %d chunks, %d found", hdr.ChunkCount, found)
	}
	return p.decodeAll(clusters(infos))
}

// fileHeader reads the file header through golang-evtx. It returns nil
// when the input has no valid header; that is a problem, not an error,
// as long as chunks can be found.
func (p *parser) fileHeader() (*gevtx.FileHeader, error) {
	raw := make([]byte, 128)
	n, err := readAt(p.rd.r, raw, 0)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.path, err)
	}
	raw = raw[:n]
	if !Detect(raw) {
		p.problem(0, 0, "file header: no EVTX signature")
		return nil, nil
	}
	if n < 128 {
		p.problem(0, 0, "file header cut at %d bytes", n)
		return nil, nil
	}
	h, err := libFileHeader(p.rd.r)
	if err != nil {
		p.problem(0, 0, "file header: %v", err)
		return nil, nil
	}
	p.noCRC = h.Flags&fileFlagNoCRC32 != 0
	if !p.noCRC {
		if sum := crc32.ChecksumIEEE(raw[:120]); sum != h.CheckSum {
			p.problem(0, 0, "file header: checksum mismatch (CRC32 %#08x, stored %#08x)", sum, h.CheckSum)
		}
	}
	return &h, nil
}

// libFileHeader parses the file header with golang-evtx, whose New panics
// on short input.
func libFileHeader(r io.ReadSeeker) (h gevtx.FileHeader, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	f, err := gevtx.New(r)
	if err != nil {
		return h, err
	}
	return f.Header, nil
}

// readAt reads len(b) bytes at off, or fewer at the end of the input.
func readAt(r io.ReadSeeker, b []byte, off int64) (int, error) {
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(r, b)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, err
}

// index is the first pass: it visits every chunk slot, checks it and
// learns the record-id range of its readable records. found counts the
// slots with a chunk signature.
func (p *parser) index(chunkCount int) ([]chunkInfo, int, error) {
	var infos []chunkInfo
	var junk []int // slots holding data that is not a chunk
	found, last := 0, -1
	for i := 0; i < slotCount(p.rd.size); i++ {
		if err := p.ctx.Err(); err != nil {
			return nil, found, err
		}
		data, err := p.rd.slot(i)
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			p.problem(slotOffset(i), 0, "chunk %d: %v", i, err)
			continue
		}
		if !isChunk(data) {
			if !allZero(data) {
				junk = append(junk, i)
			}
			continue
		}
		found, last = found+1, i
		info, ok := p.check(i, data)
		if ok {
			infos = append(infos, info)
		}
	}
	// Slots after the last chunk and past the header's chunk count are
	// unused file space; old data there is not a damaged chunk.
	for _, i := range junk {
		if i < last || i < chunkCount {
			p.problem(slotOffset(i), 0, "chunk %d: no chunk signature; skipped", i)
		}
	}
	return infos, found, nil
}

// check verifies one chunk and walks its records.
func (p *parser) check(i int, data []byte) (info chunkInfo, ok bool) {
	off := slotOffset(i)
	info.index = i
	defer func() {
		if v := recover(); v != nil {
			p.problem(off, 0, "chunk %d: panic while checking: %v; skipped", i, v)
			ok = false
		}
	}()
	h, err := parseChunkHeader(data)
	if err != nil {
		p.problem(off, 0, "chunk %d: %v; skipped", i, err)
		return info, false
	}
	if err := h.Validate(); err != nil {
		p.problem(off, 0, "chunk %d: %v", i, err)
	}
	if len(data) < chunkSize {
		p.problem(off, 0, "chunk %d: truncated: %d of %d bytes present", i, len(data), chunkSize)
	}
	if !p.noCRC {
		if bad := checksums(data, h); len(bad) > 0 {
			info.badCRC = true
			p.problem(off, 0, "chunk %d: checksum mismatch (%s)", i, joinComma(bad))
		}
	}
	refs, stop := records(data, h, p.refs[:0])
	p.refs = refs
	if stop.msg != "" {
		last := "none"
		if len(refs) > 0 {
			last = fmt.Sprint(refs[len(refs)-1].hdr.id)
		}
		p.problem(off+int64(stop.off), 0, "chunk %d: %s at chunk offset %#x; rest of the chunk skipped (last record read: %s, header lists %d-%d)",
			i, stop.msg, stop.off, last, h.FirstEventRecID, h.LastEventRecID)
	}
	if len(refs) == 0 {
		return info, false
	}
	info.minID, info.maxID = refs[0].hdr.id, refs[0].hdr.id
	for _, r := range refs[1:] {
		info.minID = min(info.minID, r.hdr.id)
		info.maxID = max(info.maxID, r.hdr.id)
	}
	return info, true
}

func joinComma(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x)
	}
	return b.String()
}

// clusters orders the chunks by their lowest record id and groups the
// chunks whose id ranges overlap, so that each group can be merged and
// emitted in record-id order on its own.
func clusters(infos []chunkInfo) [][]chunkInfo {
	sort.SliceStable(infos, func(i, j int) bool {
		if infos[i].minID != infos[j].minID {
			return infos[i].minID < infos[j].minID
		}
		return infos[i].index < infos[j].index
	})
	var out [][]chunkInfo
	var maxID uint64
	for i, in := range infos {
		if i == 0 || in.minID > maxID {
			out = append(out, nil)
			maxID = in.maxID
		}
		maxID = max(maxID, in.maxID)
		out[len(out)-1] = append(out[len(out)-1], in)
	}
	return out
}

// decoded is one decoded record waiting to be emitted. id is the record
// header's id: records are ordered and de-duplicated by it because it is
// the container's identity. The EventRecordID in the XML (Event.RecordID)
// is the same number except in damaged chunks and in some writers' output
// (xml2evtx writes two records with EventRecordID 1).
type decoded struct {
	ev     event.Event
	id     uint64
	index  int // chunk index
	badCRC bool
}

// decodeWorkers is how many groups of chunks are decoded side by side.
// The chunks are independent (each holds its own string and template
// tables); the events are emitted in the order of the groups all the same.
const decodeWorkers = 2

// clusterJob is a group of chunks to decode: the data of each chunk (nil
// when it could not be read again), read by the parser's goroutine, and
// where its result goes.
type clusterJob struct {
	cl   []chunkInfo
	data [][]byte
	res  chan clusterResult
}

// clusterResult is what a worker made of a group: its records, and the
// problems of the records that could not be decoded.
type clusterResult struct {
	evs      []decoded
	problems []event.Problem
}

// decodeAll decodes the groups of chunks on decodeWorkers goroutines, at
// most decodeWorkers+1 groups ahead of the one being emitted, and emits
// each group's events in turn. The problems the workers find are added in
// the order of the groups, as one goroutine decoding them in turn would.
func (p *parser) decodeAll(cls [][]chunkInfo) error {
	jobs := make(chan *clusterJob)
	var wg sync.WaitGroup
	for range min(decodeWorkers, len(cls)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := worker{path: p.path}
			for j := range jobs {
				j.res <- w.cluster(j)
			}
		}()
	}
	defer wg.Wait()
	defer close(jobs)
	var pending []*clusterJob // dispatched, in order
	var free [][]byte         // chunk buffers to read into again
	next := 0
	for next < len(cls) || len(pending) > 0 {
		for next < len(cls) && len(pending) <= decodeWorkers {
			if err := p.ctx.Err(); err != nil {
				return err
			}
			j := &clusterJob{cl: cls[next], res: make(chan clusterResult, 1)}
			for _, in := range j.cl {
				var buf []byte
				if n := len(free); n > 0 {
					buf, free = free[n-1], free[:n-1]
				}
				data, err := p.rd.slotInto(in.index, buf)
				if err != nil {
					p.problem(slotOffset(in.index), 0, "chunk %d: %v", in.index, err)
				}
				j.data = append(j.data, data)
			}
			jobs <- j
			pending = append(pending, j)
			next++
		}
		if err := p.ctx.Err(); err != nil {
			return err
		}
		j := pending[0]
		pending = pending[1:]
		res := <-j.res
		p.problems = append(p.problems, res.problems...)
		if err := p.emitCluster(j.cl, res.evs); err != nil {
			return err
		}
		for _, d := range j.data {
			if cap(d) == chunkSize {
				free = append(free, d[:0])
			}
		}
	}
	return nil
}

// emitCluster emits the events of one group in record-id order, dropping
// repeated record ids (the copy from a chunk with good checksums, then
// from the lower chunk index, is kept).
func (p *parser) emitCluster(cl []chunkInfo, evs []decoded) error {
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := &evs[i], &evs[j]
		if a.id != b.id {
			return a.id < b.id
		}
		if a.badCRC != b.badCRC {
			return !a.badCRC
		}
		return a.index < b.index
	})
	dups := map[int]int{}
	for i := range evs {
		if i > 0 && evs[i].id == evs[i-1].id {
			dups[evs[i].index]++
			continue
		}
		if err := p.emit(evs[i].ev); err != nil {
			return err
		}
	}
	for _, in := range cl {
		if n := dups[in.index]; n > 0 {
			p.problem(slotOffset(in.index), 0, "chunk %d: %d records repeat record ids read from another chunk; skipped", in.index, n)
		}
	}
	return nil
}

// worker decodes groups of chunks; each decoding goroutine has its own.
type worker struct {
	path     string
	dec      decoder
	refs     []recordRef
	problems []event.Problem
}

func (w *worker) problem(off int64, record uint64, format string, args ...any) {
	w.problems = append(w.problems, event.Problem{Offset: off, Record: record, Msg: fmt.Sprintf(format, args...)})
}

// cluster decodes the chunks of j. A panic outside a record's decoding
// (which decodeRecord turns into the record's error) skips the chunk it
// happened in, as a problem: it must not take the process down from this
// goroutine.
func (w *worker) cluster(j *clusterJob) clusterResult {
	w.problems = nil
	var evs []decoded
	for k, in := range j.cl {
		func() {
			defer func() {
				if v := recover(); v != nil {
					w.problem(slotOffset(in.index), 0, "chunk %d: panic while decoding: %v; skipped", in.index, v)
				}
			}()
			evs = w.decodeChunk(in, j.data[k], evs)
		}()
	}
	return clusterResult{evs: evs, problems: w.problems}
}

// decodeChunk decodes the records of the chunk in, whose data is data (nil
// when it could not be read again), and appends them to evs.
func (w *worker) decodeChunk(in chunkInfo, data []byte, evs []decoded) []decoded {
	if data == nil {
		return evs // reported when it was read
	}
	h, err := parseChunkHeader(data)
	if err != nil {
		return evs // reported by the first pass
	}
	refs, _ := records(data, h, w.refs[:0])
	w.refs = refs
	w.dec.c = newChunk(in.index, slotOffset(in.index), data)
	defer func() { w.dec.c = nil }()
	for _, ref := range refs {
		ev, err := w.decodeRecord(ref)
		if err != nil {
			w.problem(slotOffset(in.index)+int64(ref.off), ref.hdr.id, "chunk %d: record at chunk offset %#x: %v", in.index, ref.off, err)
			continue
		}
		evs = append(evs, decoded{ev: ev, id: ref.hdr.id, index: in.index, badCRC: in.badCRC})
	}
	return evs
}

// decodeRecord decodes one record; a panic becomes an error.
func (w *worker) decodeRecord(ref recordRef) (ev event.Event, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic while decoding: %v", v)
		}
	}()
	// The binary XML lies between the record header and the trailing copy
	// of the record size.
	if err := w.dec.decodeRecord(ref.off+recordHeaderSize, ref.off+ref.size-4); err != nil {
		return ev, err
	}
	if err := w.dec.t.check(); err != nil {
		return ev, err
	}
	return w.dec.t.toEvent(w.path, ref.hdr), nil
}
