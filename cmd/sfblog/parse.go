package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/termesc"
	"github.com/sfblog/sfblog/mask"
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
			enc := startEncoder(format, out)
			bar := startProgress(s, args)
			inputs, err := a.Events(cmd.Context(), args, enc.add)
			bar.stop()
			rows, encErr := enc.close()
			if encErr != nil {
				return &exitError{exitInternal, encErr}
			}
			if out.err != nil {
				return writeErr("standard output", out.err)
			}
			missing := reportInputs(s, args, inputs)
			if err != nil && !errors.Is(err, analyze.ErrNoInput) {
				return &exitError{exitInternal, err}
			}
			if format == "table" {
				t := tablewriter.NewWriter(out)
				t.Header("TIME", "WHERE", "KIND", "SUMMARY")
				if err := t.Bulk(rows); err != nil {
					return &exitError{exitInternal, err}
				}
				if err := t.Render(); err != nil && out.err == nil {
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

// encoder masks and writes the events of parse on a goroutine of its own,
// in the order they come: masking and JSON are about as much work as
// parsing, and the two then run side by side. At most encoderQueue
// batches of encoderBatch events wait.
type encoder struct {
	format string
	out    *errWriter
	batch  []*event.Event
	queue  chan []*event.Event
	done   chan struct{}
	failed atomic.Bool // the output failed or the goroutine panicked: stop early
	rows   [][]string
	err    error // a panic of the encoder, as an error
}

const (
	encoderBatch = 256
	encoderQueue = 4
)

func startEncoder(format string, out *errWriter) *encoder {
	enc := &encoder{format: format, out: out, queue: make(chan []*event.Event, encoderQueue), done: make(chan struct{})}
	go enc.run()
	return enc
}

// add queues e; it returns an error once the output failed, which stops
// the parse. Events own their strings and field maps (see event.Sink), so
// keeping e past the call is safe.
func (enc *encoder) add(e *event.Event) error {
	if enc.failed.Load() {
		return errEncoderStopped
	}
	enc.batch = append(enc.batch, e)
	if len(enc.batch) == encoderBatch {
		enc.queue <- enc.batch
		enc.batch = make([]*event.Event, 0, encoderBatch)
	}
	return nil
}

var errEncoderStopped = errors.New("output stopped")

func (enc *encoder) run() {
	defer close(enc.done)
	defer func() {
		if p := recover(); p != nil {
			enc.err = fmt.Errorf("internal error while writing events: %v", p)
			enc.failed.Store(true)
			for range enc.queue { // let add go on to its end
			}
		}
	}()
	var line []byte
	var m event.Event // masked; its field map serves every event
	for batch := range enc.queue {
		for _, e := range batch {
			if enc.failed.Load() {
				break
			}
			mask.EventInto(&m, e)
			if enc.format == "table" {
				enc.rows = append(enc.rows, tableRow(&m))
				continue
			}
			// AppendJSON escapes the control characters a terminal acts
			// on: no raw one reaches the output.
			line = append(m.AppendJSON(line[:0]), '\n')
			if _, err := enc.out.Write(line); err != nil {
				enc.failed.Store(true)
			}
		}
	}
}

// close writes what is queued and returns the table rows.
func (enc *encoder) close() ([][]string, error) {
	if len(enc.batch) > 0 {
		enc.queue <- enc.batch
		enc.batch = nil
	}
	close(enc.queue)
	<-enc.done
	return enc.rows, enc.err
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
