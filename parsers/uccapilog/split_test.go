package uccapilog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/parsers/scan"
)

// splitLines is what a splitter finds in r, batch after batch of about
// want bytes: each line, whether it was cut, and the read error.
func splitLines(r io.Reader, max, want int) (lines []string, cut []bool, err error) {
	return splitLinesAtMost(r, max, want, 0)
}

// splitLinesAtMost is splitLines with batches of at most maxLines lines
// (0: maxBatchLines), each checked to hold one line at least, unless it is
// the last, and at most maxLines.
func splitLinesAtMost(r io.Reader, max, want, maxLines int) (lines []string, cut []bool, err error) {
	sp := splitter{r: r, max: max, maxLines: maxLines}
	if maxLines <= 0 {
		maxLines = maxBatchLines
	}
	b := &batch{}
	for {
		n := 0
		more := sp.fill(b, want, func(b *batch, l line) {
			lines = append(lines, string(b.text[l.start:l.end]))
			cut = append(cut, l.truncated)
			n++
		})
		if n > maxLines || (more && n == 0) {
			return nil, nil, fmt.Errorf("a batch of %d lines (at most %d, one at least)", n, maxLines)
		}
		if !more {
			return lines, cut, sp.err
		}
	}
}

// scanLines is what scan.Lines finds in r: the splitter's reference.
func scanLines(r io.Reader, max int) (lines []string, cut []bool, err error) {
	l := scan.NewLines(r, max)
	for l.Scan() {
		lines = append(lines, string(l.Bytes()))
		cut = append(cut, l.Truncated())
	}
	return lines, cut, l.Err()
}

// zeroRun returns the longest run of zeros in sizes, read in turn
// forever as chunks reads them.
func zeroRun(sizes []byte) int {
	if len(sizes) > 0 && bytes.Count(sizes, []byte{0}) == len(sizes) {
		return math.MaxInt
	}
	longest, run := 0, 0
	for _, c := range append(slices.Clone(sizes), sizes...) {
		if c != 0 {
			run = 0
			continue
		}
		run++
		longest = max(longest, run)
	}
	return longest
}

// chunks returns r's data in reads of the sizes of sizes, in turn (a zero
// size reads nothing, without an error).
type chunks struct {
	data  []byte
	sizes []byte
	k     int
}

func (c *chunks) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = int(c.sizes[c.k%len(c.sizes)])
		c.k++
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func TestSplitterSameAsLines(t *testing.T) {
	long := strings.Repeat("x", 3*readSize+17)
	tests := []struct {
		name string
		in   string
		max  int
	}{
		{"empty", "", 16},
		{"one line without end", "abc", 16},
		{"LF and CRLF", "a\r\nb\n\r\nc\r", 16},
		{"CR only inside", "a\rb\nc", 16},
		{"BOM", "\xEF\xBB\xBFfirst\n\xEF\xBB\xBFsecond\n", 16},
		{"BOM on a cut line", "\xEF\xBB\xBF" + strings.Repeat("b", 20) + "\nz", 16},
		{"at the limit", strings.Repeat("a", 16) + "\n" + strings.Repeat("b", 16) + "\r\n", 16},
		{"one over", strings.Repeat("a", 17) + "\n" + strings.Repeat("b", 17) + "\r\n", 16},
		{"two over", strings.Repeat("a", 18) + "\n" + strings.Repeat("b", 18), 16},
		{"cut CR", strings.Repeat("a", 17) + "\r" + strings.Repeat("b", 5) + "\nc", 16},
		{"long lines across reads", long + "\nshort\n" + long + "\r\n" + long, 2 * readSize},
		{"long line at the end", "a\n" + long, readSize},
		{"blank lines", "\n\n\r\n\n", 16},
	}
	for _, tt := range tests {
		for _, sizes := range [][]byte{nil, {1}, {3, 0, 7}, {255}} {
			for _, want := range []int{1, 10, 1 << 20} {
				wantL, wantC, wantErr := scanLines(strings.NewReader(tt.in), tt.max)
				gotL, gotC, gotErr := splitLines(&chunks{data: []byte(tt.in), sizes: sizes}, tt.max, want)
				require.Equal(t, wantErr, gotErr, tt.name)
				require.Equal(t, wantL, gotL, "%s: sizes %v, want %d", tt.name, sizes, want)
				require.Equal(t, wantC, gotC, "%s: sizes %v, want %d", tt.name, sizes, want)
			}
		}
	}
}

func TestSplitterErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name  string
		r     io.Reader
		lines []string
		err   error
	}{
		{"an error drops the line it cuts short", io.MultiReader(strings.NewReader("a\nb\npart"), iotest.ErrReader(boom)), []string{"a", "b"}, boom},
		{"data with the error", iotest.DataErrReader(strings.NewReader("a\nb")), []string{"a", "b"}, nil},
		{"no progress", &chunks{data: []byte("a\nb"), sizes: []byte{1, 1, 0}}, []string{"a", "b"}, nil},
		{"reads of nothing forever", iotest.ErrReader(nil), nil, io.ErrNoProgress},
		// bufio.Reader's limit: 100 reads of nothing in a row.
		{"99 reads of nothing", &chunks{data: []byte("a\nb"), sizes: append(make([]byte, maxEmptyReads-1), 9)}, []string{"a", "b"}, nil},
		{"100 reads of nothing", &chunks{data: []byte("a\nb"), sizes: append(make([]byte, maxEmptyReads), 9)}, nil, io.ErrNoProgress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, _, err := splitLines(tt.r, 16, 4)
			assert.Equal(t, tt.lines, lines)
			assert.ErrorIs(t, err, tt.err)
			if tt.err == nil {
				assert.NoError(t, err)
			}
		})
	}
}

func FuzzSplitterSameAsLines(f *testing.F) {
	f.Add([]byte("a\r\nb\nc"), []byte{1, 2, 3}, uint8(4), uint8(3))
	f.Add([]byte("\xEF\xBB\xBF0123456789\r\n\r\n"), []byte{0, 5}, uint8(4), uint8(1))
	f.Add(bytes.Repeat([]byte("0123456789abcdef\r"), 9), []byte{7}, uint8(16), uint8(20))
	f.Fuzz(func(t *testing.T, in, sizes []byte, max, want uint8) {
		m := int(max%64) + 1
		wantL, wantC, wantErr := scanLines(bytes.NewReader(in), m)
		gotL, gotC, gotErr := splitLines(&chunks{data: in, sizes: sizes}, m, int(want))
		if len(sizes) > 0 && bytes.Count(sizes, []byte{0}) == len(sizes) && len(in) > 0 {
			require.ErrorIs(t, gotErr, io.ErrNoProgress)
			return
		}
		if errors.Is(gotErr, io.ErrNoProgress) && zeroRun(sizes) >= maxEmptyReads {
			// Reads of nothing, maxEmptyReads in a row: the reference,
			// which reads all at once, sees none of them.
			return
		}
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, wantL, gotL)
		require.Equal(t, wantC, gotC)
		// The same lines in batches of at most 1 to 4 lines.
		k := int(max%4) + 1
		gotL, gotC, gotErr = splitLinesAtMost(&chunks{data: in, sizes: sizes}, m, int(want), k)
		require.Equal(t, wantErr, gotErr, "at most %d lines a batch", k)
		require.Equal(t, wantL, gotL, "at most %d lines a batch", k)
		require.Equal(t, wantC, gotC, "at most %d lines a batch", k)
	})
}
