package redact

import (
	"strings"
)

// Keys whose value is a user name or a computer name.
var (
	userKeys = []string{
		"user", "username", "userid", "account", "accountname", "samaccountname",
		"targetusername", "subjectusername", "targetuser", "logonuser",
	}
	hostKeys = []string{
		"computer", "computername", "workstation", "workstationname",
		"machinename", "hostname", "host", "dnshostname", "netbiosname",
		"clientname", "sourcehost",
	}
	twoWordKeys = []struct {
		w1, w2 string
		kind   kind
	}{
		{"user", "name", kindUser}, {"account", "name", kindUser}, {"user", "id", kindUser},
		{"logon", "account", kindUser}, {"computer", "name", kindHost},
		{"workstation", "name", kindHost}, {"machine", "name", kindHost},
		{"host", "name", kindHost}, {"client", "name", kindHost},
		{"source", "workstation", kindHost},
	}
	firstWords = []string{
		"user", "account", "logon", "computer", "workstation", "machine", "host",
		"client", "source",
	}
	// keepValues are values of those keys that are not personal.
	keepValues = set(
		"-", "system", "local service", "localservice", "network service",
		"networkservice", "anonymous logon", "anonymous", "n/a", "null", "(null)",
		"none", "unknown", "localhost", "phone", "ip", "dialstring", "true",
		"false", "yes", "no", "administrator", "guest", "defaultaccount",
	)
	// keepProfiles are profile folders that are not a person's.
	keepProfiles = set(
		"public", "default", "default user", "all users", "defaultuser0",
		"defaultapppool", "localservice", "networkservice", "administrator",
	)
	// keepCN are CN values of directory DNs that are containers, not people.
	keepCN = set(
		"users", "computers", "builtin", "system", "configuration", "services",
		"schema", "partitions", "sites", "public key services", "aia", "cdp",
		"enrollment services", "certification authorities", "ntauthcertificates",
		"rtc service", "microsoft", "foreignsecurityprincipals",
		"managed service accounts", "program data", "domain users", "domain admins",
		"domain computers", "administrator", "krbtgt", "global settings", "pools",
		"trusted services", "rtc", "policies", "templates", "lostandfound",
	)
)

