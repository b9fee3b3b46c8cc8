package adexport

import (
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/parsers/scan"
)

// ldifde -f users.ldf -r "(objectClass=user)" -l "..." writes LDIF (RFC
// 2849) records of change type add, one per object, separated by a blank
// line (the file starts with one):
//
//	dn: CN=Bob Smith,OU=Users,DC=contoso,DC=com
//	changetype: add
//	userPrincipalName: bob@contoso.com
//	msRTCSIP-UserEnabled: FALSE
//	proxyAddresses: SMTP:bob@contoso.com
//	proxyAddresses: smtp:bob@contoso.mail.onmicrosoft.com
//
// A value that is not safe ASCII is written base64-encoded after "::"; a
// long line is folded, its continuation lines beginning with one space; a
// line beginning with "#" is a comment. Sources: RFC 2849; ldifde in
// learn.microsoft.com (windows-commands/ldifde) and the samples of
// "The LDIF Directory Exchange Tool" (itprotoday).

// isLDIF reports whether the first line that is not blank, a comment or
// the version line is a dn: line.
func isLDIF(lines []string) bool {
	for _, l := range lines {
		switch {
		case strings.TrimSpace(l) == "", strings.HasPrefix(l, "#"), hasPrefixFold(l, "version:"):
			continue
		}
		return hasPrefixFold(l, "dn:")
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ldifEntry collects one record.
type ldifEntry struct {
	u       user
	lines   []string // the record as written, up to maxTextLen bytes
	size    int      // the bytes of lines
	change  string   // changetype other than add
	started bool
}

// add keeps line as part of the record's text, unless the text already
// holds maxTextLen bytes (the event's text is cut there anyway): a record
// without a blank line after it runs to the end of the file, and its
// lines must not all be kept.
func (e *ldifEntry) add(line string) {
	if e.size > maxTextLen {
		return
	}
	e.lines = append(e.lines, line)
	e.size += len(line) + 1
}

// ldif parses the LDIF form.
func (p *parser) ldif(r io.Reader) error {
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	var (
		e       ldifEntry
		logical strings.Builder // the current unfolded line
		logLine int             // where it started
		inLine  bool
		cutLine bool // logical grew past maxValueBytes
	)
	endLogical := func() {
		if inLine {
			p.ldifLine(&e, logical.String(), logLine)
		}
		logical.Reset()
		inLine, cutLine = false, false
	}
	endEntry := func() error {
		endLogical()
		if !e.started {
			e = ldifEntry{}
			return nil
		}
		e.u.text = strings.Join(e.lines, "\n")
		var err error
		if e.change == "" {
			err = p.send(&e.u)
		}
		e = ldifEntry{}
		return err
	}
	for lines.Scan() {
		n := lines.Number()
		if lines.Truncated() {
			p.problem(n, "line longer than %d bytes, cut", scan.DefaultMaxLine)
		}
		line := lines.Text()
		switch {
		case strings.TrimSpace(line) == "":
			if err := endEntry(); err != nil {
				return err
			}
			continue
		case strings.HasPrefix(line, " ") && inLine:
			// A folded value past maxValueBytes is a flood, not an
			// attribute: the rest is dropped, once reported.
			if logical.Len() > maxValueBytes {
				if !cutLine {
					cutLine = true
					p.problem(n, "line folded past %d bytes, cut", maxValueBytes)
				}
				break
			}
			logical.WriteString(line[1:])
		default:
			endLogical()
			logical.WriteString(line)
			logLine, inLine = n, true
		}
		if e.started {
			e.add(line)
			e.u.endLine = n
		} else if hasPrefixFold(line, "dn:") {
			e.started = true
			e.u.line, e.u.endLine = n, n
			e.add(line)
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("adexport: read %s: %w", p.path, err)
	}
	return endEntry()
}

// ldifLine reads one unfolded line of an entry (or before the first).
func (p *parser) ldifLine(e *ldifEntry, line string, n int) {
	if strings.HasPrefix(line, "#") || line == "-" {
		return
	}
	name, value, ok := p.ldifValue(line, n)
	if !ok {
		return
	}
	switch {
	case strings.EqualFold(name, "version") && !e.started:
		return
	case strings.EqualFold(name, "dn"):
		if e.u.dn != "" {
			p.problem(n, "second dn: line in the entry at line %d, ignored", e.u.line)
			return
		}
		e.u.dn = value
		if e.u.dn == "" {
			p.problem(n, "empty dn")
		}
	case !e.started:
		p.problem(n, "attribute line before the first dn: line, ignored")
	case strings.EqualFold(name, "changetype"):
		if !strings.EqualFold(value, "add") {
			e.change = value
			p.problem(e.u.line, "change record (changetype: %s), not an exported object: skipped", value)
		}
	case e.change != "":
	case mask.SecretName(name):
		// As written, base64 ("userPassword:: U3By..."), not decoded:
		// the form the entry's text holds.
		raw := line[strings.IndexByte(line, ':')+1:]
		e.u.addSecret(name, strings.TrimLeft(raw, ": "))
	default:
		p.set(&e.u, name, []string{value}, n)
	}
}

// ldifValue splits "name: value", "name:: base64" and "name:< url". The
// attribute options after ";" (name;binary) are dropped.
func (p *parser) ldifValue(line string, n int) (name, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		p.problem(n, "not an LDIF attribute line, ignored")
		return "", "", false
	}
	name, rest := line[:i], line[i+1:]
	if j := strings.IndexByte(name, ';'); j >= 0 {
		name = name[:j]
	}
	switch {
	case strings.HasPrefix(rest, ":"):
		raw := strings.TrimSpace(rest[1:])
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(raw, "="))
		}
		if err != nil {
			p.problem(n, "%s: value is not valid base64, ignored", name)
			return "", "", false
		}
		return name, string(b), true
	case strings.HasPrefix(rest, "<"):
		p.problem(n, "%s: value given by reference (%s), not read", name, strings.TrimSpace(rest[1:]))
		return "", "", false
	}
	return name, strings.TrimLeft(rest, " "), true
}
