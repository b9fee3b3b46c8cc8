package uccapilog

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The fast path accepts exactly what time.Parse accepts of its shape, and
// gives the same instant.
func TestParseRFC1123GMT(t *testing.T) {
	ref := func(v string) (time.Time, bool) {
		tm, err := time.ParseInLocation(time.RFC1123, v, time.UTC)
		if err != nil {
			return time.Time{}, false
		}
		return tm.UTC(), true
	}
	inputs := []string{
		"Thu, 12 Apr 2018 15:58:04 GMT",
		"thu, 12 APR 2018 15:58:04 GMT",
		"Sun, 29 Feb 2004 23:59:59 GMT",
		"Sun, 29 Feb 2005 23:59:59 GMT", // no such day
		"Mon, 31 Apr 2018 10:00:00 GMT",
		"Mon, 00 Jan 2018 10:00:00 GMT",
		"Mon, 01 Jan 2018 24:00:00 GMT",
		"Mon, 01 Jan 2018 10:60:00 GMT",
		"Mon, 01 Jan 2018 10:00:60 GMT",
		"Xyz, 01 Jan 2018 10:00:00 GMT",
		"Mon, 01 Foo 2018 10:00:00 GMT",
		"Mon, 1a Jan 2018 10:00:00 GMT",
		"Mon, 01 Jan 2018 10:00:00 UTC",
		"Mon, 01 Jan 2018 10:00:00 PST",
		"Mon, 01 Jan 0000 00:00:00 GMT",
		"Mon,  1 Jan 2018 10:00:00 GMT",
	}
	// Every one-byte change of a valid date, too.
	base := "Thu, 12 Apr 2018 15:58:04 GMT"
	for i := range base {
		for _, c := range "0129:, aAzZ" {
			inputs = append(inputs, base[:i]+string(c)+base[i+1:])
		}
	}
	for _, v := range inputs {
		got, ok := parseRFC1123GMT(v)
		want, wantOK := ref(v)
		if ok {
			assert.True(t, wantOK, "%q accepted, time.Parse refuses it", v)
			assert.True(t, want.Equal(got), "%q: %v, want %v", v, got, want)
		}
		// With or without the fast path, the same result.
		got, ok = parseHTTPDate(v)
		slow, slowOK := parseHTTPDateLayouts(v)
		assert.Equal(t, slowOK, ok, v)
		assert.True(t, slow.Equal(got), v)
	}
	for _, v := range inputs[:3] {
		_, ok := parseRFC1123GMT(v)
		assert.True(t, ok, "the usual form %q takes the fast path", v)
	}
	got, ok := parseHTTPDate("Thu, 12 Apr 2018 15:58:04 GMT")
	assert.True(t, ok)
	assert.Equal(t, time.Date(2018, 4, 12, 15, 58, 4, 0, time.UTC), got)
}
