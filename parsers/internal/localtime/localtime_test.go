package localtime

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseLocalDateTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 without zone; "" when not read
	}{
		{"6/15/2017 9:02:11 AM", "2017-06-15T09:02:11"},
		{"6/15/2017 12:02:11 AM", "2017-06-15T00:02:11"},
		{"6/15/2017 12:02:11 PM", "2017-06-15T12:02:11"},
		{"6/15/2017 11:59:58 PM", "2017-06-15T23:59:58"},
		{"15/06/2017 09:00", "2017-06-15T09:00:00"},
		{"28/05/2021 6:39:15 AM", "2021-05-28T06:39:15"},
		{"09.10.2026 19:58:02", "2026-10-09T19:58:02"},
		{"2026-08-24 8:23:44 AM", "2026-08-24T08:23:44"},
		{"2015-06-04 19:04", "2015-06-04T19:04:00"},
		{"2017/06/14 9:00", "2017-06-14T09:00:00"},
		{"20-Feb-19 09:08:17", "2019-02-20T09:08:17"},
		{"5/5/2017 9:00 AM", "2017-05-05T09:00:00"},
		{"7/1/2021 9:44 AM", ""}, // July 1st or 7 January
		{"31/04/2017 10:00", ""},
		{"6/15/2017 13:00 PM", ""},
		{"6-15.2017", ""},
		{"unspecified", ""},
	}
	for _, tt := range tests {
		tm, _, ok := Parse(tt.in)
		if tt.want == "" {
			assert.False(t, ok, tt.in)
			continue
		}
		if assert.True(t, ok, tt.in) {
			assert.Equal(t, tt.want, tm.Format("2006-01-02T15:04:05"), tt.in)
		}
	}
}
