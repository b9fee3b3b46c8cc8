package dns

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/scan"
)

// maxRun is the most lines one look-up may span, and maxRunBytes the most
// bytes of text; a longer run is cut, its results emitted and the cut
// reported, so that memory stays bounded on any input.
const (
	maxRun      = 20000
	maxRunBytes = scan.DefaultMaxLine
)

// maxValue bounds a value that grows by continuation lines (a Format-List
// value, a name wrapped by the table width): far above any DNS name.
const maxValue = 4096

// maxChain bounds the names of a CNAME chain followed: resolvers give up
// after a few dozen hops.
const maxChain = 64

// clip shortens s for a problem message.
func clip(s string) string {
	const n = 200
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// textParser reads the text forms of both tools, line by line. A prompt
// line names the tool; without one, each line is handed to the tool whose
// syntax it has.
type textParser struct {
	path     string
	emit     event.Sink
	problems event.Problems
	err      error
	ns       nsParser
	rd       rdParser
}

func parseText(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &textParser{path: path, emit: emit}
	p.ns.p = p
	p.rd.p = p
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	for lines.Scan() {
		n := lines.Number()
		if n%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return p.problems.List(), fmt.Errorf("dns: %s: %w", path, err)
			}
		}
		if lines.Truncated() {
			p.problem(n, fmt.Sprintf("line longer than %d bytes, cut", scan.DefaultMaxLine))
		}
		p.line(n, strings.TrimRight(lines.Text(), " \t\r"))
		if p.err != nil {
			return p.problems.List(), p.err
		}
	}
	if err := lines.Err(); err != nil {
		return p.problems.List(), fmt.Errorf("dns: read %s: %w", path, err)
	}
	p.ns.flush()
	p.rd.flush()
	return p.problems.List(), p.err
}

func (p *textParser) problem(n int, msg string) {
	p.problems.Add(n, msg)
}

// out emits a result; the first emit error stops the parse.
func (p *textParser) out(r *result) {
	if p.err != nil {
		return
	}
	if err := p.emit(r.event(p.path)); err != nil {
		p.err = fmt.Errorf("dns: %s: emit: %w", p.path, err)
	}
}

// line routes one line: prompt lines to both tools, Resolve-DnsName's
// syntax to its parser, the rest to the nslookup parser.
func (p *textParser) line(n int, s string) {
	if s == "" {
		p.ns.line(n, s)
		p.rd.line(n, s)
		return
	}
	if cmd, ok := promptCommand(s); ok {
		p.ns.flush()
		p.rd.flush()
		p.ns.endSession()
		p.command(n, s, cmd)
		return
	}
	if p.rd.claims(s) {
		p.ns.flush()
		p.rd.line(n, s)
		return
	}
	p.rd.flush()
	p.ns.line(n, s)
}

// command starts a look-up typed at a prompt: nslookup or Resolve-DnsName
// with its arguments; any other command ends what came before.
func (p *textParser) command(n int, s, cmd string) {
	args := commandArgs(cmd)
	if len(args) == 0 {
		return
	}
	switch strings.TrimSuffix(strings.ToLower(args[0]), ".exe") {
	case "nslookup":
		p.ns.command(n, s, args[1:])
	case "resolve-dnsname":
		p.rd.command(n, s, args[1:])
	}
}

// prompts are the shell prompt lines: cmd.exe and PowerShell prompts
// (C:\Users\x>cmd, PS C:\> cmd, [PS] C:\Windows\system32>cmd) and the
// bare "PS>" prompt. They are compiled on first use.
var prompts = sync.OnceValue(func() [2]*regexp.Regexp {
	return [2]*regexp.Regexp{
		regexp.MustCompile(`^(?:\[?PS\]?\s+)?[A-Za-z]:\\[^>]*>\s?(.*)$`),
		regexp.MustCompile(`^PS>\s?(.*)$`),
	}
})

// promptCommand returns the command typed on a shell prompt line.
func promptCommand(s string) (string, bool) {
	for _, re := range prompts() {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1], true
		}
	}
	return "", false
}

// commandArgs splits a command line into words, honouring double and
// single quotes, and stops at a pipe or a redirection.
func commandArgs(cmd string) []string {
	var args []string
	var cur strings.Builder
	in := false
	var quote rune
	flush := func() {
		if in {
			args = append(args, cur.String())
			cur.Reset()
			in = false
		}
	}
	for _, c := range cmd {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteRune(c)
			}
		case c == '"' || c == '\'':
			quote = c
			in = true
		case c == '|' || c == '>':
			if in && (cur.String() == "1" || cur.String() == "2") {
				in = false // the stream number of 2>&1
			}
			flush()
			return args
		case c == ' ' || c == '\t':
			flush()
		default:
			cur.WriteRune(c)
			in = true
		}
	}
	flush()
	return args
}
