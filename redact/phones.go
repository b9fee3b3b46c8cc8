package redact

import (
	"fmt"
	"strings"
)

// Telephone numbers: tel:+14255550199, sip:+14255550199@contoso.com;user=phone,
// +1 (425) 555-0199, +44 20 7946 0958. A number becomes +1 555 010 NNNN
// written without separators (+15550100001, ...): the NANP area code 555
// is not assigned, so the pseudonym cannot reach anyone. The same digits
// get the same pseudonym whatever the separators.

// Bounds of the digits of a telephone number (E.164 allows 15).
const (
	minPlusDigits = 8 // after '+': shorter runs are UTC offsets and counters
	minTelDigits  = 7 // after "tel:", local numbers
	maxDigits     = 15
)

// phonePrefix starts every phone pseudonym's digits.
const phonePrefix = "1555010"

// phone adds the telephone number that starts at i ('+' or the first
// digit after "tel:"), its digits starting at k, and returns where the
// scan goes on. The number is the longest run of digit groups that ends
// where a number may end; text that is no number is left to the other
// rules.
func (f *finder) phone(i, k int) int {
	s := f.s
	least, first := minTelDigits, i
	if s[i] == '+' {
		least, first = minPlusDigits, i+1
	}
	// ends[n] is the end of the n-th digit group, digits[n] the digits up
	// to it.
	var ends, digits []int
	count, prevSep, open := 0, byte(0), false
scan:
	for ; k < len(s) && k-i < 40; k++ {
		c := s[k]
		if isDigit(c) {
			count++
			if prevSep != 0 || len(ends) == 0 || ends[len(ends)-1] != k {
				ends, digits = append(ends, k+1), append(digits, count)
			} else {
				ends[len(ends)-1], digits[len(digits)-1] = k+1, count
			}
			prevSep = 0
			continue
		}
		// One separator between digit groups; ") " and " (" too;
		// parentheses balanced.
		switch {
		case strings.IndexByte(" -.()", c) < 0,
			prevSep != 0 && !(prevSep == ')' && c == ' ') && !(prevSep == ' ' && c == '('),
			c == '(' && open, c == ')' && !open:
			break scan
		case c == '(':
			open = true
		case c == ')':
			open = false
		}
		prevSep = c
	}
	for n := len(ends) - 1; n >= 0; n-- {
		end := ends[n]
		if digits[n] < least || digits[n] > maxDigits || !phoneEnds(s, end) {
			continue
		}
		if t := s[first:end]; strings.Count(t, ".") >= 3 && hasIPv4Token(t) {
			break
		}
		f.add(i, end, kindPhone, 0)
		return end
	}
	return i + 1 // the other rules look at it
}

// phoneEnds reports whether a telephone number may end at k: not inside
// a word, a version number or an address.
func phoneEnds(s string, k int) bool {
	if k >= len(s) {
		return true
	}
	switch c := s[k]; {
	case isLetter(c), c == '_', c == ':', c == '%' || c == '$':
		return false
	case c == '.' || c == '-' || c == '/':
		return k+1 >= len(s) || !isAlnum(s[k+1])
	}
	return true
}

// phone returns the pseudonym of the telephone number t.
func (r *Redactor) phone(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if isDigit(t[i]) {
			b.WriteByte(t[i])
		}
	}
	d := b.String()
	plus := ""
	if strings.HasPrefix(t, "+") {
		plus = "+"
	}
	if len(d) == len(phonePrefix)+4 && strings.HasPrefix(d, phonePrefix) {
		if n, ok := pseudoNum("n"+strings.TrimLeft(d[len(phonePrefix):], "0"), "n"); ok {
			r.phones.reserve(n)
		}
		return t
	}
	if plus == "" && len(d) == 10 {
		d = "1" + d // (425) 555-0143 is +1 425 555 0143: one pseudonym for both
	}
	return fmt.Sprintf("%s%s%04d", plus, phonePrefix, r.phones.number(d))
}

