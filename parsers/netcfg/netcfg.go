// Package netcfg parses the network configuration a user is asked to send:
// "netsh winhttp show proxy" (ParseProxy, KindProxy events) and
// "ipconfig /all" or plain "ipconfig" (ParseIPConfig, KindNetCfg events).
// Both have Source "network". Each format has its Detect function, which
// recognises it by content, and its Parse function, which reads text
// already decoded to UTF-8 (internal/textenc) with CRLF or LF line ends.
//
// One file may hold several runs of a command. Lines of other commands and
// shell prompts end a block. A block that is recognised but malformed (a
// proxy heading with nothing after it, an address that is not one) is
// reported as a problem with its line and emits nothing.
package netcfg

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// ctxEvery is how often (in lines) the context is checked.
const ctxEvery = 1024

// maxBlock is the most lines one block may span; memory stays bounded.
const maxBlock = 20000

// numLine is a line and its 1-based number.
type numLine struct {
	n    int
	text string
}

// block is the lines of one event being read.
type block struct {
	lines []numLine
	bad   bool
}

func (b *block) add(n int, s string) { b.lines = append(b.lines, numLine{n, s}) }

// span returns the first and last non-blank lines of the block and its
// text between them.
func (b *block) span() (first, last int, text string) {
	lines := b.lines
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].text) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return 0, 0, ""
	}
	var sb strings.Builder
	for i, l := range lines {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(l.text)
	}
	return lines[0].n, lines[len(lines)-1].n, sb.String()
}

// event returns an event of kind located at the block.
func (b *block) event(kind, path string) event.Event {
	first, last, text := b.span()
	ev := event.Event{Source: event.SourceNetwork, Kind: kind, Path: path, Line: first, Text: text}
	if last > first {
		ev.EndLine = last
	}
	return ev
}

// lineParser is what ParseProxy and ParseIPConfig plug into readLines.
type lineParser interface {
	line(n int, s string)
	flush()
	failed() error
}

// readLines feeds r to p line by line, trailing spaces and CR removed.
func readLines(ctx context.Context, name, path string, r io.Reader, p lineParser, problem func(int, string)) error {
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%s: %s: %w", name, path, err)
			}
		}
		if lines.Truncated() {
			problem(n, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		p.line(n, strings.TrimRight(lines.Text(), " \t\r"))
		if err := p.failed(); err != nil {
			return err
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("%s: read %s: %w", name, path, err)
	}
	p.flush()
	return p.failed()
}
