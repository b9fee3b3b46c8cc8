package signatures_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

// TestCatalogExamples runs every example of every shipped signature through
// the whole pipeline: each match example must report its signature, each
// no_match example must not.
func TestCatalogExamples(t *testing.T) {
	c, err := signatures.Default()
	require.NoError(t, err)
	a := analyze.New(signatures.NewMatcher(c), analyze.Options{})
	results := a.RunExamples(context.Background(), c.All())
	require.NotEmpty(t, results)
	perSig := map[string]int{}
	for _, r := range results {
		perSig[r.ID]++
		t.Run(r.ID+"/"+r.Want+"/"+r.Name, func(t *testing.T) {
			assert.True(t, r.Pass, "%s:%d: %s", r.File, r.Line, r.Detail)
		})
	}
	for _, s := range c.All() {
		assert.GreaterOrEqual(t, perSig[s.ID], 2, s.ID)
	}
}
