package mask

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// TestSecretHeaders covers a header whose name says secret and the
// continuation lines of cookie and ticket headers, in a message's text and
// as the event's fields, with the near misses that must stay.
func TestSecretHeaders(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"secret name at a line start", "INVITE sip:a@b SIP/2.0\r\nX-MS-Password: hunter2\r\nVia: x\r\n",
			"INVITE sip:a@b SIP/2.0\r\nX-MS-Password: <masked>\r\nVia: x\r\n"},
		{"access token header", "X-Access-Token: 0123abcd\nContent-Length: 0", "X-Access-Token: <masked>\nContent-Length: 0"},
		{"secret header folded", "X-Access-Token: 0123\r\n abcd\r\nVia: x", "X-Access-Token: <masked>\r\n \r\nVia: x"},
		{"cookie folded", "Cookie: a=1\r\n b=2; c=3\r\nVia: x", "Cookie: a=<masked>\r\n b=<masked>; c=<masked>\r\nVia: x"},
		{"cookie value goes on", "Cookie: a=12\n 34\nVia: x", "Cookie: a=<masked>\n <masked>\nVia: x"},
		{"set-cookie folded keeps attributes of its first line", "Set-Cookie: s=1; Path=/\n\tHttpOnly\nX: y", "Set-Cookie: s=<masked>; Path=/\n\t<masked>\nX: y"},
		{"web ticket folded", "X-MS-WebTicket: opaque=abc\r\n def\r\n", "X-MS-WebTicket: <masked>\r\n \r\n"},
		// Near misses.
		{"name that does not end in a secret word", "TokenType: Bearer-less\nPasswordLastSet: 2020-01-01", "TokenType: Bearer-less\nPasswordLastSet: 2020-01-01"},
		{"secret name inside a line", "the X-Access-Token: header was absent", "the X-Access-Token: header was absent"},
		{"unfolded cookie stops at its line", "Cookie: a=1\nVia: x", "Cookie: a=<masked>\nVia: x"},
		{"C++ scope", "CWebTicket::Token::Get failed", "CWebTicket::Token::Get failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Secrets(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Secrets(got), "masking twice changes nothing")
		})
	}
}

func TestSecretHeaderFields(t *testing.T) {
	text := "INVITE sip:a@b SIP/2.0\r\nX-MS-Password: hunter2\r\nCookie: a=1\r\n b=2\r\nTokenType: plain\r\n"
	e := &event.Event{Kind: event.KindSIP, Text: text, Fields: map[string]string{
		"sip.header.x-ms-password": "hunter2",
		"sip.header.cookie":        "a=1 b=2",
		"sip.header.tokentype":     "plain",
	}}
	m := Event(e)
	assert.Equal(t, Masked, m.Fields["sip.header.x-ms-password"])
	assert.Equal(t, "a=<masked>", m.Fields["sip.header.cookie"])
	assert.Equal(t, "plain", m.Fields["sip.header.tokentype"])
	assert.NotContains(t, m.Text, "hunter2")
	assert.NotContains(t, m.Text, "b=2")
	assert.Contains(t, m.Text, "TokenType: plain")
	assert.Equal(t, Masked, Field("sip.header.x-ms-password", "hunter2"))
}
