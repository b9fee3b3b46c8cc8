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
		if t := s[first:end]; strings.Count(t, ".") == 3 && isIPv4(t) {
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
	return fmt.Sprintf("%s%s%04d", plus, phonePrefix, r.phones.number(d))
}
