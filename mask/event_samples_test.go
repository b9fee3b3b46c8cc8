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

// TestEventSamples: every field and the text of every event of the sample
// bundles and of the event log corpus mask as the reference (the Event of
// before EventInto) masks them, on its own and into a reused event, and
// byte for byte as the EventInto of c2b86d4 (old_test.go) masks them into
// a reused event, and by one Masker for all of them, as sfblog parse
// does.
func TestEventSamples(t *testing.T) {
	paths, err := filepath.Glob("../testdata/logs/*.zip")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	paths = append(paths, "../testdata/evtx")
	cat, err := signatures.Default()
	require.NoError(t, err)
	a := analyze.New(signatures.NewMatcher(cat), analyze.Options{})
	var reused, old event.Event
	var mk mask.Masker // one for all the events, as a parse worker has
	n, changed := 0, 0
	_, err = a.Events(context.Background(), paths, func(e *event.Event) error {
		want := mask.RefEvent(e)
		require.Equal(t, want, mask.Event(e), "%s:%d#%d", e.Path, e.Line, e.RecordID)
		mask.EventInto(&reused, e)
		require.Equal(t, len(want.Fields), len(reused.Fields))
		for k, v := range want.Fields {
			require.Equal(t, v, reused.Fields[k], "%s:%d#%d %s", e.Path, e.Line, e.RecordID, k)
		}
		require.Equal(t, want.Text, reused.Text)
		mask.OldEventInto(&old, e)
		require.Equal(t, old.Text, reused.Text, "%s:%d#%d", e.Path, e.Line, e.RecordID)
		require.Equal(t, old.Fields, reused.Fields, "%s:%d#%d", e.Path, e.Line, e.RecordID)
		text, fs := mk.EventFields(nil, e)
		require.Equal(t, want.Text, text, "Masker: %s:%d#%d", e.Path, e.Line, e.RecordID)
		require.Len(t, fs, len(want.Fields))
		for _, f := range fs {
			require.Equal(t, want.Fields[f.Name], f.Value, "Masker: %s:%d#%d %s", e.Path, e.Line, e.RecordID, f.Name)
		}
		n++
		if want.Text != e.Text {
			changed++
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, n, 10000)
	require.Greater(t, changed, 100, "the samples hold secrets")
}
