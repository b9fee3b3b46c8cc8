package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/report"
	"github.com/sfblog/sfblog/signatures"
)

func newParseCmd(s *streams) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "parse [-f jsonl|table] PATH...",
		Short: "Print the normalized events of the inputs, one JSON object per line",
		Long: `Parse reads the inputs as analyze does and prints every normalized event:
one JSON object per line (jsonl), or a table. Secrets are masked. Client log
times are local wall-clock times without a zone ("local_time": true).

The table fits the terminal (or COLUMNS): a place keeps its file's name and
line, a summary is cut. Written to a pipe or a file, its rows stay whole. A
table of more than 4,096 rows is written as it comes, its columns as wide as
its first rows need: a later place or summary that is wider is shortened.

Control characters of the logs never reach the terminal raw: the table shows
them as escapes (\x1b), the JSON as \u escapes of the same text.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format = strings.ToLower(format)
			if format != "jsonl" && format != "table" {
				return usageErr("--format %q: want jsonl or table", format)
			}
			// Parse prints events; it finds nothing. An empty catalog spares
			// loading and compiling the shipped one (most of the time on a
			// small input) and matching every event against it. The
			// analyzer still adds its derived fields (signin.result, ...).
			a := analyze.New(signatures.NewMatcher(new(signatures.Catalog)), s.analyzeOptions())
			out := &errWriter{w: bufio.NewWriterSize(s.out, 64<<10)}
			var table *tableStream
			if format == "table" {
				table = &tableStream{out: out, width: terminalWidth(s.out)}
			}
			enc := startEncoder(format, out, table)
			bar := startProgress(s, args)
			inputs, err := a.Events(cmd.Context(), args, enc.add)
			bar.stop()
			if encErr := enc.close(); encErr != nil {
				return &exitError{exitInternal, encErr}
			}
			if out.err != nil {
				return writeErr("standard output", out.err)
			}
			missing := reportInputs(s, args, inputs)
			if err != nil && !errors.Is(err, analyze.ErrNoInput) {
				return &exitError{exitInternal, err}
			}
			if table != nil {
				if err := table.close(); err != nil && out.err == nil {
					return &exitError{exitInternal, err}
				}
			}
			if out.err == nil {
				out.err = out.w.Flush()
			}
			if out.err != nil {
				return writeErr("standard output", out.err)
			}
			if errors.Is(err, analyze.ErrNoInput) {
				return &exitError{exitUsage, err}
			}
			return missingErr(missing)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "jsonl", "output format: jsonl|table")
	completeValues(cmd, "format", "jsonl", "table")
	completeInputs(cmd)
	return cmd
}

// encoder masks and writes the events of parse, in the order they come.
// Masking and JSON are more work than parsing, so batches of events are
// masked and encoded by several workers side by side (one per CPU, at
// most maxEncoders), and one writer writes their output in the order the
// batches were made. A batch holds at most encoderBatch events or
// encoderBytes of event text; the first ones hold firstBatch events, and
// each the double of the one before, so that the workers start on a
// small input while it is still being parsed (with one batch of its 112
// events, a 1 MiB event log was encoded only once parsed, on one core).
// 2*workers+2 batches serve in turn, which
// bounds the memory. A worker writes a batch's output into chunks of
// about chunkBytes, which the writer gives back once written: a run
// touches little more memory than the chunks in flight (a short run never
// collects garbage, so that new buffers would each be fresh pages).
type encoder struct {
	format string
	out    *errWriter
	mask   maskFunc // nil for a mask.Masker per worker; tests panic in it
	batch  *encBatch
	limit  int            // the events of the batch being filled, at most
	free   chan *encBatch // batches to fill
	jobs   chan *encBatch // to the workers
	order  chan *encBatch // to the writer, in the order made
	done   chan struct{}  // closed when the writer is done
	chunks chan []byte    // written chunks, emptied, to be filled again
	wg     sync.WaitGroup // the workers
	failed atomic.Bool    // the output failed or a goroutine panicked: stop early
	rows   rowSink        // takes the table rows, for the table format
	errMu  sync.Mutex
	err    error // a panic of a worker or the writer, as an error
}

// encBatch is a batch of events and, once a worker has done it (ready is
// closed), their output: JSON lines or table rows.
type encBatch struct {
	events []*event.Event
	text   int      // the bytes of event text in events
	out    [][]byte // the JSON lines, in chunks
	rows   [][]string
	ready  chan struct{}
}

const (
	firstBatch   = 16
	encoderBatch = 256
	encoderBytes = 256 << 10
	maxEncoders  = 4
	chunkBytes   = 64 << 10
	freeChunks   = 64 // chunks kept for reuse
)

// maskFunc masks an event as [mask.EventFields] does.
type maskFunc func(fields []event.Field, e *event.Event) (string, []event.Field)

// rowSink takes the table rows of the batches, in order.
type rowSink interface {
	add(rows [][]string) error
}

// startEncoder starts an encoder of the format (jsonl or table) writing
// to out; the table format's rows go to rows.
func startEncoder(format string, out *errWriter, rows rowSink) *encoder {
	return startEncoderWith(format, out, rows, nil)
}

// startEncoderWith is startEncoder with maskFields in place of
// mask.EventFields; with nil, each worker masks with a mask.Masker of its
// own.
func startEncoderWith(format string, out *errWriter, rows rowSink, maskFields maskFunc) *encoder {
	n := min(max(runtime.GOMAXPROCS(0), 1), maxEncoders)
	batches := 2*n + 2
	enc := &encoder{
		format: format,
		out:    out,
		rows:   rows,
		mask:   maskFields,
		limit:  firstBatch,
		free:   make(chan *encBatch, batches),
		chunks: make(chan []byte, freeChunks),
		jobs:   make(chan *encBatch, batches),
		order:  make(chan *encBatch, batches),
		done:   make(chan struct{}),
	}
	for range batches - 1 {
		enc.free <- &encBatch{ready: make(chan struct{})}
	}
	enc.batch = &encBatch{ready: make(chan struct{})}
	enc.wg.Add(n)
	for range n {
		go enc.work()
	}
	go enc.write()
	return enc
}

// add queues e; it returns an error once the output failed, which stops
// the parse. Events own their strings and field maps (see event.Sink), so
// keeping e past the call is safe.
func (enc *encoder) add(e *event.Event) error {
	if enc.failed.Load() {
		return errEncoderStopped
	}
	b := enc.batch
	b.events = append(b.events, e)
	b.text += len(e.Text)
	if len(b.events) >= enc.limit || b.text >= encoderBytes {
		enc.send()
	}
	return nil
}

// send hands the batch being filled to the workers and the writer, and
// takes the next one to fill. Both queues hold every batch, so sending
// never blocks; taking waits for the writer to give one back.
func (enc *encoder) send() {
	b := enc.batch
	enc.order <- b
	enc.jobs <- b
	enc.batch = <-enc.free
	enc.limit = min(2*enc.limit, encoderBatch)
}

// recycle empties a written batch, gives its chunks back and the batch to
// add.
func (enc *encoder) recycle(b *encBatch) {
	for _, c := range b.out {
		enc.putChunk(c)
	}
	clear(b.events)
	clear(b.out)
	b.events, b.text, b.out, b.rows = b.events[:0], 0, b.out[:0], nil
	b.ready = make(chan struct{})
	enc.free <- b
}

// chunk returns an empty chunk to write output into.
func (enc *encoder) chunk() []byte {
	select {
	case c := <-enc.chunks:
		return c
	default:
		return make([]byte, 0, chunkBytes)
	}
}

// putChunk keeps c for reuse, unless it grew large (a very long event) or
// enough are kept.
func (enc *encoder) putChunk(c []byte) {
	if cap(c) > 4*chunkBytes {
		return
	}
	select {
	case enc.chunks <- c[:0]:
	default:
	}
}

var errEncoderStopped = errors.New("output stopped")

// fail records the panic p of a goroutine as the encoder's error.
func (enc *encoder) fail(p any) {
	enc.errMu.Lock()
	if enc.err == nil {
		enc.err = fmt.Errorf("internal error while writing events: %v", p)
	}
	enc.errMu.Unlock()
	enc.failed.Store(true)
}

// work masks and encodes batches. A batch is always marked ready, even
// after a panic (which marks the encoder failed first, so that the writer
// writes nothing more), so that the writer never waits forever.
func (enc *encoder) work() {
	defer enc.wg.Done()
	var fs []event.Field    // the masked fields of an event, reused
	var table event.Event   // a masked event as a table row shows it; its map is reused
	var lines event.Encoder // writes the JSON lines, knowing the names seen
	maskFields := enc.mask
	if maskFields == nil {
		maskFields = new(mask.Masker).EventFields
	}
	for b := range enc.jobs {
		func() {
			defer close(b.ready)
			defer func() { clear(fs[:cap(fs)]) }() // the batch's strings may go
			defer func() {
				if p := recover(); p != nil {
					enc.fail(p)
				}
			}()
			if enc.failed.Load() {
				return
			}
			var c []byte
			for _, e := range b.events {
				m := *e
				m.Text, fs = maskFields(fs[:0], e)
				if enc.format == "table" {
					clear(table.Fields)
					if table.Fields == nil {
						table.Fields = make(map[string]string, len(fs))
					}
					for _, f := range fs {
						table.Fields[f.Name] = f.Value
					}
					m.Fields = table.Fields
					b.rows = append(b.rows, tableRow(&m))
					continue
				}
				if c == nil {
					c = enc.chunk()
				}
				// AppendJSONFields escapes the control characters a
				// terminal acts on: no raw one reaches the output.
				c = append(lines.Append(c, &m, fs), '\n')
				if len(c) >= chunkBytes-chunkBytes/8 {
					b.out, c = append(b.out, c), nil
				}
			}
			if c != nil {
				b.out = append(b.out, c)
			}
		}()
	}
}

// write writes the output of the batches in the order they were made.
func (enc *encoder) write() {
	defer close(enc.done)
	defer func() {
		if p := recover(); p != nil {
			enc.fail(p)
			for b := range enc.order { // let add and close go on to their end
				<-b.ready
				enc.recycle(b)
			}
		}
	}()
	for b := range enc.order {
		<-b.ready
		if !enc.failed.Load() {
			if len(b.rows) > 0 {
				if err := enc.rows.add(b.rows); err != nil {
					enc.failed.Store(true)
				}
			}
			for _, c := range b.out {
				if _, err := enc.out.Write(c); err != nil {
					enc.failed.Store(true)
					break
				}
			}
		}
		enc.recycle(b)
	}
}

// close writes what is queued.
func (enc *encoder) close() error {
	if len(enc.batch.events) > 0 {
		enc.send()
	}
	close(enc.jobs)
	close(enc.order)
	enc.wg.Wait()
	<-enc.done
	return enc.err
}

// tableRow is one row of "parse -f table". Every cell is escaped: paths and
// summaries are log content, which may hold terminal control sequences.
func tableRow(e *event.Event) []string {
	where := e.Path
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	} else if e.RecordID > 0 {
		where += fmt.Sprintf("#%d", e.RecordID)
	}
	summary := analyze.Excerpt(e)
	summary, _, _ = strings.Cut(summary, "\n")
	switch e.Kind {
	case event.KindHRESULT:
		summary = strings.TrimSpace(e.Get("hresult") + " " + e.Get("hresult.name"))
	case event.KindUIText:
		summary = e.Get("ui.key") + ": " + e.Get("ui.text")
	case event.KindLog:
		summary = e.Get("log.level") + " " + e.Get("log.message")
	}
	summary = safe(summary)
	if len(summary) > 100 {
		summary = strings.ToValidUTF8(summary[:97], "") + "..."
	}
	return []string{event.FormatTime(e.Time, e.Local), safe(where), safe(e.Kind), summary}
}

// tableHeader is the header row of "parse -f table".
var tableHeader = [...]string{"TIME", "WHERE", "KIND", "SUMMARY"}

// tableStream writes the rows of "parse -f table" as they come, so that
// its memory does not grow with the input. It keeps the first
// maxTableRows rows to lay the columns out (fitRows); a table of fewer
// rows is written at the end as a whole, each column as wide as its
// widest cell. A longer one is written as it comes, with those widths,
// or wider for TIME, KIND and SUMMARY, which leaves room for the later
// rows of another input: a later place or summary that is still wider is
// shortened as fitRows shortens one.
type tableStream struct {
	out   io.Writer
	width int        // the terminal's, 0 when unknown
	rows  [][]string // the first rows, until the widths are known
	t     *tablewriter.Table
	w     [len(tableHeader)]int // the widths of the columns once streaming
}

// maxTableRows is how many rows a tableStream keeps before it writes them.
const maxTableRows = 4096

// placeSlack is what a streamed table adds to the width of its widest
// place so far: room for line numbers a thousand times as large.
const placeSlack = 3

// Widths a streamed table gives its columns at the least: a time with
// nanoseconds and a zone ("2017-06-15T07:00:47.042584312Z"), the longest
// kind (event.KindDirectory), and a summary of tableRow's longest.
const (
	streamTimeWidth    = len("2006-01-02T15:04:05.999999999Z")
	streamKindWidth    = len("directory")
	streamSummaryWidth = 100
)

// add keeps rows, or writes them once the table has started.
func (ts *tableStream) add(rows [][]string) error {
	if ts.t == nil {
		ts.rows = append(ts.rows, rows...)
		if len(ts.rows) < maxTableRows {
			return nil
		}
		return ts.start()
	}
	for _, r := range rows {
		if err := ts.t.Append(ts.fit(r)); err != nil {
			return err
		}
	}
	return nil
}

// start lays the columns out from the rows kept, starts the table and
// writes them.
func (ts *tableStream) start() error {
	least := [len(tableHeader)]int{streamTimeWidth, 0, streamKindWidth, streamSummaryWidth}
	for _, r := range ts.rows {
		least[1] = max(least[1], report.TextWidth(r[1])+placeSlack)
	}
	ts.w = fitRows(ts.rows, ts.width, least)
	widths := tw.NewMapper[int, int]()
	for i, w := range ts.w {
		widths.Set(i, w+2) // tablewriter counts a cell's padding in
	}
	ts.t = tablewriter.NewTable(ts.out, tablewriter.WithStreaming(tw.StreamConfig{Enable: true}),
		tablewriter.WithWidths(tw.CellWidth{PerColumn: widths}))
	if err := ts.t.Start(); err != nil {
		return err
	}
	ts.t.Header(tableHeader[:])
	for _, r := range ts.rows {
		if err := ts.t.Append(r); err != nil {
			return err
		}
	}
	ts.rows = nil
	return nil
}

// fit shortens the cells of a later row to the widths of the columns.
func (ts *tableStream) fit(r []string) []string {
	r[1] = fitPlace(r[1], ts.w[1])
	r[3] = report.Cut(r[3], ts.w[3])
	return r
}

// close writes the table: whole when it had fewer than maxTableRows
// rows, else its end.
func (ts *tableStream) close() error {
	if ts.t != nil {
		return ts.t.Close()
	}
	fitRows(ts.rows, ts.width, [len(tableHeader)]int{})
	t := tablewriter.NewWriter(ts.out)
	t.Header(tableHeader[:])
	if err := t.Bulk(ts.rows); err != nil {
		return err
	}
	return t.Render()
}

// fitRows shortens the WHERE and SUMMARY cells of rows so that the table
// is at most width columns wide (at least report.MinWidth), as the table
// report fits the terminal: a place keeps its file's name and its line or
// record (".../Lync-UccApi-0.UccApilog:106") when the summary still gets
// minSummary columns, and is cut at its start when not; a summary is cut
// at its end. With width 0 (not a terminal, no COLUMNS) rows stay whole.
// It returns the width of each column: its widest cell (or header), at
// least least[i], then narrowed to fit.
//
// The table's style takes 3 columns per cell besides its text (a space on
// each side and a rule) and one more for the first rule.
func fitRows(rows [][]string, width int, least [len(tableHeader)]int) [len(tableHeader)]int {
	var w [len(tableHeader)]int
	for i, h := range tableHeader {
		w[i] = max(report.TextWidth(h), least[i])
	}
	named := 0 // the widest place cut to its file's name
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], report.TextWidth(c))
		}
		path, at := splitPlace(r[1])
		named = max(named, report.TextWidth(".../"+path[strings.LastIndexAny(path, `/\`)+1:]+at))
	}
	if width <= 0 {
		return w
	}
	width = max(width, report.MinWidth)
	room := width - 1 - 3*len(tableHeader) - w[0] - w[2] // for WHERE and SUMMARY
	if w[1]+w[3] <= room {
		return w
	}
	where := room / 2
	if named+minSummary <= room {
		where = max(named, room-w[3])
	}
	where = max(min(where, w[1]), report.TextWidth(tableHeader[1]))
	summary := max(room-where, report.TextWidth(tableHeader[3]))
	for _, r := range rows {
		r[1] = fitPlace(r[1], where)
		r[3] = report.Cut(r[3], summary)
	}
	w[1], w[3] = where, summary
	return w
}

// minSummary is the fewest columns fitRows leaves a summary when it can.
const minSummary = 20

// fitPlace shortens the place "path:line" or "path#record" to w columns,
// its line or record kept.
func fitPlace(place string, w int) string {
	if report.TextWidth(place) <= w {
		return place
	}
	path, at := splitPlace(place)
	return report.ShortPath(path, max(w-len(at), 4)) + at
}

// splitPlace splits a place of a table row into its path and its ":line"
// or "#record", if it has one.
func splitPlace(place string) (path, at string) {
	if i := strings.LastIndexAny(place, ":#"); i > strings.LastIndexAny(place, `/\`) && i+1 < len(place) &&
		strings.Trim(place[i+1:], "0123456789") == "" {
		return place[:i], place[i:]
	}
	return place, ""
}

// errWriter keeps the first error of w: the event callback and the table
// writer go on, and the command reports the error once.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// jsonSafe escapes what encoding/json leaves raw but a terminal acts on
// (batch's lines; parse writes its lines with event.AppendJSON, which does
// the same in one pass).
func jsonSafe(b []byte) []byte { return termesc.JSON(b) }
