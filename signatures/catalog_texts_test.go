package signatures_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/parsers/scan"
	"github.com/sfblog/sfblog/signatures"
)

// leaves calls f for every leaf condition of c.
func leaves(c *signatures.Cond, f func(*signatures.Cond)) {
	if c == nil {
		return
	}
	for _, s := range append(append([]*signatures.Cond{}, c.All...), c.Any...) {
		leaves(s, f)
	}
	if c.Not != nil {
		leaves(c.Not, f)
	}
	if c.Field != "" {
		f(c)
	}
}

// conds returns the conditions of a rule: its when, or both sides of its
// correlation.
func conds(ev *signatures.Evidence) []*signatures.Cond {
	if ev.When != nil {
		return []*signatures.Cond{ev.When}
	}
	return []*signatures.Cond{ev.Correlate.First.When, ev.Correlate.Second.When}
}

// uiKeys returns the ui.key values a condition compares with.
func uiKeys(c *signatures.Cond) []string {
	var keys []string
	leaves(c, func(l *signatures.Cond) {
		if l.Field == "ui.key" {
			keys = append(keys, l.Str...)
		}
	})
	return keys
}

// The catalog reads only keys the text scanner produces, and every key the
// scanner produces is read by a signature or left, on purpose, to the
// fallback (a failure text no documented cause explains).
func TestCatalogUIKeysExist(t *testing.T) {
	c, err := signatures.Default()
	require.NoError(t, err)
	known := scan.UIKeys()
	read := map[string]bool{}
	for _, s := range c.All() {
		for _, ev := range s.Evidence {
			for _, cond := range conds(ev) {
				for _, k := range uiKeys(cond) {
					assert.Contains(t, known, k, "%s rule %s", s.ID, ev.Name)
					read[k] = true
				}
			}
		}
	}
	fallbackOnly := []string{
		scan.UIKeyAdditionalSoftware,  // KB 2459899: Sign-In Assistant not installed; no catalog id
		scan.UIKeyServerNotResponding, // KB 2541980: AD FS or Azure AD unavailable; no catalog id
		scan.UIKeyVersionNotSupported, // mobile: server not updated, iOS region setting; no catalog id
	}
	for _, k := range known {
		if !slices.Contains(fallbackOnly, k) {
			assert.True(t, read[k], "no signature reads ui.key %s", k)
		}
	}
}

// A user-visible text alone never decides a cause: a rule that reads only
// uitext events is a symptom (or rules out).
func TestTextsNeverDecideAlone(t *testing.T) {
	c, err := signatures.Default()
	require.NoError(t, err)
	for _, s := range c.All() {
		for _, ev := range s.Evidence {
			if ev.When == nil || ev.Role != signatures.RoleDecides {
				continue
			}
			assert.NotEqual(t, []string{"uitext"}, ev.Kind, "%s rule %s decides on a text alone", s.ID, ev.Name)
		}
	}
}

// A deciding rule on an HRESULT names the context it needs on the event's
// line (the Sign-In Assistant, certificate provisioning, an endpoint):
// a bare code decides nothing.
func TestHRESULTRulesNeedContext(t *testing.T) {
	c, err := signatures.Default()
	require.NoError(t, err)
	n := 0
	for _, s := range c.All() {
		for _, ev := range s.Evidence {
			if ev.When == nil || ev.Role != signatures.RoleDecides || !slices.Contains(ev.Kind, "hresult") {
				continue
			}
			n++
			context := false
			leaves(ev.When, func(l *signatures.Cond) {
				if l.Field == "text" && l.Op == "regex" {
					context = true
				}
			})
			assert.True(t, context, "%s rule %s decides on an HRESULT without a context condition", s.ID, ev.Name)
		}
	}
	assert.Positive(t, n)
}
