package uccapilog

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

// endlessLog is an endless client log of error lines; it counts its reads.
type endlessLog struct{ reads atomic.Int64 }

func (e *endlessLog) Read(b []byte) (int, error) {
	e.reads.Add(1)
	const line = "01/02/2015|10:00:00.000 1A:2B ERROR :: failed hr=0x80048821\n"
	n := 0
	for n+len(line) <= len(b) {
		n += copy(b[n:], line)
	}
	return n, nil
}

// Once Parse returns, its reading goroutine has stopped: nothing reads the
// input any more, whether the parse stopped for the sink or the context.
func TestParseStopsReading(t *testing.T) {
	stop := errors.New("enough")
	tests := []struct {
		name string
		run  func(r io.Reader) error
		want error
	}{
		{"sink error", func(r io.Reader) error {
			n := 0
			_, err := Parse(context.Background(), "x", r, func(event.Event) error {
				if n++; n == 1000 {
					return stop
				}
				return nil
			})
			return err
		}, stop},
		{"context cancelled while parsing", func(r io.Reader) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			_, err := Parse(ctx, "x", r, func(event.Event) error {
				if n++; n == 1000 {
					cancel()
				}
				return nil
			})
			return err
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &endlessLog{}
			err := tt.run(in)
			require.ErrorIs(t, err, tt.want)
			reads := in.reads.Load()
			// A reader still running would keep reading: give it the
			// chance.
			time.Sleep(50 * time.Millisecond)
			assert.Equal(t, reads, in.reads.Load())
		})
	}
}

// panicReader panics on its second read.
type panicReader struct{ n int }

func (p *panicReader) Read(b []byte) (int, error) {
	if p.n++; p.n == 2 {
		panic("broken reader")
	}
	return copy(b, "01/02/2015|10:00:00.000 1A:2B ERROR :: failed hr=0x80048821\n"), nil
}

// A panic while reading (a broken io.Reader) ends the input with an error
// after the events read so far; it does not take the process down.
func TestParseReaderPanic(t *testing.T) {
	var got []event.Event
	_, err := Parse(context.Background(), "x.UccApilog", &panicReader{}, func(ev event.Event) error {
		got = append(got, ev)
		return nil
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "x.UccApilog")
	assert.Contains(t, err.Error(), "broken reader")
	assert.NotEmpty(t, got)
}

// A panic in the matcher stage ends the input with an error, after the
// batches before it, and close still returns.
func TestReaderMatcherPanic(t *testing.T) {
	const line = "01/02/2015|10:00:00.000 1A:2B INFO :: line\n"
	in := strings.Repeat(line, 3*batchBytes/len(line))
	// The panic is at the matcher's call panicAt, past the first batch
	// (its first call builds the prefilter): the batches grow from
	// firstBatchBytes, and the read that ends one is in it.
	panicAt := 5 * batchBytes / 2 / len(line)
	n := 0
	rd := startReader(strings.NewReader(in), func([]byte) bool {
		if n++; n == panicAt {
			panic("bad matcher")
		}
		return false
	}, batchBytes)
	defer rd.close()
	var batches, lines int
	for {
		b, err := rd.next(context.Background())
		require.NoError(t, err)
		if b.last {
			require.Error(t, b.err)
			assert.Contains(t, b.err.Error(), "line matcher: panic: bad matcher")
			break
		}
		batches++
		lines += len(b.ends)
		rd.release(b)
	}
	assert.GreaterOrEqual(t, batches, 2, "the batches before the panic are delivered")
	assert.Less(t, lines, panicAt, "and none after")
	assert.Greater(t, lines+readSize/len(line)+batchBytes/len(line), panicAt, "up to the batch of the panic")
}

// The events do not depend on how the input is split into batches, with
// the batches of a parse of every block and those of a skimming one.
func TestParseBatchBoundaries(t *testing.T) {
	const pre = "04/16/2013|09:17:30.402 1F68:C14 INFO  :: "
	block := pre + "Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1 bytes:\n" +
		"SIP/2.0 401 Unauthorized\nCSeq: 1 REGISTER\nms-diagnostics: 1000;reason=\"x\"\n\n" +
		pre + "End of Data Received - 10.0.0.20:443 (To Local Address: 192.168.103.35:50123) 1 bytes\n" +
		"04/16/2013|09:17:30.402 1F68:C14 ERROR :: GetAndPublishCert failed hr=0x80048821\n continued\n"
	for _, tt := range []struct {
		name string
		opt  Options
		size int
	}{
		{"every block", Options{}, batchBytes},
		{"skimming", Options{Keep: func(BlockView) bool { return true }}, skimBatchBytes},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Repeat(block, 3*tt.size/len(block)+7)
			var whole, small []event.Event
			_, err := tt.opt.Parse(context.Background(), "x", strings.NewReader(in), func(ev event.Event) error {
				whole = append(whole, ev)
				return nil
			})
			require.NoError(t, err)
			// One byte per read: bufio's refills land anywhere in a line.
			_, err = tt.opt.Parse(context.Background(), "x", iotest.OneByteReader(strings.NewReader(in)), func(ev event.Event) error {
				small = append(small, ev)
				return nil
			})
			require.NoError(t, err)
			require.Equal(t, len(whole), len(small))
			assert.Equal(t, whole, small)
			assert.Greater(t, len(whole), 3*tt.size/len(block))
		})
	}
}

