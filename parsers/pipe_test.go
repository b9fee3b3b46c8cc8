package parsers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/evtx"
)

// ParseEvtx gives the events and problems of the enricher called inline,
// in the same order: a PowerShell script block log (long data values), a
// System log and a damaged file (both of many batches of events).
func TestParseEvtxSameAsInline(t *testing.T) {
	for _, name := range []string{
		"evtx-attack-samples/Credential_Access_phish_windows_credentials_powershell_scriptblockLog_4104.evtx",
		"omerbenamram-evtx/system.evtx",
		"derived/security_chunk2_crc_mismatch.evtx",
	} {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../testdata/evtx", name))
			require.NoError(t, err)
			var want, got []event.Event
			wantP, err := evtx.Parse(context.Background(), name, bytes.NewReader(data), int64(len(data)),
				evtxEnricher(func(e event.Event) error { want = append(want, e); return nil }))
			require.NoError(t, err)
			gotP, err := ParseEvtx(context.Background(), name, bytes.NewReader(data), int64(len(data)),
				func(e event.Event) error { got = append(got, e); return nil })
			require.NoError(t, err)
			require.NotEmpty(t, want)
			assert.Equal(t, want, got)
			assert.Equal(t, wantP, gotP)
		})
	}
}

func TestPipe(t *testing.T) {
	numbered := func(i int) event.Event { return event.Event{Kind: event.KindRecord, RecordID: uint64(i)} }
	boom := errors.New("boom")
	tests := []struct {
		name    string
		fail    int // the event the sink fails on, -1 for none
		panics  bool
		wantErr string
	}{
		{"every event in order", -1, false, ""},
		{"a sink error stops it", 50, false, "boom"},
		{"a sink error on the last event", 999, false, "boom"},
		{"a panic of the sink is an error", 10, true, "internal error while reading: at 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			p := startPipe(func(e event.Event) error {
				if int(e.RecordID) == tt.fail {
					if tt.panics {
						panic(fmt.Sprintf("at %d", e.RecordID))
					}
					return boom
				}
				got = append(got, e.RecordID)
				return nil
			})
			sent := 0
			for i := range 1000 {
				if err := p.send(numbered(i)); err != nil {
					require.ErrorIs(t, err, errPipeStopped)
					break
				}
				sent++
			}
			err := p.close()
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, 1000, sent)
				assert.Len(t, got, 1000)
				for i, id := range got {
					require.Equal(t, uint64(i), id)
				}
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			if !tt.panics {
				assert.ErrorIs(t, err, boom)
			}
			// Nothing after the failing event reaches the sink, and the
			// producer is told within the batches in flight.
			assert.Len(t, got, tt.fail)
			assert.LessOrEqual(t, sent, tt.fail+1+pipeBatch*(pipeBatches+1))
		})
	}
}

// A sink error ends ParseEvtx with that error.
func TestParseEvtxSinkError(t *testing.T) {
	data, err := os.ReadFile("../testdata/evtx/omerbenamram-evtx/system.evtx")
	require.NoError(t, err)
	boom := errors.New("boom")
	n := 0
	_, err = ParseEvtx(context.Background(), "system.evtx", bytes.NewReader(data), int64(len(data)), func(event.Event) error {
		if n++; n == 100 {
			return boom
		}
		return nil
	})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 100, n, "no event after the error")
}
