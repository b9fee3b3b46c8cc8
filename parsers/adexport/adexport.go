// Package adexport parses exports of Active Directory user objects: LDIF
// from ldifde, CSV from csvde, CSV from Get-ADUser | Export-Csv (Windows
// PowerShell 5.1 with its #TYPE line, PowerShell 7 without), and the
// Get-ADUser | Format-List listing. Each user object becomes one event of
// Kind "directory" and Source "directory" with the fields ad.dn, ad.upn,
// ad.sam, ad.mail, ad.sip_enabled, ad.sip_address and ad.proxy_addresses
// (see package event), and ad.tool naming the form.
//
// A field is set only when the export holds the attribute with a value:
// an attribute that was not exported, or is not set on the object, is
// absent, never guessed. A multi-valued property that Export-Csv or
// Format-List wrote as a .NET type name
// ("Microsoft.ActiveDirectory.Management.ADPropertyValueCollection")
// instead of its values is reported as a problem and left out.
package adexport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
)

// Forms of a directory export, as returned by Format; they are also the
// values of the ad.tool field.
const (
	FormLDIF       = "ldifde"      // ldifde -f users.ldf
	FormCSVDE      = "csvde"       // csvde -f users.csv
	FormExportCSV  = "export-csv"  // Get-ADUser ... | Export-Csv users.csv
	FormFormatList = "format-list" // Get-ADUser ... | Format-List
)

// HeadSize is how many leading bytes Format and Parse look at.
const HeadSize = 8192

const (
	// maxTextLen bounds Event.Text, the object as written.
	maxTextLen = 16 << 10
	// ctxEvery is how often (in objects) the context is checked.
	ctxEvery = 1024
)

// The attributes a CSV header must name, besides the distinguished name,
// to be taken for a user export (compared without regard to case).
var userAttributes = []string{
	"msRTCSIP-UserEnabled",
	"msRTCSIP-PrimaryUserAddress",
	"userPrincipalName",
	"proxyAddresses",
}

// Format returns the form of the export that starts with head (already
// decoded to UTF-8), or "" when head is not a directory export: LDIF needs
// a "dn:" entry first; CSV a header naming a distinguished-name column and
// one of the user attributes; Format-List a DistinguishedName line and a
// line of one of those attributes.
func Format(head []byte) string {
	lines := splitLines(head)
	switch {
	case isLDIF(lines):
		return FormLDIF
	case isFormatList(lines):
		return FormFormatList
	}
	return csvForm(lines)
}

// Detect reports whether head is a directory export in one of the forms
// of Format.
func Detect(head []byte) bool { return Format(head) != "" }

// Parse reads a directory export (UTF-8, CRLF or LF line ends) and emits
// one KindDirectory event per user object, with Line and EndLine set.
// Damaged entries are reported as problems and skipped; err is for input
// that is not a directory export, read errors, an emit error and a
// cancelled context.
func Parse(ctx context.Context, path string, r io.Reader, emit event.Sink) (problems []event.Problem, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, perr := br.Peek(HeadSize)
	if perr != nil && !errors.Is(perr, io.EOF) && !errors.Is(perr, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("adexport: read %s: %w", path, perr)
	}
	p := &parser{ctx: ctx, path: path, emit: emit, form: Format(head), reported: map[string]bool{}}
	defer func() {
		// Bad input must never take the whole run down.
		if v := recover(); v != nil {
			err = fmt.Errorf("adexport: %s: internal error: %v", path, v)
			problems = p.problems.List()
		}
	}()
	switch p.form {
	case FormLDIF:
		err = p.ldif(br)
	case FormCSVDE, FormExportCSV:
		err = p.csv(br)
	case FormFormatList:
		err = p.list(br)
	default:
		return nil, fmt.Errorf("adexport: %s: not a directory export", path)
	}
	return p.problems.List(), err
}

// parser holds what every form's parser shares.
type parser struct {
	ctx      context.Context
	path     string
	emit     event.Sink
	form     string
	problems event.Problems
	reported map[string]bool // attributes already reported as not exported
	n        int
}

func (p *parser) problem(line int, format string, args ...any) {
	p.problems.Addf(line, format, args...)
}

// user is what an export says about one object.
type user struct {
	line, endLine int
	text          string
	dn            string
	upn, sam      string
	mail          string
	sipEnabled    string
	sipAddress    string
	proxies       []string
	objectClass   []string
	secrets       []event.Field // attributes whose names say secret, as written
	valuesCut     bool          // values past maxValues were left out
}

// addSecret keeps the value of an attribute whose name says secret
// (userPassword, unicodePwd, a Password column) as written in the
// object's text, so that it is masked there (ad.attr.NAME).
func (u *user) addSecret(name, value string) {
	if value = strings.TrimSpace(value); value == "" {
		return
	}
	for i, f := range u.secrets {
		if f.Name == name {
			// Values past the object's text limit are not in its text.
			if len(f.Value) <= maxTextLen {
				u.secrets[i].Value += "\n" + value
			}
			return
		}
	}
	u.secrets = append(u.secrets, event.Field{Name: name, Value: value})
}

