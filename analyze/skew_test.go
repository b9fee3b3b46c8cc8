package analyze_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

// TestClientOffsetGivesTheExactSkew: a client at UTC+1 whose clock is 12
// minutes fast. Without its zone the skew folds to 3 minutes (whole quarter
// hours removed) and is missed; with --client-utc-offset it is exact.
func TestClientOffsetGivesTheExactSkew(t *testing.T) {
	c, err := signatures.Default()
	require.NoError(t, err)
	m := signatures.NewMatcher(c)
	x := signatures.Example{Name: "skew", Events: []signatures.ExampleEvent{{
		Kind: "sip", Source: "uccapilog", Time: "2017-06-15T10:14:00.000",
		Fields: map[string]string{
			"sip.direction": "received", "sip.type": "response", "sip.status": "401",
			"sip.cseq.method": "REGISTER", "sip.header.date": "Thu, 15 Jun 2017 09:02:00 GMT",
			"sip.date_offset": "-4320", "sip.clock_skew": "180",
		},
	}}}
	ids := func(r *analyze.Report) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.ID)
		}
		return out
	}
	r, err := analyze.New(m, analyze.Options{}).Example(context.Background(), x)
	require.NoError(t, err)
	assert.NotContains(t, ids(r), "SFB-CLOCK-SKEW")

	plus1 := time.Hour
	r, err = analyze.New(m, analyze.Options{ClientOffset: &plus1}).Example(context.Background(), x)
	require.NoError(t, err)
	assert.Contains(t, ids(r), "SFB-CLOCK-SKEW")
	assert.Equal(t, "flag", r.Clock.Source)
}