// Numbers without '+': the North American shapes (425) 555-0143,
// 425-555-0143 and 425.555.0143 (optionally after 1 and a separator), and
// a bare 10-digit number (or 1 and 10 digits) where the text says it is a
// phone number. A bare run of digits is ambiguous (record ids, byte
// counts, durations, Unix times), so it is taken only after a phone word
// (call to 4255550143, Phone: 4255550143) or inside a file or folder name
// (notes for 4255550143.txt), where such runs rarely count anything. All
// of them must be valid NANP numbers: area code and exchange start with
// 2-9, which leaves out Unix times (1...), 0x... and most counters.

// phoneWords say that a number after them is a telephone number.
var phoneWords = set(
	"tel", "phone", "phones", "telephone", "phonenumber", "telephonenumber",
	"mobile", "mobilephone", "cell", "cellphone", "fax", "call", "calling",
	"called", "caller", "callee", "dial", "dialed", "dialled", "dialing",
	"dialling", "lineuri", "voicemail",
)

// phoneConnectors may stand between a phone word and its number:
// "call to 4255550143", "phone number: 4255550143".
var phoneConnectors = set("to", "from", "at", "number", "no", "nr", "num", "is", "of", "on", "via")

// nanp reports whether the ten digits d (separators skipped) are a
// valid North American number: area code and exchange start with 2-9.
func nanp(d string) bool {
	return len(d) == 10 && d[0] >= '2' && d[0] <= '9' && d[3] >= '2' && d[3] <= '9'
}

// digitsOf returns the digits of t.
func digitsOf(t string) string {
	var buf [32]byte
	n := 0
	for i := 0; i < len(t) && n < len(buf); i++ {
		if isDigit(t[i]) {
			buf[n] = t[i]
			n++
		}
	}
	return string(buf[:n])
}

// dashedPhone reports whether the run s[a:b] is NNN-NNN-NNNN or
// NNN.NNN.NNNN, optionally after "1-" or "1.", with one separator
// throughout.
func dashedPhone(t string) bool {
	if len(t) == 14 && t[0] == '1' && (t[1] == '-' || t[1] == '.') {
		t = t[2:]
	}
	if len(t) != 12 {
		return false
	}
	sep := t[3]
	if (sep != '-' && sep != '.') || t[7] != sep {
		return false
	}
	for i := 0; i < len(t); i++ {
		if i != 3 && i != 7 && !isDigit(t[i]) {
			return false
		}
	}
	return nanp(t[:3] + t[4:7] + t[8:])
}

// barePhone adds the run of digits s[a:b] when it is a NANP number (ten
// digits, or 1 and ten) in a phone context or a file name.
func (f *finder) barePhone(a, b int) bool {
	s := f.s
	d := s[a:b]
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	for i := 0; i < len(d); i++ {
		if !isDigit(d[i]) {
			return false
		}
	}
	if !nanp(d) || (a > 0 && (s[a-1] == '.' || s[a-1] == '-')) {
		return false
	}
	if !phoneContext(s, a) && !inFileName(s, a, b) {
		return false
	}
	f.add(a, b, kindPhone, 0)
	return true
}

// phoneContext reports whether a phone word comes before the number at
// a, possibly with connector words in between.
func phoneContext(s string, a int) bool {
	k := a
	for words := 0; words < 3; words++ {
		for n := 0; k > 0 && n < 8 && strings.IndexByte(" \t:=#(", s[k-1]) >= 0; n++ {
			k--
		}
		e := k
		for k > 0 && e-k < 16 && isLetter(s[k-1]) {
			k--
		}
		if k == e || (k > 0 && (isAlnum(s[k-1]) || s[k-1] == '_')) {
			return false
		}
		var buf [16]byte
		w := buf[:e-k]
		for i := range w {
			w[i] = s[k+i] | 0x20
		}
		switch {
		case phoneWords[string(w)]:
			return true
		case !phoneConnectors[string(w)]:
			return false
		}
	}
	return false
}

