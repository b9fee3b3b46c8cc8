package delimited

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/parsers/scan"
)

// rows reads every record of in.
func rows(in io.Reader, delim byte, maxLines, maxBytes int) []Row {
	rr := NewReader(scan.NewLines(in, scan.DefaultMaxLine), delim, maxLines)
	if maxBytes != 0 {
		rr.SetMaxBytes(maxBytes)
	}
	var out []Row
	for {
		rec, ok := rr.Next()
		if !ok {
			return out
		}
		out = append(out, rec)
	}
}

// problems returns the problems of recs as "line N: msg".
func problems(recs []Row) []string {
	var out []string
	for _, r := range recs {
		for _, p := range r.Problems {
			out = append(out, p.String())
		}
	}
	return out
}

func TestNext(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		delim    byte
		maxLines int
		maxBytes int
		fields   [][]string
		lines    [][2]int
		problems []string
	}{
		{
			name: "plain and quoted", in: "a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",z\r\n", delim: ',',
			fields: [][]string{{"a", "b", "c"}, {"x,y", `say "hi"`, "z"}},
			lines:  [][2]int{{1, 1}, {2, 2}},
		},
		{
			name: "quote spanning lines", in: "1\t\"a\nb\nc\"\t2\n3\n", delim: '\t',
			fields: [][]string{{"1", "a\nb\nc", "2"}, {"3"}},
			lines:  [][2]int{{1, 3}, {4, 4}},
		},
		{
			name: "quote inside a field is a character", in: "a\"b,c\n", delim: ',',
			fields: [][]string{{`a"b`, "c"}},
			lines:  [][2]int{{1, 1}},
		},
		{
			name: "blank line", in: "a\n\nb\n", delim: ',',
			fields: [][]string{{"a"}, {""}, {"b"}},
			lines:  [][2]int{{1, 1}, {2, 2}, {3, 3}},
		},
		{
			name: "cut at the line budget", in: "\"a\nb\nc\nd\n", delim: ',', maxLines: 2,
			fields:   [][]string{{"a\nb"}, {"c"}, {"d"}},
			lines:    [][2]int{{1, 2}, {3, 3}, {4, 4}},
			problems: []string{"line 1: quoted field not closed within 2 lines, cut"},
		},
		{
			name: "cut at the byte budget, the next line starts the next record", in: "x,\"aaaa\nbbbb\ncccc\nd,e\n", delim: ',', maxBytes: 12,
			fields:   [][]string{{"x", "aaaa\nbbbb"}, {"cccc"}, {"d", "e"}},
			lines:    [][2]int{{1, 2}, {3, 3}, {4, 4}},
			problems: []string{"line 1: quoted field not closed within 12 bytes (lines 1-2), cut"},
		},
		{
			name: "a first line over the byte budget is kept", in: "\"aaaaaaaa\nb\"\nc\n", delim: ',', maxBytes: 4,
			fields:   [][]string{{"aaaaaaaa"}, {`b"`}, {"c"}},
			lines:    [][2]int{{1, 1}, {2, 2}, {3, 3}},
			problems: []string{"line 1: quoted field not closed within 4 bytes (lines 1-1), cut"},
		},
		{
			name: "not closed at the end", in: "a,\"b\nc", delim: ',',
			fields:   [][]string{{"a", "b\nc"}},
			lines:    [][2]int{{1, 2}},
			problems: []string{"line 1: quoted field not closed at the end of the input"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			maxLines := tt.maxLines
			if maxLines == 0 {
				maxLines = 100
			}
			recs := rows(strings.NewReader(tt.in), tt.delim, maxLines, tt.maxBytes)
			var fields [][]string
			var lines [][2]int
			for _, r := range recs {
				fields = append(fields, r.Fields)
				lines = append(lines, [2]int{r.Line, r.EndLine})
				assert.Equal(t, r.Unclosed, len(r.Problems) > 0)
			}
			assert.Equal(t, tt.fields, fields)
			assert.Equal(t, tt.lines, lines)
			assert.Equal(t, tt.problems, problems(recs))
		})
	}
}

// lineFlood streams head, then n lines of size bytes each.
type lineFlood struct {
	head string
	line []byte
	n    int
	off  int
}

func (f *lineFlood) Read(p []byte) (int, error) {
	if f.head != "" {
		k := copy(p, f.head)
		f.head = f.head[k:]
		return k, nil
	}
	if f.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, f.line[f.off:])
	f.off += k
	if f.off == len(f.line) {
		f.off, f.n = 0, f.n-1
	}
	return k, nil
}

// TestUnclosedQuoteFlood: a quote that never closes, followed by 64 lines
// of 1 MiB, keeps DefaultMaxBytes at most; the lines after the cut are
// records of their own.
func TestUnclosedQuoteFlood(t *testing.T) {
	line := []byte(strings.Repeat("A", 1<<20-10) + "\r\n")
	in := &lineFlood{head: "h1,h2\r\nError,\"open\r\n", line: line, n: 64}
	recs := rows(in, ',', 4096, 0)
	// "Error,\"open" and four lines of 1 MiB fit in 4 MiB, the fifth
	// does not.
	require.Equal(t, 2+64-4, len(recs))
	cut := recs[1]
	assert.True(t, cut.Unclosed)
	assert.Equal(t, [2]int{2, 6}, [2]int{cut.Line, cut.EndLine})
	assert.LessOrEqual(t, len(cut.Text), DefaultMaxBytes)
	assert.LessOrEqual(t, len(cut.Fields[1]), DefaultMaxBytes)
	assert.Equal(t, []string{"line 2: quoted field not closed within 4194304 bytes (lines 2-6), cut"}, problems(recs))
	for _, r := range recs[2:] {
		assert.Equal(t, r.Line, r.EndLine)
		assert.Equal(t, 1, len(r.Fields))
	}
}
