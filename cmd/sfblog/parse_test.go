package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/mask"
	"github.com/sfblog/sfblog/signatures"
)

// BenchmarkParse runs "sfblog parse -f jsonl", output discarded, over the
// client log of the healthy sign-in sample (the log benchcmp repeats)
// written 40 times in a row (about 20 MB), and over an event log of 1,000
// records.
func BenchmarkParse(b *testing.B) {
	zr, err := zip.OpenReader(filepath.Join(logs, "healthy-signin.zip"))
	require.NoError(b, err)
	defer zr.Close()
	require.NotEmpty(b, zr.File)
	rc, err := zr.File[0].Open()
	require.NoError(b, err)
	one, err := io.ReadAll(rc)
	require.NoError(b, err)
	client := filepath.Join(b.TempDir(), "Lync-UccApi-0.UccApilog")
	require.NoError(b, os.WriteFile(client, bytes.Repeat(one, 40), 0o644))
	for _, path := range []string{client, "../../testdata/evtx/omerbenamram-evtx/sample-with-irregular-bool-values.evtx"} {
		b.Run(filepath.Ext(path)[1:], func(b *testing.B) {
			fi, err := os.Stat(path)
			require.NoError(b, err)
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			for b.Loop() {
				code := run(context.Background(), []string{"parse", path}, strings.NewReader(""), io.Discard, io.Discard)
				require.Equal(b, 0, code)
			}
		})
	}
}

// BenchmarkParseStages splits the work of "sfblog parse -f jsonl" on one
// core's worth of calls: parse reads the events (analyze.Events, as parse
// does) and drops them; mask masks each too, with a mask.Masker; json
// writes each masked event with an event.Encoder too. The input is
// $SFBLOG_PARSE_BENCH_LOG, or the client log of BenchmarkParse. The
// differences between the stages are what masking and writing cost.
func BenchmarkParseStages(b *testing.B) {
	path := os.Getenv("SFBLOG_PARSE_BENCH_LOG")
	if path == "" {
		zr, err := zip.OpenReader(filepath.Join(logs, "healthy-signin.zip"))
		require.NoError(b, err)
		defer zr.Close()
		rc, err := zr.File[0].Open()
		require.NoError(b, err)
		one, err := io.ReadAll(rc)
		require.NoError(b, err)
		path = filepath.Join(b.TempDir(), "Lync-UccApi-0.UccApilog")
		require.NoError(b, os.WriteFile(path, bytes.Repeat(one, 40), 0o644))
	}
	fi, err := os.Stat(path)
	require.NoError(b, err)
	for _, stage := range []string{"parse", "mask", "json"} {
		b.Run(stage, func(b *testing.B) {
			b.SetBytes(fi.Size())
			b.ReportAllocs()
			for b.Loop() {
				a := analyze.New(signatures.NewMatcher(new(signatures.Catalog)), analyze.Options{})
				var mk mask.Masker
				var enc event.Encoder
				var fs []event.Field
				var out []byte
				_, err := a.Events(context.Background(), []string{path}, func(e *event.Event) error {
					if stage == "parse" {
						return nil
					}
					m := *e
					m.Text, fs = mk.EventFields(fs[:0], e)
					if stage == "json" {
						out = enc.Append(out[:0], &m, fs)
					}
					return nil
				})
				require.NoError(b, err)
			}
		})
	}
}

// TestParseGolden pins the output of parse byte for byte: client-log SIP
// events with their authentication headers masked and event log records,
// as JSON lines (HTML characters and control characters escaped as
// encoding/json and termesc.JSON did) and as a table. The golden files
// were written by the build before event.AppendJSON and mask.EventInto.
func TestParseGolden(t *testing.T) {
	for _, tc := range []struct{ zip, format string }{
		{"bad-credentials", "jsonl"},
		{"evtx-client-dns", "jsonl"},
		{"sip-not-enabled", "table"},
	} {
		t.Run(tc.zip+"."+tc.format, func(t *testing.T) {
			code, out, stderr := sfblog(t, "", "parse", "-f", tc.format, filepath.Join(logs, tc.zip+".zip"))
			require.Equal(t, 0, code, stderr)
			golden := filepath.Join("testdata", "golden", "parse-"+tc.zip+"."+tc.format)
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			require.Equal(t, string(want), out)
		})
	}
}
