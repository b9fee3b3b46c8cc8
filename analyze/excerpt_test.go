package analyze

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sfblog/sfblog/event"
)

// TestExcerptMasksBeforeCutting: a secret that the excerpt's byte limit
// cuts in two is masked whole, not left half readable (a JWT without its
// second dot, a password field's value cut by the limit).
func TestExcerptMasksBeforeCutting(t *testing.T) {
	const jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiIwMDAwMDAwNC0wMDAwIiwidXBuIjoiYm9iQGNvbnRvc28uY29tIn0.c2lnbmF0dXJlX2J5dGVz"
	for _, tc := range []struct {
		name  string
		e     event.Event
		leaks []string
		keeps []string
	}{
		{
			"a JWT across the limit",
			event.Event{Kind: event.KindLog, Text: strings.Repeat("x", maxExcerptBytes-60) + " token " + jwt + " " + strings.Repeat("y", 200)},
			[]string{"eyJ"}, []string{"… (excerpt cut)"},
		},
		{
			"a secret field's value across the limit",
			event.Event{Kind: event.KindRecord, Text: strings.Repeat("x", maxExcerptBytes-6) + " | Spr1ngCutPassword | " + strings.Repeat("y", 200),
				Fields: map[string]string{"evt.data.Password": "Spr1ngCutPassword"}},
			[]string{"Spr"}, []string{"… (excerpt cut)"},
		},
		{
			"near miss: a short text is not cut",
			event.Event{Kind: event.KindLog, Text: "token " + jwt},
			[]string{"eyJ"}, []string{"token <masked>"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Excerpt(&tc.e)
			for _, s := range tc.leaks {
				assert.NotContains(t, got, s)
			}
			for _, s := range tc.keeps {
				assert.Contains(t, got, s)
			}
		})
	}
}

// TestCheckKeepsSecretFields: a check's text holds the text of the event
// it was made from; that event's secret values go with it and are masked
// in the check's excerpt.
func TestCheckKeepsSecretFields(t *testing.T) {
	at := &event.Event{Source: event.SourceDirectory, Kind: event.KindDirectory, Path: "users.ldf", Line: 1,
		Text:   "dn: CN=Bob,DC=contoso,DC=com\nuserPassword:: U3ByMW5nTGRpZjIwMTg=\nmsRTCSIP-UserEnabled: FALSE",
		Fields: map[string]string{"ad.upn": "bob@contoso.com", "ad.sip_enabled": "false", "ad.attr.userPassword": "U3ByMW5nTGRpZjIwMTg="}}
	c := check(at, "ad.sip_enabled", "fail", "bob@contoso.com", "msRTCSIP-UserEnabled is FALSE")
	assert.Equal(t, "U3ByMW5nTGRpZjIwMTg=", c.Get("ad.attr.userPassword"))
	assert.Empty(t, c.Get("ad.upn"), "only the secret fields")
	got := Excerpt(c)
	assert.NotContains(t, got, "U3ByMW5n")
	assert.Contains(t, got, "msRTCSIP-UserEnabled: FALSE")
}
