package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected lines are those progressbar v3.19.1 drew with the options
// sfblog gave it, except the times of a line with no rate yet (progressbar:
// "[0s:0s]") and the 100% line's byte count (progressbar: the bytes read,
// even past the total).
func TestFormatProgress(t *testing.T) {
	const mb200 = 200 << 20 // "210 MB"
	for _, tc := range []struct {
		name        string
		read, total int64
		elapsed     time.Duration
		frame       int
		want        string
	}{
		{"unknown, start", 0, -1, 0, 0, "⠋ reading ( 0 B) [0s] "},
		{"unknown", 5 << 20, -1, 250 * time.Millisecond, 1, "⠙ reading (5.2 MB, 21 MB/s) [0s] "},
		{"unknown, frames wrap", 5 << 20, -1, 250 * time.Millisecond, 11, "⠙ reading (5.2 MB, 21 MB/s) [0s] "},
		{"unknown, 0 is unknown", 52 << 20, 0, 2 * time.Second, 3, "⠸ reading (55 MB, 27 MB/s) [2s] "},
		{"unknown, zero elapsed", 1 << 20, -1, 0, 0, "⠋ reading (1.0 MB) [0s] "},
		{"0%", 0, mb200, 0, 0, "reading   0% |                    | ( 0 B/210 MB) [0s]"},
		{"0%, nothing read yet", 0, mb200, 1500 * time.Millisecond, 0, "reading   0% |                    | ( 0 B/210 MB) [1s]"},
		{"negative", -5, mb200, time.Second, 0, "reading   0% |                    | ( 0 B/210 MB) [1s]"},
		{"2%", 5 << 20, mb200, 250 * time.Millisecond, 0, "reading   2% |                    | (5.2/210 MB, 21 MB/s) [0s:9s]"},
		{"50%", 100 << 20, mb200, time.Second, 0, "reading  50% |██████████          | (105/210 MB, 105 MB/s) [1s:1s]"},
		{"99%", mb200 - 1, mb200, 2 * time.Second, 0, "reading  99% |███████████████████ | (210/210 MB, 105 MB/s) [2s:0s]"},
		{"100%", mb200, mb200, 2 * time.Second, 0, "reading 100% |████████████████████| (210/210 MB, 105 MB/s)"},
		{"100% clamp", 250 << 20, mb200, 2 * time.Second, 0, "reading 100% |████████████████████| (210/210 MB, 105 MB/s)"},
		{"zero elapsed", 50, 100, 0, 0, "reading  50% |██████████          | (50/100 B) [0s]"},
		{"B of kB", 100, 5000, 250 * time.Millisecond, 0, "reading   2% |                    | (100 B/5.0 kB, 400 B/s) [0s:12s]"},
		{"kB", 2500, 5000, 500 * time.Millisecond, 0, "reading  50% |██████████          | (2.5/5.0 kB, 5.0 kB/s) [0s:0s]"},
		{"MB of GB", 300 << 20, 2 << 30, 3 * time.Second, 0, "reading  14% |██                  | (315 MB/2.1 GB, 105 MB/s) [3s:17s]"},
		{"GB", 1 << 30, 5 << 30, 250 * time.Millisecond, 0, "reading  20% |████                | (1.1/5.4 GB, 4.3 GB/s) [0s:1s]"},
		{"minutes", 1 << 30, 10 << 30, 90 * time.Second, 0, "reading  10% |██                  | (1.1/11 GB, 12 MB/s) [1m30s:13m30s]"},
		{"left too long to say", 1, 1 << 40, time.Hour, 0, "reading   0% |                    | ( 1 B/1.1 TB,  0 B/s) [1h0m0s]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := formatProgress(tc.read, tc.total, tc.elapsed, tc.frame)
			assert.Equal(t, tc.want, got)
			assert.Less(t, utf8.RuneCountInString(got), 80)
		})
	}
}

