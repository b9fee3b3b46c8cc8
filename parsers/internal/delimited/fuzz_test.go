package delimited

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sfblog/sfblog/parsers/scan"
)

// FuzzNext checks that Next never panics and that its records cover the
// input's lines once each, in order, within their budgets.
func FuzzNext(f *testing.F) {
	f.Add([]byte("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",z\r\n"), byte(','), 4, 16)
	f.Add([]byte("1\t\"a\nb\nc\"\t2\n\n3\n"), byte('\t'), 2, 8)
	f.Add([]byte("x,\"aaaa\nbbbb\ncccc\nd,e\n"), byte(','), 100, 12)
	f.Add([]byte("h1,h2\r\nError,\"open\r\n"+strings.Repeat("AAAAAAAA\r\n", 50)), byte(','), 4096, 64)
	f.Add([]byte("\"\n\n\n\"\"\n\"a"), byte(','), 3, 1)
	f.Fuzz(func(t *testing.T, data []byte, delim byte, maxLines, maxBytes int) {
		if maxLines < 1 || maxLines > 1000 || delim == '"' || delim == '\n' || delim == '\r' {
			return
		}
		maxBytes %= 1 << 16
		lines := scan.NewLines(bytes.NewReader(data), 256)
		rr := NewReader(lines, delim, maxLines)
		rr.SetMaxBytes(maxBytes)
		limit := maxBytes
		if limit <= 0 {
			limit = DefaultMaxBytes
		}
		next := 1
		for {
			rec, ok := rr.Next()
			if !ok {
				break
			}
			if rec.Line != next || rec.EndLine < rec.Line {
				t.Fatalf("record at lines %d-%d, want it to start at %d", rec.Line, rec.EndLine, next)
			}
			next = rec.EndLine + 1
			if n := rec.EndLine - rec.Line + 1; n > maxLines {
				t.Errorf("record of %d lines, budget %d", n, maxLines)
			}
			if len(rec.Text) > max(limit, 256) && rec.EndLine > rec.Line {
				t.Errorf("record of %d bytes on %d lines, budget %d", len(rec.Text), rec.EndLine-rec.Line+1, limit)
			}
			if len(rec.Fields) == 0 {
				t.Errorf("record without fields")
			}
		}
		if want := lines.Number(); next-1 != want {
			t.Errorf("records end at line %d, input has %d", next-1, want)
		}
	})
}