// word looks at the word s[a:b] (no dot, starting a run) for a key that
// introduces personal data. It returns where scanning may resume.
func (f *finder) word(a, b int) int {
	s := f.s
	if b-a > 24 {
		return b
	}
	prev := byte(' ')
	if a > 0 {
		prev = s[a-1]
	}
	next := b
	if next < len(s) && (s[next] == '"' || s[next] == '\'') && s[next] == prev {
		next++ // a quoted key: {"user": "bob"}
	}
	for next < len(s) && next-b < 8 && (s[next] == ' ' || s[next] == '\t') {
		next++
	}
	var nc byte
	if next < len(s) {
		nc = s[next]
	}
	w := s[a:b]
	if b < len(s) && (s[b] == '\\' || s[b] == '/') && equalUsers(w) && (a == 0 || strings.IndexByte(" \t\"'!(=:|,;<>", prev) >= 0) && !allUsers(s, a) {
		f.profile(b + 1) // a relative path: Users/jdoe/AppData/...
		return b
	}
	if f.xpProfileRoot(a, b) {
		// C:\Documents and Settings\jdoe\..., where Communicator 2007 R2
		// and Lync 2010 keep their logs on Windows XP, also relative in a zip.
		f.profile(b + 1)
		return b
	}
	if f.homeRoot(a, b) {
		f.home(b + 1) // /home/jdoe/...: the analyst's own Linux home
		return b
	}
	switch {
	case len(w) < 2:
		return b
	case (prev == '\\' || prev == '/') && b < len(s) && (s[b] == '\\' || s[b] == '/'):
		if strings.EqualFold(w, "users") {
			f.profile(b + 1)
		}
		return b
	case nc == '=' && next == b && len(w) == 2:
		if strings.EqualFold(w, "dc") {
			return f.dcRun(a, b)
		}
		if strings.EqualFold(w, "cn") {
			f.cn(b + 1)
		}
		return b
	case (nc == '>' || nc == '=') && (strings.EqualFold(w, "displayname") || strings.EqualFold(w, "federationbrandname")):
		f.displayName(a, b, next)
		return b
	case nc == '=' && next == b && len(w) == 4 && strings.EqualFold(w, "name"):
		f.contactName(a, b)
		return b
	case (nc == '>' || nc == '&') && next == b:
		// <wsse:Username>ivanp</wsse:Username>, <UserName>, <ComputerName>,
		// also entity-escaped: &lt;Username&gt;ivanp&lt;/Username&gt;.
		if k, ok := elementKind(w); ok {
			if nc == '>' && f.openTag(a, "<") {
				f.element(b+1, "<", k)
			} else if nc == '&' && hasPrefixFold(s[b:], "&gt;") && f.openTag(a, "&lt;") {
				f.element(b+4, "&lt;", k)
			}
		}
		return b
	}
	if !keyBoundary(prev) {
		return b
	}
	if nc == ':' || nc == '=' {
		if keyIn(w, userKeys) {
			f.keyed(next, kindUser)
		} else if keyIn(w, hostKeys) {
			f.keyed(next, kindHost)
		}
		return b
	}
	if isLetter(nc) && next > b && keyIn(w, firstWords) {
		e := next
		for e < len(s) && e-next < 12 && isLetter(s[e]) {
			e++
		}
		k := e
		for k < len(s) && k-e < 8 && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k >= len(s) || (s[k] != ':' && s[k] != '=') {
			return b
		}
		w2 := s[next:e]
		for _, tk := range twoWordKeys {
			if strings.EqualFold(w, tk.w1) && strings.EqualFold(w2, tk.w2) {
				f.keyed(k, tk.kind)
				break
			}
		}
	}
	return b
}

func keyIn(w string, keys []string) bool {
	for _, k := range keys {
		if len(k) == len(w) && strings.EqualFold(w, k) {
			return true
		}
	}
	return false
}

// keyBoundary reports whether a key may follow c: a key starts a field,
// not the middle of "opaque=user:epid:..." or "ms-user-logon-data".
func keyBoundary(c byte) bool {
	return strings.IndexByte(" \t\r\n|(,;\"'?&{[<", c) >= 0
}

// keyed adds the value after the ':' or '=' at k when it is a bare user or
// computer name that ends a field.
func (f *finder) keyed(k int, kind kind) {
	s := f.s
	if k+1 < len(s) && (s[k+1] == ':' || s[k+1] == '=') {
		return
	}
	k++
	for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
		k++
	}
	var q byte
	if k < len(s) && (s[k] == '"' || s[k] == '\'') {
		q = s[k]
		k++
	}
	vs := k
	for k < len(s) && k-vs < 128 && (isUserChar(s[k]) && (kind == kindUser || s[k] < 0x80)) {
		k++
	}
	ve := k
	for ve > vs && s[ve-1] == '.' {
		ve--
	}
	if ve == vs {
		return
	}
	v := s[vs:ve]
	if !hasLetter(v) || keepValues[strings.ToLower(v)] {
		return
	}
	if ve < len(s) && (s[ve] == '@' || s[ve] == '\\' || s[ve] == '%') {
		return // an address or DOMAIN\user: their own rules apply
	}
	if kind == kindHost && strings.IndexByte(v, '.') >= 0 {
		return // an FQDN or address: the run scan finds it
	}
	if q != 0 {
		if ve >= len(s) || s[ve] != q {
			return
		}
	} else if !valueEnds(s, ve) {
		return
	}
	f.add(vs, ve, kind, 1)
}

