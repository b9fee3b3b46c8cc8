package analyze_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/signatures"
)

func TestBatchKeepsOrderAndSeparatesBundles(t *testing.T) {
	cat, err := signatures.Default()
	require.NoError(t, err)
	a := analyze.New(signatures.NewMatcher(cat), analyze.Options{})
	paths := []string{
		"../testdata/logs/sip-not-enabled.zip",
		"../testdata/logs/healthy-signin.zip",
		"../testdata/logs/missing.zip",
		"../testdata/logs/bad-credentials.zip",
	}
	for run := 0; run < 2; run++ {
		var got []string
		err := a.Batch(context.Background(), paths, 3, func(r analyze.BatchResult) error {
			got = append(got, r.Path)
			if r.Report == nil {
				assert.Error(t, r.Err, r.Path)
				return nil
			}
			var ids []string
			for _, f := range r.Report.Findings {
				ids = append(ids, f.ID)
			}
			switch r.Path {
			case paths[0]:
				assert.Equal(t, []string{"SFB-SIP-NOT-ENABLED"}, ids)
			case paths[1]:
				assert.Empty(t, ids)
				assert.Equal(t, analyze.OutcomeSucceeded, r.Report.SignIn.Outcome)
			case paths[3]:
				assert.Equal(t, []string{"SFB-BAD-CREDENTIALS"}, ids)
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, paths, got)
	}
	stop := errors.New("stop")
	n := 0
	err = a.Batch(context.Background(), paths, 2, func(analyze.BatchResult) error { n++; return stop })
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)
}
