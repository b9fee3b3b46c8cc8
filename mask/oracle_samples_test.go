package mask_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/signatures"
)

// TestEventIntoSameAsOldSamples: every event of the sample bundles and of
// the event log corpus masks byte for byte as the EventInto of c2b86d4
// masks it, into a reused event as sfblog parse does.
func TestEventIntoSameAsOldSamples(t *testing.T) {
	paths, err := filepath.Glob("../testdata/logs/*.zip")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	paths = append(paths, "../testdata/evtx")
	cat, err := signatures.Default()
	require.NoError(t, err)
	a := analyze.New(signatures.NewMatcher(cat), analyze.Options{})
	var got, want event.Event
	n := 0
	_, err = a.Events(context.Background(), paths, func(e *event.Event) error {
		mask.OldEventInto(&want, e)
		mask.EventInto(&got, e)
		require.Equal(t, want.Text, got.Text, "%s:%d#%d", e.Path, e.Line, e.RecordID)
		require.Equal(t, want.Fields, got.Fields, "%s:%d#%d", e.Path, e.Line, e.RecordID)
		n++
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 10000)
}