// valueEnds reports whether a value ends a field at k: at the end of the
// line or of a list item, or before another key=value. "to the user: There
// was a problem" is prose, not a field.
func valueEnds(s string, k int) bool {
	if k >= len(s) {
		return true
	}
	switch s[k] {
	case '\r', '\n', ',', ';', '|', ')', ']', '}', '"', '\'', '&', '<', '>', '\t':
		return true
	case ':':
		return k+1 >= len(s) || s[k+1] == ' ' || s[k+1] == '\t' || s[k+1] == '\r' || s[k+1] == '\n'
	case ' ':
		for k < len(s) && s[k] == ' ' {
			k++
		}
		if k >= len(s) {
			return true
		}
		switch s[k] {
		case '\r', '\n', '|', ',', ';', ')', ']', '}', '\t':
			return true
		}
		// Another key: a word directly followed by '=' or ':'.
		e := k
		for e < len(s) && e-k < 64 && isRun(s[e]) {
			e++
		}
		return e > k && e < len(s) && (s[e] == '=' || s[e] == ':')
	}
	return false
}

// cn handles the value of CN= at k when it names an object of a directory
// DN (one with DC= components): CN=Bob Smith,OU=Sales,DC=contoso,DC=local.
func (f *finder) cn(k int) {
	s := f.s
	for k < len(s) && s[k] == ' ' {
		k++
	}
	vs, e := k, k
	for e < len(s) && e-vs < 128 {
		c := s[e]
		if c == '\\' && e+1 < len(s) && s[e+1] != '\n' && s[e+1] != '\r' {
			e += 2
			continue
		}
		if strings.IndexByte(",;\"|<>+/\r\n", c) >= 0 {
			break
		}
		e++
	}
	if e-vs >= 128 {
		return
	}
	ve := e
	for ve > vs && s[ve-1] == ' ' {
		ve--
	}
	v := s[vs:ve]
	if v == "" || strings.ContainsAny(v, "@.") || keepCN[strings.ToLower(v)] || !hasLetter(v) {
		return
	}
	// The DN must go on to DC= components.
	for m := e; m < len(s) && m-e < 2*maxReach; m++ {
		c := s[m]
		if c == '\n' || c == '\r' || c == '"' || c == '|' || c == '>' {
			return
		}
		if c == ',' {
			n := m + 1
			for n < len(s) && s[n] == ' ' {
				n++
			}
			if hasPrefixFold(s[n:], "dc=") {
				f.add(vs, ve, kindPerson, 1)
				return
			}
		}
	}
}

// displayName handles displayName="..." and <displayName>...</displayName>,
// and the organisation's name in <FederationBrandName>.
func (f *finder) displayName(a, b, next int) {
	s := f.s
	if next >= len(s) {
		return
	}
	var vs, ve int
	switch s[next] {
	case '>':
		if a == 0 || (s[a-1] != '<' && s[a-1] != ':') {
			return
		}
		vs = next + 1
		ve = vs
		for ve < len(s) && ve-vs < maxReach && s[ve] != '<' && s[ve] != '\n' && s[ve] != '\r' {
			ve++
		}
		if ve >= len(s) || s[ve] != '<' {
			return
		}
	case '=':
		q := next + 1
		for q < len(s) && s[q] == ' ' {
			q++
		}
		if q >= len(s) || (s[q] != '"' && s[q] != '\'') {
			return
		}
		vs = q + 1
		ve = vs
		for ve < len(s) && ve-vs < maxReach && s[ve] != s[q] && s[ve] != '\n' && s[ve] != '\r' {
			ve++
		}
		if ve >= len(s) || s[ve] != s[q] {
			return
		}
	default:
		return
	}
	for vs < ve && s[vs] == ' ' {
		vs++
	}
	for ve > vs && s[ve-1] == ' ' {
		ve--
	}
	if v := s[vs:ve]; v != "" && hasLetter(v) && strings.IndexByte(v, '@') < 0 {
		f.add(vs, ve, kindPerson, 1)
	}
}

