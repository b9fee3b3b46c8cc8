package scan

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type gotLine struct {
	N         int
	Text      string
	Truncated bool
}

func readAll(t *testing.T, r io.Reader, max int) ([]gotLine, error) {
	t.Helper()
	l := NewLines(r, max)
	var out []gotLine
	for l.Scan() {
		out = append(out, gotLine{l.Number(), l.Text(), l.Truncated()})
	}
	return out, l.Err()
}

func TestLines(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name string
		in   string
		max  int
		want []gotLine
	}{
		{"LF", "a\nb\n", 0, []gotLine{{1, "a", false}, {2, "b", false}}},
		{"CRLF", "a\r\nb\r\n", 0, []gotLine{{1, "a", false}, {2, "b", false}}},
		{"no final newline", "a\r\nb", 0, []gotLine{{1, "a", false}, {2, "b", false}}},
		{"empty lines kept", "a\n\n\r\nb", 0, []gotLine{{1, "a", false}, {2, "", false}, {3, "", false}, {4, "b", false}}},
		{"lone CR stays inside a line", "a\rb\n", 0, []gotLine{{1, "a\rb", false}}},
		{"BOM dropped on line 1 only", "\uFEFFa\n\uFEFFb\n", 0, []gotLine{{1, "a", false}, {2, "\uFEFFb", false}}},
		{"empty input", "", 0, nil},
		{"line at the limit is whole", "abcd\r\nef\n", 4, []gotLine{{1, "abcd", false}, {2, "ef", false}}},
		{"line over the limit is cut", "abcde\nef\n", 4, []gotLine{{1, "abcd", true}, {2, "ef", false}}},
		{"long line over the bufio buffer is cut", strings.Repeat(long, 2000) + "\r\nnext\n", 1000,
			[]gotLine{{1, strings.Repeat("x", 1000), true}, {2, "next", false}}},
		{"long line over the bufio buffer within the limit", strings.Repeat(long, 2000) + "\r\nnext", 300000,
			[]gotLine{{1, strings.Repeat(long, 2000), false}, {2, "next", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, strings.NewReader(tt.in), tt.max)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLinesOneByteReads(t *testing.T) {
	in := "a\r\n" + strings.Repeat("y", 70000) + "\nz"
	got, err := readAll(t, iotest.OneByteReader(strings.NewReader(in)), 0)
	require.NoError(t, err)
	assert.Equal(t, []gotLine{{1, "a", false}, {2, strings.Repeat("y", 70000), false}, {3, "z", false}}, got)
}

func TestLinesReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(boom))
	got, err := readAll(t, r, 0)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []gotLine{{1, "a", false}}, got)
}
