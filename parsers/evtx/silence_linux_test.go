//go:build linux

package evtx

import (
	"bytes"
	"io"
	"os"
	"syscall"
	"testing"

	gevtx "github.com/0xrawsec/golang-evtx/evtx"
	gulog "github.com/0xrawsec/golang-utils/log"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// captureFD2 runs f with file descriptor 2 (and os.Stderr) pointing to a
// pipe and returns what was written. Redirecting the descriptor catches
// every writer, including the standard logger that golang-utils/log uses,
// which holds its own reference to the original os.Stderr.
func captureFD2(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	saved, err := syscall.Dup(2)
	require.NoError(t, err)
	savedFile := os.Stderr
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, r)
		close(done)
	}()
	require.NoError(t, syscall.Dup3(int(w.Fd()), 2, 0))
	os.Stderr = w
	func() {
		defer func() {
			os.Stderr = savedFile
			require.NoError(t, syscall.Dup3(saved, 2, 0))
			require.NoError(t, syscall.Close(saved))
			require.NoError(t, w.Close())
		}()
		f()
	}()
	<-done
	require.NoError(t, r.Close())
	return out.String()
}

// TestNoStderr parses the damaged corpus files and damaged copies with
// stderr captured: nothing may be written. golang-evtx's own record parser
// writes "PANIC" lines through golang-utils/log for the same inputs.
func TestNoStderr(t *testing.T) {
	damaged := []string{
		"derived/empty.evtx",
		"derived/not_evtx.evtx",
		"derived/security_header_only.evtx",
		"derived/security_truncated_mid_chunk.evtx",
		"derived/security_chunk2_crc_mismatch.evtx",
		"derived/xml2evtx_300_random_security.evtx",
		"omerbenamram-evtx/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
		"omerbenamram-evtx/2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx",
		"omerbenamram-evtx/E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx",
		"omerbenamram-evtx/E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx",
		"omerbenamram-evtx/Microsoft-Windows-HelloForBusiness%4Operational.evtx",
		"omerbenamram-evtx/Microsoft-Windows-LanguagePackSetup%4Operational.evtx",
		"omerbenamram-evtx/MSExchange_Management_wec.evtx",
		"omerbenamram-evtx/sample-with-zero-data-size-event.evtx",
		"omerbenamram-evtx/sample_with_a_bad_chunk_magic.evtx",
		"omerbenamram-evtx/security_bad_string_cache.evtx",
		"python-evtx/dns_log_malformed.evtx",
	}
	inputs := map[string][]byte{}
	for _, rel := range damaged {
		inputs[rel] = readCorpus(t, rel)
	}
	sec := inputs["derived/security_chunk2_crc_mismatch.evtx"]
	for i := 0; i < 8; i++ {
		b := bytes.Clone(sec)
		for k := fileHeaderSize + i*997; k < len(b); k += 4093 + i {
			b[k] ^= 0x5a
		}
		inputs["mutated"+strconvU(uint64(i))] = b
	}

	// The capture must see what golang-utils/log writes, or an empty
	// capture proves nothing.
	silence()
	canary := captureFD2(t, func() { gulog.DontPanic("canary") })
	require.Contains(t, canary, "canary")

	// Control: the FetchChunk + GoEvtxMap workaround of evtx-facts.md
	// writes a "PANIC - EOF: parsing *evtx.BinXMLEntityReference" stack
	// for this file even with the leveled output switched off.
	rdp := inputs["omerbenamram-evtx/2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx"]
	control := captureFD2(t, func() { libraryWorkaround(rdp) })
	require.Contains(t, control, "PANIC - ")

	got := captureFD2(t, func() {
		for name, b := range inputs {
			_ = parseBytes(t, name, b)
		}
	})
	assert.Empty(t, got)
}

// libraryWorkaround reads b with golang-evtx the way evtx-facts.md
// describes: FetchChunk per 64 KiB slot and GoEvtxMap per record, each
// under recover. It returns the number of records read.
func libraryWorkaround(b []byte) (n int) {
	defer func() { _ = recover() }()
	f, _ := gevtx.New(bytes.NewReader(b))
	for i := 0; i < slotCount(int64(len(b))); i++ {
		func() {
			defer func() { _ = recover() }()
			c, _ := f.FetchChunk(slotOffset(i))
			for _, off := range c.EventOffsets {
				func() {
					defer func() { _ = recover() }()
					if _, err := c.ParseEvent(int64(off)).GoEvtxMap(&c); err == nil {
						n++
					}
				}()
			}
		}()
	}
	return n
}