// contactName handles name="..." of a <contact> element of a contact list.
func (f *finder) contactName(a, b int) {
	s := f.s
	if a == 0 || s[a-1] != ' ' || b+1 >= len(s) || (s[b+1] != '"' && s[b+1] != '\'') {
		return
	}
	lt := -1
	for m := a - 1; m >= 0 && a-m < 2*maxReach; m-- {
		if s[m] == '>' || s[m] == '\n' {
			return
		}
		if s[m] == '<' {
			lt = m
			break
		}
	}
	if lt < 0 || !hasPrefixFold(s[lt+1:], "contact ") {
		return
	}
	q := s[b+1]
	vs := b + 2
	ve := vs
	for ve < len(s) && ve-vs < maxReach && s[ve] != q && s[ve] != '\n' && s[ve] != '\r' {
		ve++
	}
	if ve >= len(s) || s[ve] != q {
		return
	}
	if v := s[vs:ve]; strings.TrimSpace(v) != "" && hasLetter(v) && strings.IndexByte(v, '@') < 0 {
		f.add(vs, ve, kindPerson, 1)
	}
}

// allUsers reports whether the "Users" at a is the end of "All Users", the
// profile shared by all users on Windows XP (Documents and Settings\All
// Users\Application Data): what follows is no user's name.
func allUsers(s string, a int) bool { return a >= 4 && hasPrefixFold(s[a-4:a], "all ") }

// equalUsers reports whether w is "Users" in any case.
func equalUsers(w string) bool { return len(w) == 5 && hasPrefixFold(w, "users") }

// elementKind reports whether an XML element named w holds a user name
// (Username, UserName, Account...) or a computer name, and which.
func elementKind(w string) (kind, bool) {
	switch {
	case keyIn(w, userKeys):
		return kindUser, true
	case keyIn(w, hostKeys):
		return kindHost, true
	}
	return 0, false
}

// openTag reports whether the element name at a follows lt ("<" or its
// escape "&lt;") directly or after a namespace prefix (<wsse:Username):
// an opening tag, not a closing one.
func (f *finder) openTag(a int, lt string) bool {
	s := f.s
	k := a
	if k > 0 && s[k-1] == ':' { // a namespace prefix
		k--
		p := k
		for k > 0 && p-k < 32 && (isAlnum(s[k-1]) || s[k-1] == '-' || s[k-1] == '_') {
			k--
		}
		if k == p || !isLetter(s[k]) {
			return false
		}
	}
	return k >= len(lt) && s[k-len(lt):k] == lt
}

// element adds the text of an element that starts at vs and ends at the
// next lt ("<" or "&lt;"), on the same line, when it is a bare name:
// a user or computer name, or for a user element a name in words
// (<UserName>Grace Hopkins</UserName>). Addresses and DOMAIN\user have
// their own rules; FQDNs are found by the run scan.
func (f *finder) element(vs int, lt string, k kind) {
	s := f.s
	ve := vs
	for ve < len(s) && ve-vs < maxReach && s[ve] != '\n' && s[ve] != '\r' && !strings.HasPrefix(s[ve:], lt) {
		ve++
	}
	if ve >= len(s) || !strings.HasPrefix(s[ve:], lt) {
		return
	}
	for vs < ve && (s[vs] == ' ' || s[vs] == '\t') {
		vs++
	}
	for ve > vs && (s[ve-1] == ' ' || s[ve-1] == '\t') {
		ve--
	}
	v := s[vs:ve]
	if v == "" || !hasLetter(v) || keepValues[strings.ToLower(v)] || strings.ContainsAny(v, "@\\%") {
		return
	}
	if l := strings.ToLower(v); k == kindUser && otherPseudonym(l, "user") || k == kindHost && otherPseudonym(l, "host") {
		return // already redacted: <UserName>name1</UserName>
	}
	words := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ':
			words = true
		case !isUserChar(c):
			return
		case k == kindHost && c == '.':
			return
		}
	}
	switch {
	case !words:
		f.add(vs, ve, k, 1)
	case k == kindUser && phraseKey(v) != "":
		f.add(vs, ve, kindPerson, 1)
	}
}