// TestFormatProgressWidth: whatever the figures, the line fits in 79
// columns, times left out if need be.
func TestFormatProgressWidth(t *testing.T) {
	sizes := []int64{-1, 0, 1, 9, 10, 999, 999_499, 999_500, 999_999, 1 << 20, 9_999_999, 123_456_789_012, math.MaxInt64}
	times := []time.Duration{0, time.Nanosecond, 999 * time.Millisecond, time.Minute, 59*time.Minute + 59*time.Second, 99 * time.Hour, 100000 * time.Hour}
	for _, total := range sizes {
		for _, read := range sizes {
			for _, elapsed := range times {
				s := formatProgress(read, total, elapsed, 7)
				assert.Less(t, utf8.RuneCountInString(s), 80, "%d of %d in %v: %q", read, total, elapsed, s)
				assert.NotContains(t, s, "1000 ", "%d of %d in %v: %q", read, total, elapsed, s)
			}
		}
	}
}

func TestHumanizeBytes(t *testing.T) {
	for _, tc := range []struct {
		n    float64
		want string
	}{
		{0, " 0 B"}, {5, " 5 B"}, {9.4, " 9 B"}, {10, "10 B"}, {999, "999 B"},
		{999.5, "1.0 kB"}, {1000, "1.0 kB"}, {1024, "1.0 kB"}, {1050, "1.1 kB"}, {9949, "9.9 kB"},
		{9950, "10 kB"}, {999_499, "999 kB"}, {52_450, "52 kB"}, {52_500, "53 kB"}, {999_500, "1.0 MB"}, {200 << 20, "210 MB"},
		{1 << 30, "1.1 GB"}, {1e12, "1.0 TB"}, {1e15, "1.0 PB"}, {math.MaxInt64, "9.2 EB"}, {5e21, "5000 EB"},
	} {
		t.Run(fmt.Sprint(tc.n), func(t *testing.T) {
			v, unit := humanizeBytes(tc.n)
			assert.Equal(t, tc.want, v+unit)
		})
	}
}

// TestProgressLine: each line over the one before, spaces over the rest
// of a longer one, and clear blanks only what was drawn.
func TestProgressLine(t *testing.T) {
	var b strings.Builder
	l := &progressLine{w: &b}
	l.clear()
	assert.Empty(t, b.String(), "nothing drawn, nothing cleared")

	l.draw("⠋ abc")
	l.draw("█")
	l.draw("xyz")
	l.clear()
	assert.Equal(t, "\r⠋ abc"+"\r█    "+"\rxyz"+"\r   \r", b.String())
	assert.Equal(t, 3, l.frame)
	b.Reset()
	l.clear()
	assert.Empty(t, b.String(), "cleared once")
}

// TestProgressDraws: the lines drawn by newProgress start with a carriage
// return, hold no escape sequence, and fit in 79 columns; a progress
// stopped before its delay writes nothing.
func TestProgressDraws(t *testing.T) {
	var buf syncBuffer
	var n int64
	read := func() int64 { n += 3 << 20; return n } // on the drawing goroutine only
	p := newProgress(&buf, func() int64 { return -1 }, read, 0)
	time.Sleep(2 * progressTick)
	p.stop()
	out := buf.String()
	assert.True(t, strings.HasPrefix(out, "\r"), "%q", out)
	assert.Contains(t, out, " reading (")
	assert.True(t, strings.HasSuffix(out, "\r"), "%q", out)
	assert.NotContains(t, out, "\x1b")
	for _, line := range strings.Split(out, "\r")[1:] {
		assert.Less(t, utf8.RuneCountInString(line), 80, "%q", line)
	}

	var quiet syncBuffer
	newProgress(&quiet, func() int64 { return -1 }, func() int64 { return 1 << 20 }, time.Hour).stop()
	assert.Empty(t, quiet.String())
}

// Only a terminal is one: /dev/null is a character device but not a
// terminal, and neither is a pipe, a file or a buffer.
func TestIsTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer null.Close()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	file, err := os.Create(filepath.Join(t.TempDir(), "out"))
	require.NoError(t, err)
	defer file.Close()
	for name, out := range map[string]io.Writer{"null": null, "pipe": w, "file": file, "buffer": new(bytes.Buffer)} {
		assert.False(t, isTerminal(out), name)
	}
	s := &streams{in: newStdin(context.Background(), strings.NewReader("")), err: null}
	assert.Nil(t, startProgress(s, nil), "no progress line on /dev/null")
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		assert.True(t, isTerminal(tty), "/dev/tty")
	}
}
