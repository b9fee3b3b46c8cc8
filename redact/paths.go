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

// xpProfileRoot reports whether the word s[a:b] is the "Settings" of a
// "Documents and Settings" folder followed by a separator: the profile
// root of Windows XP and 2003 (C:\Documents and Settings\jdoe\...), also
// relative (a zip entry Documents and Settings/jdoe/Tracing/...). The old
// code looked for it only after a separator, but "Settings" follows a
// space.
func (f *finder) xpProfileRoot(a, b int) bool {
	s := f.s
	const docs = "documents and "
	if b-a != len("settings") || b >= len(s) || (s[b] != '\\' && s[b] != '/') || a < len(docs) {
		return false
	}
	if !hasPrefixFold(s[a:b], "settings") || !hasPrefixFold(s[a-len(docs):a], docs) {
		return false
	}
	d := a - len(docs) // where "Documents" starts
	return d == 0 || strings.IndexByte("\\/ \t\"'!(=:|,;<>", s[d-1]) >= 0
}

// homeRoot reports whether the word s[a:b] is the "home" of an absolute
// Linux path /home/NAME/: the analyst's own home folder shows up in the
// input paths of a report (sfblog analyze /home/jdoe/bundle.zip). Only
// at the root of a path: a URL's /site/home/index is not a home folder.
func (f *finder) homeRoot(a, b int) bool {
	s := f.s
	if b-a != 4 || s[a:b] != "home" || a == 0 || s[a-1] != '/' || b >= len(s) || s[b] != '/' {
		return false
	}
	r := a - 1 // the root slash
	switch {
	case r == 0:
		return true
	case s[r-1] == '/': // file:///home/...
		return r >= 7 && hasPrefixFold(s[r-7:r], "file://")
	}
	return strings.IndexByte(" \t\"'!(=:|,;<>[", s[r-1]) >= 0
}

// home handles the user name after /home/ at k: a Linux user name
// followed by another separator (a folder, not a file).
func (f *finder) home(k int) {
	s := f.s
	e := k
	for e < len(s) && e-k < 64 && isUserChar(s[e]) {
		e++
	}
	if e == k || e >= len(s) || s[e] != '/' {
		return
	}
	name := s[k:e]
	if !hasLetter(name) || keepProfiles[strings.ToLower(name)] {
		return
	}
	f.add(k, e, kindUser, 1)
}
