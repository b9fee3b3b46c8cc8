package parsers

import (
	"bytes"
	"context"
	"errors"
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