// inFileName reports whether the number at s[a:b] is inside the name of
// a file or folder: after a separator with a letter between them
// (.../notes for 4255550143 ...), and before the end of a file name with
// an extension (... alice.txt) or another separator (a folder), with
// nothing on either side that ends a path component. A date
// "02/06/2018 4255550143" has no letter before it; "TCP/IP reset after
// 2147483648 bytes" no extension after it; a log line's "a/b|...", a
// query's "?id=", a header's ": " break the component.
func inFileName(s string, a, b int) bool {
	letter := false
	k := a - 1
	for ; k >= 0 && a-k < 128; k-- {
		c := s[k]
		if c == '/' || c == '\\' {
			break
		}
		if isLetter(c) {
			letter = true
		} else if strings.IndexByte(pathStops, c) >= 0 {
			return false
		}
	}
	if k < 0 || a-k >= 128 || !letter {
		return false
	}
	e := b
	for ; e < len(s) && e-b < 128; e++ {
		c := s[e]
		if c == '/' || c == '\\' {
			return true // a folder
		}
		if strings.IndexByte(pathStops, c) >= 0 {
			break
		}
	}
	// The name must end in an extension: .bin, .txt, .uccapilog.
	d := strings.LastIndexByte(s[b:e], '.')
	if d < 0 {
		return false
	}
	ext := s[b+d+1 : e]
	if len(ext) == 0 || len(ext) > 10 || !hasLetter(ext) {
		return false
	}
	for i := 0; i < len(ext); i++ {
		if !isAlnum(ext[i]) {
			return false
		}
	}
	return true
}

// pathStops end a component of a path: characters Windows does not allow
// in a file name, and the separators of log fields.
const pathStops = "|<>\"?*=;,:\t\r\n"

// parenPhone adds (NNN) NNN-NNNN starting at the '(' at i, or 1 (NNN)
// NNN-NNNN when "1 " or "1-" comes before it, and returns where the scan
// goes on.
func (f *finder) parenPhone(i int) int {
	s := f.s
	k := i + 1
	digits := func(n int) bool {
		for m := 0; m < n; m++ {
			if k >= len(s) || !isDigit(s[k]) {
				return false
			}
			k++
		}
		return true
	}
	if !digits(3) || k >= len(s) || s[k] != ')' {
		return i + 1
	}
	k++
	if k < len(s) && (s[k] == ' ' || s[k] == '-') {
		k++
	}
	if !digits(3) {
		return i + 1
	}
	if k < len(s) && (s[k] == '-' || s[k] == '.' || s[k] == ' ') {
		k++
	}
	if !digits(4) || (k < len(s) && (isAlnum(s[k]) || s[k] == '_')) ||
		(k+1 < len(s) && (s[k] == '.' || s[k] == '-') && isDigit(s[k+1])) {
		return i + 1
	}
	if !nanp(digitsOf(s[i:k])) {
		return i + 1
	}
	start := i
	if i >= 2 && s[i-2] == '1' && (s[i-1] == ' ' || s[i-1] == '-') && (i == 2 || !isAlnum(s[i-3])) {
		start = i - 2
	} else if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '_') {
		return i + 1 // f(425) 555-0143 is a call, not a number
	}
	f.add(start, k, kindPhone, 0)
	return k
}

// isPhonePseudonym reports whether t is a phone pseudonym, with or
// without its '+': a display name that was a number keeps it.
func isPhonePseudonym(t string) bool {
	t = strings.TrimPrefix(t, "+")
	return len(t) == len(phonePrefix)+4 && strings.HasPrefix(t, phonePrefix) && digitsOf(t) == t
}

// hasIPv4Token reports whether t has an IPv4 address (plain or
// zero-padded) between its spaces, parentheses and dashes: digits after
// '+' that run into an address are no phone number, and whether they
// were taken must not depend on how the address is written (a padded
// 010.020.030.041 has more digits than its pseudonym).
func hasIPv4Token(t string) bool {
	for t != "" {
		e := strings.IndexAny(t, " ()-")
		tok := t
		if e >= 0 {
			tok, t = t[:e], t[e+1:]
		} else {
			t = ""
		}
		if strings.Count(tok, ".") == 3 && (isIPv4(tok) || isPaddedIPv4(tok)) {
			return true
		}
	}
	return false
}
