package parsers

import (
	"context"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

const logLine = "06/15/2017|09:02:11.482 1F68:C14 ERROR :: IDCRL LogonIdentityEx failed, hr=0x80048821\r\n"

func utf16le(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestSniff(t *testing.T) {
	evtx, err := os.ReadFile("../testdata/evtx/omerbenamram-evtx/system.evtx")
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	for _, tc := range []struct {
		name string
		head []byte
		want string
	}{
		{"event log", evtx[:HeadSize], Evtx},
		{"UccApilog UTF-8", []byte(logLine), UccApilog},
		{"UccApilog UTF-16LE with BOM", utf16le(logLine), UccApilog},
		{"UccApilog with BOM", append([]byte{0xef, 0xbb, 0xbf}, logLine...), UccApilog},
		{"a note", []byte("User sees: Sign-in address was not found.\n"), Text},
		{"binary garbage", []byte{0x00, 0x9f, 0x12, 0x00, 0xff, 0x01, 0x02, 0x00, 0x80, 0x00}, Unrecognized},
		{"empty", nil, Unrecognized},
		{"a zip is not a log", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), Unrecognized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Sniff(tc.head))
		})
	}
}

func TestParseTextDecodesAnyEncoding(t *testing.T) {
	for name, input := range map[string][]byte{
		"utf-8 CRLF":       []byte(logLine),
		"utf-16le BOM":     utf16le(logLine),
		"utf-8 BOM and LF": append([]byte{0xef, 0xbb, 0xbf}, strings.ReplaceAll(logLine, "\r", "")...),
	} {
		t.Run(name, func(t *testing.T) {
			var got []event.Event
			_, err := ParseText(context.Background(), UccApilog, "x", strings.NewReader(string(input)), func(e event.Event) error {
				got = append(got, e)
				return nil
			})
			require.NoError(t, err)
			var codes []string
			for _, e := range got {
				if e.Kind == event.KindHRESULT {
					codes = append(codes, e.Get("hresult"))
				}
			}
			assert.Equal(t, []string{"0x80048821"}, codes)
		})
	}
}

// TestParseEvtxFindsTextsAndCodesInData checks that the error texts and
// HRESULTs of an event log's data values become events of their own.
func TestParseEvtxFindsTextsAndCodesInData(t *testing.T) {
	var kinds []string
	emit := func(e event.Event) error { kinds = append(kinds, e.Kind); return nil }
	rec := event.Event{Source: event.SourceEvtx, Kind: event.KindRecord, Path: "a.evtx", RecordID: 7}
	rec.Set("evt.data.all", "Cannot sign in to Lync because this sign-in address was not found.\nhr=0x80072ee7")
	wrap := evtxEnricher(emit)
	require.NoError(t, wrap(rec))
	assert.Equal(t, []string{event.KindRecord, event.KindUIText, event.KindHRESULT}, kinds)
}