// set records one attribute value of u by its LDAP or PowerShell name.
// A value that is a .NET type name is reported once per attribute and
// dropped.
//
// The values of an attribute whose name says secret are kept apart
// (addSecret).
func (p *parser) set(u *user, name string, values []string, line int) {
	if mask.SecretName(name) {
		for _, v := range values {
			u.addSecret(name, v)
		}
		return
	}
	key := strings.ToLower(name)
	switch key {
	case "dn", "distinguishedname", "userprincipalname", "samaccountname", "mail", "emailaddress",
		"msrtcsip-userenabled", "msrtcsip-primaryuseraddress", "proxyaddresses", "objectclass":
	default:
		return
	}
	var kept []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if typeName(v) {
			if !p.reported[key] {
				p.reported[key] = true
				p.problem(line, "%s holds the .NET type name %q, not its values: the export did not include them (expand the property, for example -join ';', before Export-Csv)", name, v)
			}
			continue
		}
		kept = append(kept, v)
	}
	if len(kept) == 0 {
		return
	}
	switch key {
	case "dn", "distinguishedname":
		u.dn = kept[0]
	case "userprincipalname":
		u.upn = kept[0]
	case "samaccountname":
		u.sam = kept[0]
	case "mail", "emailaddress":
		if u.mail == "" {
			u.mail = kept[0]
		}
	case "msrtcsip-userenabled":
		switch b := strings.ToLower(kept[0]); b {
		case "true", "false":
			u.sipEnabled = b
		default:
			p.problem(line, "msRTCSIP-UserEnabled is %q, not TRUE or FALSE", kept[0])
		}
	case "msrtcsip-primaryuseraddress":
		u.sipAddress = kept[0]
	case "proxyaddresses":
		u.proxies = p.appendValues(u, u.proxies, kept, name, line)
	case "objectclass":
		u.objectClass = p.appendValues(u, u.objectClass, kept, name, line)
	}
}

// maxValues bounds the values kept of one attribute of one object: a
// record that never ends (no blank line after it) must not keep every
// line of the file.
const maxValues = 1000

// appendValues appends the values of the attribute name of u, at line, to
// list, up to maxValues; the first values left out of an object are
// reported.
func (p *parser) appendValues(u *user, list, values []string, name string, line int) []string {
	room := maxValues - len(list)
	if len(values) <= room {
		return append(list, values...)
	}
	if !u.valuesCut {
		u.valuesCut = true
		p.problem(line, "more than %d values of %s: the rest are not read", maxValues, name)
	}
	return append(list, values[:room]...)
}

// typeName reports whether v is how PowerShell writes an object it could
// not turn into text: a .NET type name such as
// Microsoft.ActiveDirectory.Management.ADPropertyValueCollection,
// System.Object[] or System.Collections.Generic.HashSet`1[System.String].
func typeName(v string) bool {
	return strings.HasPrefix(v, "Microsoft.ActiveDirectory.Management.") ||
		strings.HasPrefix(v, "System.Collections.") ||
		v == "System.Object[]" || v == "System.String[]"
}

// isUser reports whether u is a user object: an export that names the
// object classes must include user (or inetOrgPerson) and not computer,
// which derives from user.
func (u *user) isUser() bool {
	if len(u.objectClass) == 0 {
		return true
	}
	var isUser bool
	for _, c := range u.objectClass {
		switch strings.ToLower(c) {
		case "computer":
			return false
		case "user", "inetorgperson":
			isUser = true
		}
	}
	return isUser
}

// send emits u as an event, unless it is not a user object.
func (p *parser) send(u *user) error {
	if u.dn == "" {
		p.problem(u.line, "object without a distinguished name, skipped")
		return nil
	}
	if !strings.Contains(u.dn, "=") {
		// Not CN=...,DC=...: a stray line of a damaged or flooded file,
		// not an object (a file of short lines made one "user" a line).
		p.problem(u.line, "%q is not a distinguished name, object skipped", truncate(u.dn, 64))
		return nil
	}
	if !u.isUser() {
		return nil
	}
	p.n++
	if p.n%ctxEvery == 0 {
		if err := p.ctx.Err(); err != nil {
			return fmt.Errorf("adexport: %s: %w", p.path, err)
		}
	}
	ev := event.Event{
		Source:  event.SourceDirectory,
		Kind:    event.KindDirectory,
		Path:    p.path,
		Line:    u.line,
		EndLine: u.endLine,
		Text:    truncate(u.text, maxTextLen),
	}
	if ev.EndLine <= ev.Line {
		ev.EndLine = 0
	}
	ev.Set("ad.tool", p.form)
	ev.Set("ad.dn", u.dn)
	put := func(name, v string) {
		if v != "" {
			ev.Set(name, v)
		}
	}
	put("ad.upn", u.upn)
	put("ad.sam", u.sam)
	put("ad.mail", u.mail)
	put("ad.sip_enabled", u.sipEnabled)
	put("ad.sip_address", u.sipAddress)
	put("ad.proxy_addresses", strings.Join(u.proxies, "\n"))
	for _, f := range u.secrets {
		put("ad.attr."+f.Name, f.Value)
	}
	if err := p.emit(ev); err != nil {
		return fmt.Errorf("adexport: %s: emit: %w", p.path, err)
	}
	return nil
}

// splitLines splits head into lines without their line ends, dropping a
// leading BOM.
func splitLines(head []byte) []string {
	s := strings.TrimPrefix(string(head), "\uFEFF")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
