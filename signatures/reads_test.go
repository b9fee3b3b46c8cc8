package signatures

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReads(t *testing.T) {
	cat, err := Default()
	require.NoError(t, err)
	byID := map[string]map[string][]string{}
	for _, s := range cat.All() {
		byID[s.ID] = s.Reads()
	}
	assert.Contains(t, byID["SFB-SERVER-UNAVAILABLE-DNS"][RoleDecides], "DNS look-up")
	assert.Contains(t, byID["SFB-SERVER-UNAVAILABLE-DNS"][RoleDecides], "event log")
	assert.Contains(t, byID["SFB-SERVER-UNAVAILABLE-DNS"][RoleRulesOut], "DNS look-up")
	assert.Contains(t, byID["SFB-CLOCK-SKEW"][RoleDecides], "w32tm / MSOIdentityCRL ClockSkew")
	assert.Contains(t, byID["SFB-SIP-NOT-ENABLED"][RoleRulesOut], "directory export")
	assert.Contains(t, byID["SFB-SIP-NOT-ENABLED"][RoleDecides], "client log (SIP)")
	assert.NotContains(t, byID["SFB-BAD-CREDENTIALS"][RoleDecides], "error text", "a text alone never decides")
	// The trust dialog text decides only together with the REGISTER of a
	// first sign-in (a correlation), so it is listed among the deciders.
	assert.Contains(t, byID["SFB-FIRST-SIGNIN-CERT-PROMPT"][RoleDecides], "client log (SIP)")
}
