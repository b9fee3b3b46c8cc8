package redact

import (
	"strings"

	"github.com/sfblog/sfblog/event"
)

// Fields that name the computer or the account an event is about. A
// name learned from them is replaced wherever it appears as a whole word,
// also where no rule would recognise it (a bare "WKS0042" in a log line).
var (
	computerFields = []string{
		"evt.computer", "net.host", "evt.data.WorkstationName", "evt.data.Workstation",
		"evt.data.ComputerName", "evt.data.MachineName",
	}
	accountFields = []string{
		"evt.data.TargetUserName", "evt.data.SubjectUserName", "evt.data.UserName",
		"evt.data.AccountName", "ad.sam",
	}
)

// maxLearned bounds the length of a learned name.
const maxLearned = 63

// Learn records the single-label computer and account names that e names
// (evt.computer, ipconfig's net.host, the account of a logon event, a
// directory user's sAMAccountName, the profile folder of e's path), so
// that Redact replaces them wherever they appear. Call Learn for every
// event before the first Redact: what is learned is a set, so the order
// of the calls, and concurrent calls, do not change the result.
func (r *Redactor) Learn(e *event.Event) {
	if r == nil || e == nil {
		return
	}
	var names []string
	var kinds []kind
	for _, k := range computerFields {
		v := e.Get(k)
		if d := strings.IndexByte(v, '.'); d >= 0 {
			v = v[:d] // WKS-0042.contoso.local
		}
		if learnable(v) {
			names, kinds = append(names, v), append(kinds, kindHost)
		}
	}
	for _, k := range accountFields {
		v := e.Get(k)
		if strings.HasSuffix(v, "$") { // a machine account: WKS-0042$
			if v = v[:len(v)-1]; learnable(v) {
				names, kinds = append(names, v), append(kinds, kindHost)
			}
			continue
		}
		if learnable(v) {
			names, kinds = append(names, v), append(kinds, kindUser)
		}
	}
	if u := profileName(e.Path); learnable(u) {
		names, kinds = append(names, u), append(kinds, kindUser)
	}
	if len(names) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = make(map[string]kind)
	}
	for i, n := range names {
		key := strings.ToLower(n)
		if old, ok := r.known[key]; ok && old == kindHost {
			continue // a computer name wins over an account of that name
		}
		r.known[key] = kinds[i]
	}
}

// learnable reports whether v can be learned: a single word of name
// characters with a letter, not a built-in account or a value that says
// nothing ("-", "SYSTEM", "DWM-1"), not already a pseudonym.
func learnable(v string) bool {
	if len(v) < 3 || len(v) > maxLearned || !hasLetter(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !isAlnum(c) && c != '-' && c != '_' && c < 0x80 {
			return false
		}
	}
	l := strings.ToLower(v)
	if keepValues[l] || keepProfiles[l] || l == "localhost" {
		return false
	}
	for _, p := range [...]string{"dwm-", "umfd-"} { // Window Manager and font driver accounts
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	for _, p := range [...]string{"user", "host", "name", "domain"} {
		if _, ok := pseudoNum(l, p); ok {
			return false
		}
	}
	return true
}

// profileName returns the user profile folder named in path
// (C:\Users\jdoe\..., bundle.zip!/Users/jdoe/..., C:\Documents and
// Settings\jdoe\..., /home/jdoe/...), or "".
func profileName(path string) string {
	for i := 0; i+6 < len(path); i++ {
		var k int
		switch {
		case i > 0 && path[i-1] != '/' && path[i-1] != '\\':
			continue
		case hasPrefixFold(path[i:], "users"):
			k = i + len("users")
		case hasPrefixFold(path[i:], "documents and settings"):
			k = i + len("documents and settings")
		case i > 0 && path[i-1] == '/' && strings.HasPrefix(path[i:], "home/") && (i == 1 || !isRun(path[i-2])):
			k = i + len("home")
		default:
			continue
		}
		if k >= len(path) || (path[k] != '/' && path[k] != '\\') {
			continue
		}
		rest := path[k+1:]
		if e := strings.IndexAny(rest, `/\`); e > 0 {
			return rest[:e]
		}
	}
	return ""
}

// learned reports whether the word s[a:b] is a learned name, and its kind.
func (f *finder) learned(a, b int) (kind, bool) {
	if len(f.known) == 0 || b-a > maxLearned {
		return 0, false
	}
	var buf [maxLearned]byte
	n := copy(buf[:], f.s[a:b])
	for i := range n {
		if c := buf[i]; c >= 'A' && c <= 'Z' {
			buf[i] = c + 'a' - 'A'
		}
	}
	k, ok := f.known[string(buf[:n])]
	return k, ok
}
