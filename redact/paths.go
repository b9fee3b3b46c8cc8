package redact

import (
	"strings"
)

// profile handles the folder name after \Users\ at k.
func (f *finder) profile(k int) {
	s := f.s
	if k < len(s) && s[k] == '\\' { // an escaped separator: C:\\Users\\bob
		k++
	}
	e := k
	for e < len(s) && e-k < 64 && strings.IndexByte("\\/|\"<>:*?\r\n\t,;", s[e]) < 0 {
		e++
	}
	ve := e
	if e < len(s) && (s[e] == '\\' || s[e] == '/') {
		for ve > k && s[ve-1] == ' ' {
			ve--
		}
	} else {
		ve = k
		for ve < len(s) && ve-k < 64 && isUserChar(s[ve]) {
			ve++
		}
		if ve < len(s) && isUserChar(s[ve]) {
			return
		}
		for ve > k && s[ve-1] == '.' {
			ve--
		}
	}
	name := s[k:ve]
	if name == "" || !hasLetter(name) || keepProfiles[strings.ToLower(name)] {
		return
	}
	// bob.CONTOSO: a profile created for a second domain account.
	if d := strings.LastIndexByte(name, '.'); d > 0 && d < len(name)-1 {
		if suf := name[d+1:]; netBIOSLike(suf) && strings.ToUpper(suf) == suf {
			f.add(k, k+d, kindUser, 1)
			f.add(k+d+1, ve, kindNetBIOS, 1)
			return
		}
	}
	f.add(k, ve, kindUser, 1)
}

// fileLike reports whether a DOMAIN\user candidate's user part is a file
// name (logs\sfblog.txt).
func fileLike(u string) bool {
	d := strings.LastIndexByte(u, '.')
	if d < 0 {
		return false
	}
	switch strings.ToLower(u[d+1:]) {
	case "exe", "dll", "sys", "log", "txt", "xml", "json", "etl", "evtx", "cab",
		"zip", "ini", "cfg", "config", "dat", "uccapilog", "cer", "crt", "pfx",
		"manifest", "msi", "msp", "ps1", "bat", "cmd", "csv", "htm", "html", "svc",
		"aspx", "asmx", "tmp", "bak", "db", "edb", "pst", "ost":
		return true
	}
	return false
}