// A batch keeps a line's time as Unix seconds and nanoseconds: the times
// of every year a stamp can hold come back the same, to the nanosecond
// and in UTC.
func TestBatchTimes(t *testing.T) {
	for _, tt := range []struct {
		stamp string
		want  time.Time
	}{
		{"01/01/0001|00:00:00.000", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"12/31/1969|23:59:59.999", time.Date(1969, 12, 31, 23, 59, 59, 999_000_000, time.UTC)},
		{"04/16/2013|09:17:30.402", time.Date(2013, 4, 16, 9, 17, 30, 402_000_000, time.UTC)},
		{"04/12/2262|00:00:00.123456789", time.Date(2262, 4, 12, 0, 0, 0, 123_456_789, time.UTC)},
		{"12/31/9999|23:59:59.999999999", time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC)},
	} {
		t.Run(tt.stamp, func(t *testing.T) {
			var got []event.Event
			_, err := Parse(context.Background(), "x", strings.NewReader(tt.stamp+" 1F68:C14 ERROR :: failed\n"), func(ev event.Event) error {
				got = append(got, ev)
				return nil
			})
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Equal(t, tt.want, got[0].Time)
			assert.True(t, tt.want.Equal(got[0].Time))
			assert.Equal(t, time.UTC, got[0].Time.Location())
		})
	}
}

// The line tables of a batch are sized from the mean line so far, a
// quarter more, so that filling them does not grow them (and leave the
// smaller copies as garbage).
func TestReserve(t *testing.T) {
	for _, tt := range []struct {
		lines, bytes int64
		n, want      int
	}{
		{0, 0, 64 << 10, 1280},               // no line yet: 64 bytes each
		{100, 10000, 100000, 1250},           // 100-byte lines
		{5, 2, 1000, 1250},                   // shorter than a byte: one byte each
		{1, 1 << 20, 1000, 0},                // one long line
		{1000, 1000, 1 << 20, maxBatchLines}, // blank lines: at most a full batch
	} {
		rd := &reader{split: splitter{n: int(tt.lines)}, read: tt.bytes}
		assert.Equal(t, tt.want, rd.linesIn(tt.n), "%d lines in %d bytes, then %d bytes", tt.lines, tt.bytes, tt.n)
	}

	var b batch
	b.reserve(100)
	assert.Equal(t, 100, cap(b.starts))
	assert.Equal(t, 100, cap(b.ends))
	assert.Equal(t, 100, cap(b.flags))
	assert.Equal(t, 100, cap(b.pres))
	b.starts = append(b.starts, 1)
	b.reserve(50) // enough room: kept
	assert.Equal(t, 100, cap(b.starts))
	assert.Len(t, b.starts, 1)

	// A whole read: the tables of every batch but the first hold its
	// lines without growing.
	const line = "01/02/2015|10:00:00.000 1A:2B INFO :: a line of a log\n"
	in := strings.Repeat(line, 4*skimBatchBytes/len(line))
	rd := startReader(strings.NewReader(in), func([]byte) bool { return false }, skimBatchBytes)
	defer rd.close()
	for i := 0; ; i++ {
		b, err := rd.next(context.Background())
		require.NoError(t, err)
		if i > 0 {
			assert.LessOrEqual(t, len(b.ends), cap(b.ends))
			assert.GreaterOrEqual(t, cap(b.ends), len(b.ends)*5/4-1, "batch %d: reserved, not grown", i)
		}
		if b.last {
			break
		}
		rd.release(b)
	}
}

// A flood of blank lines is read in batches of at most maxBatchLines
// lines, whose tables stay that small: without the limit a 512 KiB batch
// held 500,000 lines and 30 MB of tables.
func TestBlankLineFlood(t *testing.T) {
	in := "01/02/2015|10:00:00.000 1A:2B INFO :: a line\n" + strings.Repeat("\n", 3*skimBatchBytes)
	rd := startReader(strings.NewReader(in), func([]byte) bool { return false }, skimBatchBytes)
	defer rd.close()
	lines := 0
	for {
		b, err := rd.next(context.Background())
		require.NoError(t, err)
		require.NoError(t, b.err)
		require.LessOrEqual(t, len(b.ends), maxBatchLines)
		// Reserved from the lines before, or grown by append in the
		// first batch: the tables of a batch stay near a megabyte.
		tables := (cap(b.starts)+cap(b.ends))*int(unsafe.Sizeof(0)) + cap(b.flags) +
			cap(b.pres)*int(unsafe.Sizeof(linePrefix{}))
		require.LessOrEqual(t, tables, 2<<20, "bytes of line tables in a batch of %d lines", len(b.ends))
		lines += len(b.ends)
		if b.last {
			break
		}
		rd.release(b)
	}
	assert.Equal(t, 1+3*skimBatchBytes, lines)
}

// A small log costs memory in proportion to its size: the batches' buffers
// and line tables are sized for the text of each batch, which starts small
// and doubles. With buffers of the largest size from the start, a 5 KB
// log allocated about 700 KB, and a folder of 9,000 small logs spent most
// of its time zeroing memory.
func TestSmallInputAllocatesLittle(t *testing.T) {
	data, err := os.ReadFile("testdata/lync2013_register_ntlm.UccApilog")
	require.NoError(t, err)
	for _, keep := range []func(BlockView) bool{nil, func(BlockView) bool { return false }} {
		parse := func() {
			_, err := Options{Keep: keep}.Parse(context.Background(), "x", bytes.NewReader(data), func(event.Event) error { return nil })
			require.NoError(t, err)
		}
		parse() // the shared prefilter and tables, built once
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		const runs = 20
		for range runs {
			parse()
		}
		runtime.ReadMemStats(&after)
		per := (after.TotalAlloc - before.TotalAlloc) / runs
		t.Logf("keep %v: %d bytes allocated per parse", keep != nil, per)
		assert.Less(t, per, uint64(160<<10), "bytes allocated to parse a %d-byte log", len(data))
	}
}
