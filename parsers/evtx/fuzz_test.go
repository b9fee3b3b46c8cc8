package evtx

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sfblog/sfblog/event"
)

// FuzzParse checks that no input makes Parse panic, return an unexpected
// error or emit a malformed event. Seeds: a small valid file written by
// the test, the same file cut inside its records, and the first records
// of a real log.
func FuzzParse(f *testing.F) {
	small := smallFile()
	f.Add(small)
	f.Add(small[:len(small)-100])
	f.Add(small[:200])
	if b, err := os.ReadFile(filepath.Join(corpusDir, "omerbenamram-evtx", "Security_short_selected.evtx")); err == nil {
		f.Add(b[:fileHeaderSize+4096])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Parse(context.Background(), "fuzz", bytes.NewReader(b), int64(len(b)), func(e event.Event) error {
			if e.Source != event.SourceEvtx || e.Kind != event.KindRecord {
				t.Fatalf("bad event %+v", e)
			}
			return nil
		})
		if err != nil && !errors.Is(err, ErrNotEVTX) {
			t.Fatalf("unexpected error: %v", err)
		}
	})
}
