package adexport

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/parsers/scan"
)

// Get-ADUser -Properties ... | Format-List writes one block per object,
// blocks separated by blank lines, one "Name : value" line per property
// with the names padded to one width; a collection is written in braces,
// "{SMTP:bob@contoso.com, smtp:bob@contoso.mail.onmicrosoft.com}", cut
// after $FormatEnumerationLimit (4) values with "...", and a value longer
// than the console is wrapped onto lines indented to the value column.
// Sources: PowerShell-Docs Format-List and about_Preference_Variables
// ($FormatEnumerationLimit).

// listLine matches a property line; it is compiled on first use.
var listLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*) *: ?(.*)$`)
})

// isFormatList reports whether lines hold a DistinguishedName property
// line and a line of one of the user attributes.
func isFormatList(lines []string) bool {
	var dn, attr bool
	for _, l := range lines {
		m := listLine().FindStringSubmatch(l)
		if m == nil || !strings.Contains(l, " : ") && !strings.HasSuffix(l, " :") {
			continue
		}
		if strings.EqualFold(m[1], "DistinguishedName") {
			dn = true
		}
		for _, a := range userAttributes {
			if strings.EqualFold(m[1], a) {
				attr = true
			}
		}
	}
	return dn && attr
}

// listProperty is one property of a block, its wrapped lines joined.
type listProperty struct {
	name, value string
	line        int
	cut         bool // value grew past maxValueBytes
}

// Bounds of one Format-List object: a file without blank lines is one
// object, whose lines must not all be kept.
const (
	maxProps      = 4096     // properties of one object
	maxValueBytes = 64 << 10 // a value with its wrapped lines
)

// list parses the Format-List form.
func (p *parser) list(r io.Reader) error {
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	var (
		props []listProperty
		raw   []string // the object as written, up to maxTextLen bytes
		size  int      // the bytes of raw
		start int
		// propsCut: properties past maxProps were left out
		propsCut bool
		end      int
	)
	flush := func() error {
		if len(props) == 0 {
			props, raw, size = nil, nil, 0
			return nil
		}
		u := user{line: start, endLine: end, text: strings.Join(raw, "\n")}
		for _, pr := range props {
			p.set(&u, pr.name, p.listValues(pr), pr.line)
		}
		props, raw, size, propsCut = nil, nil, 0, false
		return p.send(&u)
	}
	for lines.Scan() {
		n := lines.Number()
		if lines.Truncated() {
			p.problem(n, "line longer than %d bytes, cut", scan.DefaultMaxLine)
		}
		line := lines.Text()
		switch {
		case strings.TrimSpace(line) == "":
			if err := flush(); err != nil {
				return err
			}
			continue
		case strings.HasPrefix(line, " ") && len(props) > 0:
			// A wrapped value continues at the value column. (A value
			// grown past maxValueBytes is not a wrapped attribute but a
			// flood: the rest is dropped, once reported.)
			pr := &props[len(props)-1]
			if len(pr.value) > maxValueBytes {
				if !pr.cut {
					pr.cut = true
					p.problem(n, "value of %s longer than %d bytes, cut", pr.name, maxValueBytes)
				}
				break
			}
			pr.value += strings.TrimLeft(line, " ")
		default:
			m := listLine().FindStringSubmatch(line)
			if m == nil {
				p.problem(n, "not a property line, ignored")
				break
			}
			if len(props) == 0 {
				start = n
			}
			if len(props) >= maxProps {
				if !propsCut {
					propsCut = true
					p.problem(n, "more than %d properties in the object at line %d: the rest are not read", maxProps, start)
				}
				break
			}
			props = append(props, listProperty{name: m[1], value: m[2], line: n})
		}
		if len(props) > 0 {
			if size <= maxTextLen {
				raw = append(raw, line)
				size += len(line) + 1
			}
			end = n
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("adexport: read %s: %w", p.path, err)
	}
	return flush()
}

// listValues splits a collection written in braces into its values. A
// collection cut by $FormatEnumerationLimit is reported, and its values
// shown are kept.
func (p *parser) listValues(pr listProperty) []string {
	v := strings.TrimSpace(pr.value)
	if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
		return []string{v}
	}
	inner := strings.TrimSpace(v[1 : len(v)-1])
	if inner == "" {
		return nil
	}
	cut := strings.HasSuffix(inner, "...")
	if cut {
		inner = strings.TrimSuffix(inner, "...")
		p.problem(pr.line, "%s lists only the first values (cut by $FormatEnumerationLimit): set $FormatEnumerationLimit = -1 before Format-List to see them all", pr.name)
	}
	var out []string
	for _, s := range strings.Split(inner, ", ") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
