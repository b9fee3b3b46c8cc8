// Package localtime reads dates and times as Windows tools print them in
// the short formats of the user's locale (w32tm, certutil), when the
// reading is unambiguous.
package localtime

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dateTimeRe matches a date and an optional time as Windows prints them in
// the short formats of common locales: 6/15/2017 9:01:02 AM (en-US),
// 15/06/2017 09:01:02 (en-GB, fr-FR), 15.06.2017 09:01 (de-DE),
// 2017-06-15 9:01 (sv-SE, zh-CN), 2017/06/15 (ja-JP), 15-Jun-17 09:01:02.
// It is compiled on first use, not when the program starts.
var dateTimeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{1,4})([./-])(\d{1,2}|[A-Za-z]{3,9})([./-])(\d{2,4})\.?` +
		`(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([AaPp])\.?\s?[Mm]\.?)?)?$`)
})

// month returns the month whose English abbreviation is abbr (lower case).
func month(abbr string) (time.Month, bool) {
	switch abbr {
	case "jan":
		return time.January, true
	case "feb":
		return time.February, true
	case "mar":
		return time.March, true
	case "apr":
		return time.April, true
	case "may":
		return time.May, true
	case "jun":
		return time.June, true
	case "jul":
		return time.July, true
	case "aug":
		return time.August, true
	case "sep":
		return time.September, true
	case "oct":
		return time.October, true
	case "nov":
		return time.November, true
	case "dec":
		return time.December, true
	}
	return 0, false
}

// Parse reads a date and time written in the user's locale
// and returns it as a wall-clock time (in time.UTC, which here only means
// "no zone"). It succeeds only when the reading is unambiguous: a four-digit
// first field is a year (y-m-d); dots mean day first (d.m.y); a month name
// is its month; with slashes or dashes the field above 12 is the day, and
// when both are 12 or less the date is ambiguous unless they are equal.
// hasTime reports whether s carried a time of day.
func Parse(s string) (t time.Time, hasTime, ok bool) {
	m := dateTimeRe().FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[2] != m[4] {
		return time.Time{}, false, false
	}
	var y, mo, d int
	a, _ := strconv.Atoi(m[1])
	c, _ := strconv.Atoi(m[5])
	if name, isName := month(strings.ToLower(m[3])[:min(3, len(m[3]))]); isName || !isDigits(m[3]) {
		if !isName || len(m[1]) > 2 {
			return time.Time{}, false, false
		}
		d, mo, y = a, int(name), c
	} else {
		b, _ := strconv.Atoi(m[3])
		switch {
		case len(m[1]) == 4:
			y, mo, d = a, b, c
		case len(m[1]) == 3 || len(m[5]) == 3:
			return time.Time{}, false, false
		case m[2] == ".":
			d, mo, y = a, b, c
		case a > 12 && b <= 12:
			d, mo, y = a, b, c
		case b > 12 && a <= 12:
			mo, d, y = a, b, c
		case a == b:
			d, mo, y = a, b, c
		default:
			return time.Time{}, false, false
		}
	}
	if len(m[1]) != 4 && len(m[5]) == 2 {
		y += 2000
		if y >= 2070 {
			y -= 100
		}
	}
	var hh, mm, ss, ns int
	if m[6] != "" {
		hasTime = true
		hh, _ = strconv.Atoi(m[6])
		mm, _ = strconv.Atoi(m[7])
		if m[8] != "" {
			ss, _ = strconv.Atoi(m[8])
		}
		if m[9] != "" {
			frac := (m[9] + "000000000")[:9]
			ns, _ = strconv.Atoi(frac)
		}
		switch strings.ToUpper(m[10]) {
		case "A":
			if hh < 1 || hh > 12 {
				return time.Time{}, false, false
			}
			if hh == 12 {
				hh = 0
			}
		case "P":
			if hh < 1 || hh > 12 {
				return time.Time{}, false, false
			}
			if hh != 12 {
				hh += 12
			}
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false, false
	}
	t = time.Date(y, time.Month(mo), d, hh, mm, ss, ns, time.UTC)
	if t.Day() != d { // 31 April, 29 February of a common year
		return time.Time{}, false, false
	}
	return t, hasTime, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
