package redact

import (
	"strings"
)

// Display names learned from the events of the bundle (the display name of
// a SIP From or To, the CN of a directory user), replaced in prose:
// "Grace Hopkins is offline". Names are never guessed from capitals: only
// a phrase learned elsewhere in the bundle is replaced.

// Bounds of a learned display name: words, bytes, and bytes of one word.
const (
	maxPhraseWords = 5
	maxPhraseLen   = 128
	maxPhraseWord  = 64
)

// isNameByte reports whether c can be part of a word of a display name:
// letters, digits, apostrophes, hyphens and the bytes of non-ASCII
// letters (Jürgen, O'Brien, Smith-Jones).
func isNameByte(c byte) bool { return isAlnum(c) || c >= 0x80 || c == '\'' || c == '-' }

// isWordByte reports whether c can start or end a word of a display name.
func isWordByte(c byte) bool { return isAlnum(c) || c >= 0x80 }

// phraseKey returns the key of the display name v (its words in lower
// case, joined by one space), or "" when v is not a name to replace in
// prose: fewer than two words (a single first name or a room would
// replace ordinary words), other characters than words, spaces, commas
// and dots, a container name, or a pseudonym.
func phraseKey(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > maxPhraseLen {
		return ""
	}
	var b strings.Builder
	words := 0
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case isNameByte(c):
			j := i
			for j < len(v) && isNameByte(v[j]) {
				j++
			}
			w := v[i:j]
			if len(w) > maxPhraseWord || !hasLetter(w) || strings.Trim(w, "'-") != w {
				return ""
			}
			if words > 0 {
				b.WriteByte(' ')
			}
			for k := 0; k < len(w); k++ {
				if c := w[k]; c >= 'A' && c <= 'Z' {
					b.WriteByte(c + 'a' - 'A')
				} else {
					b.WriteByte(c)
				}
			}
			words++
			i = j
		case c == ' ' || c == '\t' || c == ',' || c == '.':
			i++
		default:
			return ""
		}
	}
	key := b.String()
	if words < 2 || words > maxPhraseWords || keepCN[key] {
		return ""
	}
	for _, w := range strings.Split(key, " ") {
		if !commonNames[w] {
			return key
		}
	}
	return "" // "Help Desk", "Conference Room": words of any text, not a person
}

// phrase learns the display name v.
func (l *learning) phrase(v string) {
	if k := phraseKey(v); k != "" {
		l.phrases = append(l.phrases, k)
	}
}

// sipDisplayName returns the display name of a SIP From or To value:
// "Grace Hopkins" <sip:grace@contoso.com>;tag=... or Grace Hopkins <sip:...>.
func sipDisplayName(v string) string {
	lt := strings.IndexByte(v, '<')
	if lt <= 0 {
		return ""
	}
	rest := v[lt+1:]
	if !hasPrefixFold(rest, "sip:") && !hasPrefixFold(rest, "sips:") && !hasPrefixFold(rest, "tel:") {
		return ""
	}
	d := strings.TrimSpace(v[:lt])
	if len(d) >= 2 && d[0] == '"' && d[len(d)-1] == '"' {
		d = d[1 : len(d)-1]
	}
	if strings.ContainsAny(d, `"@<>`) {
		return ""
	}
	return d
}

// firstCN returns the value of the first component of a directory DN
// when it is a CN (CN=Hopkins\, Grace,OU=Users,DC=contoso,DC=com gives
// "Hopkins, Grace"), or "".
func firstCN(dn string) string {
	if !hasPrefixFold(dn, "cn=") {
		return ""
	}
	var b strings.Builder
	for i := 3; i < len(dn) && i < 3+maxPhraseLen; i++ {
		c := dn[i]
		if c == '\\' && i+1 < len(dn) {
			i++
			b.WriteByte(dn[i])
			continue
		}
		if c == ',' || c == '+' || c == ';' {
			break
		}
		b.WriteByte(c)
	}
	return b.String()
}

// findPhrases adds the learned display names in s: at each word start, up
// to maxPhraseWords words are read and each prefix of two words or more is
// looked up, so the scan stays linear whatever the number of names. Words
// are separated by one or two spaces or tabs, after an optional comma or
// dot (Hopkins, Grace); case is ignored.
func (f *finder) findPhrases() {
	s := f.s
	var buf [maxPhraseLen + maxPhraseWords]byte
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) || (i > 0 && isWordByte(s[i-1])) {
			continue // not a word start ('Grace Hopkins' starts at G)
		}
		n, words, end := 0, 0, -1
		k := i
		for words < maxPhraseWords {
			j := k
			for j < len(s) && j-k <= maxPhraseWord && isNameByte(s[j]) {
				j++
			}
			if j-k > maxPhraseWord {
				break
			}
			for j > k && !isWordByte(s[j-1]) {
				j-- // a closing quote: 'Grace Hopkins'
			}
			if j == k || n+(j-k)+1 > len(buf) {
				break
			}
			if words > 0 {
				buf[n] = ' '
				n++
			}
			for m := k; m < j; m++ {
				c := s[m]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[n] = c
				n++
			}
			words++
			if words >= 2 && f.phrases[string(buf[:n])] {
				end = j
			}
			// The separator before the next word.
			k = j
			if k < len(s) && (s[k] == ',' || s[k] == '.') {
				k++
			}
			sp := k
			for k < len(s) && k-sp < 2 && (s[k] == ' ' || s[k] == '\t') {
				k++
			}
			if k == sp {
				break
			}
		}
		if end > 0 {
			f.add(i, end, kindPerson, 1)
		}
	}
}

// slashAccount handles DOMAIN/user, an account written with a forward
// slash (logon CONTOSO/kated), when the word s[a:b] before the slash is a
// NetBIOS domain learned from the events and written in capitals. A
// slash mostly separates path and URL segments, so an unknown word
// before it is left alone, and so is a path that goes on after the user.
// It returns where the scan goes on, or b.
func (f *finder) slashAccount(a, b int) int {
	s := f.s
	d := s[a:b]
	if !netBIOSLike(d) || strings.ToUpper(d) != d || !f.nbNames[strings.ToLower(d)] {
		return b
	}
	if a > 0 && strings.IndexByte(" \t\"'(=,;|<>[", s[a-1]) < 0 {
		return b // a URL or path segment: /CONTOSO/kated, host:CONTOSO/...
	}
	us := b + 1
	ue := us
	for ue < len(s) && ue-us < 64 && isUserChar(s[ue]) {
		ue++
	}
	if ue < len(s) && (isUserChar(s[ue]) || strings.IndexByte(`/\@`, s[ue]) >= 0) {
		return b // a name too long, a path that goes on, an address
	}
	for ue > us && (s[ue-1] == '.' || s[ue-1] == '-') {
		ue--
	}
	if ue == us || !hasLetter(s[us:ue]) || fileLike(s[us:ue]) {
		return b
	}
	f.add(a, b, kindNetBIOS, 1)
	f.add(us, ue, kindUser, 1)
	return ue
}
