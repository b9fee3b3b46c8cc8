package adexport

import (
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/parsers/internal/delimited"
	"github.com/sfblog/sfblog/parsers/scan"
)

// csvde -f users.csv -l "..." writes a header row of attribute names,
// DN first, then one row per object; a value holding a comma is quoted, a
// multi-valued attribute has its values joined by ";", booleans are TRUE
// and FALSE:
//
//	DN,objectClass,userPrincipalName,msRTCSIP-UserEnabled,proxyAddresses
//	"CN=Smith\, Bob,OU=Users,DC=contoso,DC=com",top;person;organizationalPerson;user,bob@contoso.com,TRUE,SMTP:bob@contoso.com;smtp:bob@contoso.mail.onmicrosoft.com
//
// Get-ADUser -Properties ... | Export-Csv quotes every value, names the
// DistinguishedName column so, writes booleans as True and False and, in
// Windows PowerShell 5.1 without -NoTypeInformation, starts with the line
// "#TYPE Microsoft.ActiveDirectory.Management.ADUser". A multi-valued
// property is written as its type name
// (Microsoft.ActiveDirectory.Management.ADPropertyValueCollection) unless
// the user joined the values first. Sources: learn.microsoft.com
// windows-commands/csvde and Export-Csv (PowerShell-Docs), a csvde export
// quoted in a public AD notes repository (DN,objectClass,distinguishedName
// with a quoted DN).

// maxRecordLines bounds how many lines one row may span.
const maxRecordLines = 256

// dnColumns are the names of a distinguished-name column.
var dnColumns = []string{"dn", "distinguishedname"}

// csvForm returns FormCSVDE or FormExportCSV when lines start with a
// directory CSV header (after an optional #TYPE line), else "".
func csvForm(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	typeLine := strings.HasPrefix(lines[0], "#TYPE ")
	if typeLine {
		lines = lines[1:]
		if len(lines) == 0 {
			return ""
		}
	}
	header := lines[0]
	var dn, attr bool
	for _, col := range strings.Split(header, ",") {
		name := strings.ToLower(strings.Trim(strings.TrimSpace(col), `"`))
		if contains(dnColumns, name) {
			dn = true
		}
		for _, a := range userAttributes {
			if strings.EqualFold(name, a) {
				attr = true
			}
		}
	}
	switch {
	case !dn || !attr:
		return ""
	case typeLine || strings.HasPrefix(header, `"`):
		return FormExportCSV
	}
	return FormCSVDE
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// multiValued are the attributes whose values a CSV joins with ";".
var multiValued = []string{"proxyaddresses", "objectclass"}

// csv parses the csvde and Export-Csv forms.
func (p *parser) csv(r io.Reader) error {
	lines := scan.NewLines(r, scan.DefaultMaxLine)
	rows := delimited.NewReader(lines, ',', maxRecordLines)
	var header []string
	for {
		rec, ok := rows.Next()
		if !ok {
			break
		}
		for _, pr := range rec.Problems {
			p.problem(pr.Line, "%s", pr.Msg)
		}
		if header == nil {
			if len(rec.Fields) == 1 && strings.HasPrefix(rec.Fields[0], "#TYPE ") {
				continue
			}
			header = rec.Fields
			continue
		}
		if len(rec.Fields) == 1 && strings.TrimSpace(rec.Fields[0]) == "" {
			continue // a blank line
		}
		if len(rec.Fields) == 1 && len(header) > 1 {
			// One value where the header has several columns: a stray
			// line (a damaged file, or a flood of them), not an object.
			p.problem(rec.Line, "line of 1 value under %d columns, skipped", len(header))
			continue
		}
		if rec.Unclosed {
			p.problem(rec.Line, "damaged row skipped")
			continue
		}
		if len(rec.Fields) != len(header) {
			p.problem(rec.Line, "row has %d values for %d columns", len(rec.Fields), len(header))
		}
		u := user{line: rec.Line, endLine: rec.EndLine, text: rec.Text}
		for i, v := range rec.Fields {
			if i >= len(header) {
				break
			}
			name := strings.TrimSpace(header[i])
			values := []string{v}
			if contains(multiValued, strings.ToLower(name)) && !typeName(v) {
				values = strings.Split(v, ";")
			}
			p.set(&u, name, values, rec.Line)
		}
		if err := p.send(&u); err != nil {
			return err
		}
	}
	if err := lines.Err(); err != nil {
		return fmt.Errorf("adexport: read %s: %w", p.path, err)
	}
	if header == nil {
		return fmt.Errorf("adexport: %s: no header row", p.path)
	}
	return nil
}
