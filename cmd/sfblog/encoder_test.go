package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
)

// encoderEvents returns n events whose texts vary in length, some long
// enough to end a batch by their bytes, one holding a password.
func encoderEvents(n int) []*event.Event {
	evs := make([]*event.Event, n)
	for i := range evs {
		text := fmt.Sprintf("line %d", i)
		switch {
		case i%97 == 0:
			text += strings.Repeat(" long", encoderBytes/10) // ~500 KiB
		case i == n/2:
			text += " password=hunter2"
		}
		evs[i] = &event.Event{Path: "a.log", Line: i + 1, Source: "uccapilog", Kind: event.KindLog, Text: text,
			Fields: map[string]string{"log.level": "ERROR", "n": fmt.Sprint(i)}}
	}
	return evs
}

// errAfter fails every write after the first n bytes.
type errAfter struct{ n int }

func (w *errAfter) Write(p []byte) (int, error) {
	if w.n < len(p) {
		return 0, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestEncoder(t *testing.T) {
	evs := encoderEvents(2000)
	var want bytes.Buffer
	for _, e := range evs {
		m := mask.Event(e)
		want.Write(append(m.AppendJSON(nil), '\n'))
	}
	require.NotContains(t, want.String(), "hunter2")

	tests := []struct {
		name   string
		format string
		mask   maskFunc
		w      func(*bytes.Buffer) interface{ Write([]byte) (int, error) }
		check  func(t *testing.T, got string, rows [][]string, addErr, err error)
	}{
		{
			name: "jsonl in order", format: "jsonl",
			check: func(t *testing.T, got string, rows [][]string, addErr, err error) {
				require.NoError(t, addErr)
				require.NoError(t, err)
				assert.Equal(t, want.String(), got)
			},
		},
		{
			name: "table rows in order", format: "table",
			check: func(t *testing.T, got string, rows [][]string, addErr, err error) {
				require.NoError(t, err)
				require.Len(t, rows, len(evs))
				for i, r := range rows {
					require.Equal(t, fmt.Sprintf("a.log:%d", i+1), r[1])
				}
				assert.Empty(t, got)
			},
		},
		{
			name: "a panic in a worker is an error", format: "jsonl",
			mask: func(fs []event.Field, e *event.Event) (string, []event.Field) {
				if e.Line == 1234 {
					panic("boom")
				}
				return mask.EventFields(fs, e)
			},
			check: func(t *testing.T, got string, rows [][]string, addErr, err error) {
				require.ErrorContains(t, err, "internal error while writing events: boom")
				assert.NotContains(t, got, `"line":1234,`)
				assert.True(t, strings.HasPrefix(want.String(), got), "what was written is a prefix of the output")
			},
		},
		{
			name: "a write error stops the parse", format: "jsonl",
			w: func(*bytes.Buffer) interface{ Write([]byte) (int, error) } { return &errAfter{n: 100 << 10} },
			check: func(t *testing.T, got string, rows [][]string, addErr, err error) {
				require.ErrorIs(t, addErr, errEncoderStopped)
				require.NoError(t, err)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			var w interface{ Write([]byte) (int, error) } = &buf
			if tt.w != nil {
				w = tt.w(&buf)
			}
			maskFields := tt.mask
			if maskFields == nil {
				maskFields = mask.EventFields
			}
			out := &errWriter{w: bufio.NewWriterSize(w, 4<<10)}
			var rows collectRows
			enc := startEncoderWith(tt.format, out, &rows, maskFields)
			var addErr error
			for _, e := range evs {
				if addErr = enc.add(e); addErr != nil {
					break
				}
			}
			err := enc.close()
			if out.err == nil {
				out.err = out.w.Flush()
			}
			tt.check(t, buf.String(), rows, addErr, err)
		})
	}
}

// collectRows keeps the table rows an encoder gives it.
type collectRows [][]string

func (c *collectRows) add(rows [][]string) error {
	*c = append(*c, rows...)
	return nil
}

// The first batches are small, so that the workers start on a small input
// while it is parsed; each is twice the one before, up to encoderBatch.
func TestEncoderBatchesGrow(t *testing.T) {
	var out bytes.Buffer
	w := &errWriter{w: bufio.NewWriter(&out)}
	enc := startEncoder("jsonl", w, nil)
	var sizes []int
	for i, e := range encoderEvents(1000) {
		e.Text = "short" // batches end by their number of events alone
		before := enc.limit
		require.NoError(t, enc.add(e))
		if len(enc.batch.events) == 0 {
			sizes = append(sizes, before)
			assert.Equal(t, min(2*before, encoderBatch), enc.limit, "after event %d", i)
		}
	}
	require.NoError(t, enc.close())
	require.NoError(t, w.w.Flush())
	assert.Equal(t, []int{16, 32, 64, 128, 256, 256}, sizes)
	assert.Equal(t, 1000, strings.Count(out.String(), "\n"))
}
