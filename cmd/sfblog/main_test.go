package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/analyze"
)

var update = flag.Bool("update", false, "rewrite golden files")

const logs = "../../testdata/logs"

// sfblog runs one command line and returns its exit code and outputs.
func sfblog(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// expected is a case's expected.json.

func cases(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(logs, "cases", "*", "expected.json"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs, "no sample cases")
	var names []string
	for _, d := range dirs {
		names = append(names, filepath.Base(filepath.Dir(d)))
	}
	return names
}

func readExpected(t *testing.T, name string) expectation {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(logs, "cases", name, "expected.json"))
	require.NoError(t, err)
	var e expectation
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&e), name)
	return e
}

func decodeReport(t *testing.T, out string) analyze.Report {
	t.Helper()
	var r analyze.Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&r), out)
	return r
}

// TestSamples analyses every sample bundle of testdata/logs and checks its
// exact set of finding ids.
func TestSamples(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			want := readExpected(t, name)
			code, out, stderr := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, name+".zip"))
			require.Equal(t, 0, code, stderr)
			r := decodeReport(t, out)
			res := judge(caseResult{Name: name}, want, &r)
			assert.True(t, res.Pass, "%s: %s", name, res.Msg)
		})
	}
}

// TestRegress runs the samples through `sfblog regress`: a regression
// folder holds one case folder per sample with its zip and expected.json.
func TestRegress(t *testing.T) {
	root := t.TempDir()
	for _, name := range cases(t) {
		dir := filepath.Join(root, name)
		require.NoError(t, os.Mkdir(dir, 0o755))
		for src, dst := range map[string]string{
			filepath.Join(logs, name+".zip"):                    "bundle.zip",
			filepath.Join(logs, "cases", name, "expected.json"): "expected.json",
		} {
			data, err := os.ReadFile(src)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, dst), data, 0o644))
		}
	}
	junit := filepath.Join(t.TempDir(), "regress.xml")
	code, out, stderr := sfblog(t, "", "regress", "--junit", junit, root)
	require.Equal(t, 0, code, out+stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Regexp(t, fmt.Sprintf(`^%d passed, 0 failed$`, len(cases(t))), lines[len(lines)-1])
	x, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(x), `failures="0"`)

	// A case whose expectation is not met fails the run with exit 1.
	bad := filepath.Join(root, "healthy-signin", "expected.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"findings": ["SFB-CLOCK-SKEW"]}`), 0o644))
	code, out, _ = sfblog(t, "", "regress", root)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL healthy-signin: missing SFB-CLOCK-SKEW")
}

// TestNoSecretInAnyOutput checks that no credential planted in the
// fixtures leaves through any output format, parse included.
func TestNoSecretInAnyOutput(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(logs, "cases", "SECRETS.txt"))
	require.NoError(t, err)
	var secrets []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			secrets = append(secrets, l)
		}
	}
	require.NotEmpty(t, secrets)
	var commands [][]string
	for _, f := range []string{"table", "markdown", "json", "junit", "html"} {
		commands = append(commands, []string{"analyze", "-f", f, "--max-evidence", "1000"})
	}
	commands = append(commands, []string{"parse"}, []string{"parse", "-f", "table"})
	for _, name := range cases(t) {
		for _, c := range commands {
			args := append(append([]string{}, c...), filepath.Join(logs, name+".zip"))
			code, out, stderr := sfblog(t, "", args...)
			require.Contains(t, []int{0, 1}, code, stderr)
			for _, s := range secrets {
				assert.NotContains(t, out, s, "%s: %v", name, c)
				assert.NotContains(t, stderr, s, "%s: %v", name, c)
			}
		}
	}
}

func TestDamagedBundleStillYieldsTheFinding(t *testing.T) {
	code, out, stderr := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "damaged-bundle.zip"))
	require.Equal(t, 0, code, stderr)
	r := decodeReport(t, out)
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "SFB-SIP-NOT-ENABLED", r.Findings[0].ID)
	damaged := map[string]analyze.Input{}
	for _, in := range r.Inputs {
		if len(in.Errors) > 0 || in.Format == "unrecognized" {
			damaged[filepath.Base(in.Path)] = in
		}
	}
	assert.Contains(t, damaged, "garbage.dat")
	assert.Contains(t, damaged, "Lync-UccApi-1.UccApilog")
	assert.Contains(t, damaged["Lync-UccApi-1.UccApilog"].Errors, "empty file")
	assert.Contains(t, damaged, "Lync-UccApi-0.UccApilog.bak")
	assert.Contains(t, stderr, "garbage.dat")
}

func TestExitCodes(t *testing.T) {
	healthy := filepath.Join(logs, "healthy-signin.zip")
	failing := filepath.Join(logs, "sip-not-enabled.zip")
	dir := t.TempDir()
	bad := filepath.Join(dir, "sigs")
	require.NoError(t, os.Mkdir(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "x.yaml"), []byte("id: [\n"), 0o644))
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no arguments", []string{"analyze"}, 2, "requires at least 1 arg"},
		{"unknown flag", []string{"analyze", "--bogus", healthy}, 2, "unknown flag"},
		{"unknown format", []string{"analyze", "-f", "pdf", healthy}, 2, "unknown report format"},
		{"bad fail-on", []string{"analyze", "--fail-on", "fatal", healthy}, 2, "--fail-on"},
		{"bad since", []string{"analyze", "--since", "yesterday", healthy}, 2, "RFC 3339"},
		{"bad client offset", []string{"analyze", "--client-utc-offset", "CET", healthy}, 2, "--client-utc-offset"},
		{"missing input", []string{"analyze", filepath.Join(dir, "nope.zip")}, 2, "no input could be read"},
		{"invalid signature file", []string{"analyze", "--signatures", bad, healthy}, 2, "x.yaml:1"},
		{"finding below fail-on", []string{"analyze", "--fail-on", "error", healthy}, 0, ""},
		{"finding at fail-on", []string{"analyze", "--fail-on", "error", failing}, 1, ""},
		{"finding with fail-on none", []string{"analyze", failing}, 0, ""},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"version", []string{"version"}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := sfblog(t, "", tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			if tc.err != "" {
				assert.Contains(t, stderr, tc.err)
			}
		})
	}
}

func TestStdoutCarriesOnlyTheReport(t *testing.T) {
	code, out, _ := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "damaged-bundle.zip"))
	require.Equal(t, 0, code)
	decodeReport(t, out) // the whole of stdout is one JSON document
}

func TestStdin(t *testing.T) {
	zip, err := os.ReadFile(filepath.Join(logs, "sip-not-enabled.zip"))
	require.NoError(t, err)
	code, out, stderr := sfblog(t, string(zip), "analyze", "-f", "json", "-")
	require.Equal(t, 0, code, stderr)
	r := decodeReport(t, out)
	require.NotEmpty(t, r.Findings)
	assert.Equal(t, "SFB-SIP-NOT-ENABLED", r.Findings[0].ID)
	assert.True(t, strings.HasPrefix(r.Inputs[0].Path, "-!/"), r.Inputs[0].Path)
}

func TestOutputFileAndFormatFromExtension(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.md")
	code, stdout, stderr := sfblog(t, "", "analyze", "-o", out, filepath.Join(logs, "sip-not-enabled.zip"))
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(data), "## SFB-SIP-NOT-ENABLED")
}

func TestDeterministicOutput(t *testing.T) {
	for _, f := range []string{"json", "markdown", "table"} {
		_, a, _ := sfblog(t, "", "analyze", "-f", f, logs)
		_, b, _ := sfblog(t, "", "analyze", "-f", f, logs)
		assert.Equal(t, a, b, f)
	}
}

// TestGolden pins the complete reports of one sample.
func TestGolden(t *testing.T) {
	for _, f := range []string{"json", "markdown", "table"} {
		t.Run(f, func(t *testing.T) {
			code, out, stderr := sfblog(t, "", "analyze", "-f", f, filepath.Join(logs, "sip-not-enabled.zip"))
			require.Equal(t, 0, code, stderr)
			out = strings.ReplaceAll(out, `"version": "`+readBuildInfo().Version+`"`, `"version": "VERSION"`)
			golden := filepath.Join("testdata", "golden", "sip-not-enabled."+f)
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create it")
			assert.Equal(t, string(want), out)
		})
	}
}

// TestJapanese pins the Japanese markdown report of one sample.
func TestJapanese(t *testing.T) {
	code, out, stderr := sfblog(t, "", "analyze", "--lang", "ja", "-f", "markdown", filepath.Join(logs, "sip-not-enabled.zip"))
	require.Equal(t, 0, code, stderr)
	golden := filepath.Join("testdata", "golden", "sip-not-enabled.ja.markdown")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), out)
	assert.Contains(t, out, "サインインに失敗しました")
	assert.Contains(t, out, "https://support.office.com/ja-jp/article/")
	code, _, stderr = sfblog(t, "", "analyze", "--lang", "fr", filepath.Join(logs, "sip-not-enabled.zip"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown language "fr"`)
}

func TestSignaturesList(t *testing.T) {
	code, out, stderr := sfblog(t, "", "signatures", "list", "-f", "json")
	require.Equal(t, 0, code, stderr)
	var list []catalogEntry
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	assert.Len(t, list, 15)
	for _, e := range list {
		assert.NotEmpty(t, e.Sources, e.ID)
		assert.GreaterOrEqual(t, e.Examples, 2, e.ID)
	}
	code, out, _ = sfblog(t, "", "signatures", "list")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "SFB-UNRESOLVED")
}

func TestSignaturesTest(t *testing.T) {
	code, out, stderr := sfblog(t, "", "signatures", "test")
	require.Equal(t, 0, code, out+stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Regexp(t, `^\d+ passed, 0 failed$`, lines[len(lines)-1])

	// A user signature whose example does not fire fails the run.
	dir := t.TempDir()
	data, err := os.ReadFile("../../signatures/catalog/sfb-not-licensed.yaml")
	require.NoError(t, err)
	broken := strings.Replace(string(data), "id: SFB-NOT-LICENSED", "id: SFB-MY-TEST", 1)
	broken = strings.Replace(broken, `{field: diag.code, equals: "1003"}`, `{field: diag.code, equals: "9999"}`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(broken), 0o644))
	code, out, _ = sfblog(t, "", "signatures", "test", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL SFB-MY-TEST match")
	assert.Regexp(t, `\d+ passed, [1-9]\d* failed\n$`, out)
}

func TestParseJSONL(t *testing.T) {
	code, out, stderr := sfblog(t, "", "parse", filepath.Join(logs, "sip-not-enabled.zip"))
	require.Equal(t, 0, code, stderr)
	n := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		assert.Contains(t, m, "kind")
		n++
	}
	assert.Greater(t, n, 3)
	assert.Contains(t, out, `"diag.code":"4005"`)
}

// TestClientAndEventLogTimes checks that client-log times (local, no zone)
// and event-log times (UTC) are placed on one time line: the Schannel
// record without a host name is evidence only when it happened within five
// minutes of the client's AD FS failure, which depends on the client's zone.
func TestClientAndEventLogTimes(t *testing.T) {
	schannel := func(args ...string) (analyze.Report, bool) {
		code, out, stderr := sfblog(t, "", append([]string{"analyze", "-f", "json", "--max-evidence", "100"}, args...)...)
		require.Equal(t, 0, code, stderr)
		r := decodeReport(t, out)
		for _, f := range r.Findings {
			if f.ID != "SFB-SERVER-UNAVAILABLE-ADFS-CERT" {
				continue
			}
			for _, e := range f.Evidence {
				if strings.Contains(e.Excerpt, "Schannel 36882") {
					return r, true
				}
			}
			return r, false
		}
		t.Fatalf("no SFB-SERVER-UNAVAILABLE-ADFS-CERT finding in %v", args)
		return r, false
	}
	zip := filepath.Join(logs, "evtx-schannel-adfs.zip")
	r, found := schannel(zip)
	assert.Equal(t, analyze.Clock{ClientUTCOffset: "+01:00", Source: "sip-date"}, r.Clock)
	assert.True(t, found, "the client log is at UTC+1: the Schannel record lines up with its failure")
	r, found = schannel("--client-utc-offset", "+05:00", zip)
	assert.Equal(t, "flag", r.Clock.Source)
	assert.False(t, found, "placed four hours off, the Schannel record is not the client's failure")
	// Told that the client is at UTC+5, its clock is four hours off the
	// servers' Date headers: that is a clock skew.
	assert.Equal(t, "SFB-CLOCK-SKEW", r.Findings[0].ID)
}

// TestRedact checks that --redact leaves no sign-in address, customer
// domain, computer name or client IP address in any excerpt, and that the
// pseudonyms are stable from one run to the next.
func TestRedact(t *testing.T) {
	for _, name := range []string{"sip-not-enabled", "evtx-schannel-adfs", "cached-signin-data"} {
		t.Run(name, func(t *testing.T) {
			args := []string{"analyze", "--redact", "-f", "json", "--max-evidence", "100", filepath.Join(logs, name+".zip")}
			code, out, stderr := sfblog(t, "", args...)
			require.Equal(t, 0, code, stderr)
			_, again, _ := sfblog(t, "", args...)
			assert.Equal(t, out, again, "pseudonyms are deterministic")
			r := decodeReport(t, out)
			require.NotEmpty(t, r.Findings)
			assert.NotContains(t, r.SignIn.Address, "contoso")
			for _, f := range r.Findings {
				assert.NotContains(t, f.Message, "contoso")
				for _, e := range f.Evidence {
					for _, personal := range []string{"contoso", "bob@", "robert.kelly", "WKS-", "10.0.0."} {
						assert.NotContains(t, e.Excerpt, personal)
					}
				}
			}
		})
	}
}

// TestReportConvert renders a saved JSON report again: the markdown equals
// the one analyze writes directly.
func TestReportConvert(t *testing.T) {
	zip := filepath.Join(logs, "evtx-schannel-adfs.zip")
	saved := filepath.Join(t.TempDir(), "report.json")
	code, _, stderr := sfblog(t, "", "analyze", "-o", saved, zip)
	require.Equal(t, 0, code, stderr)
	_, direct, _ := sfblog(t, "", "analyze", "-f", "markdown", zip)
	code, converted, stderr := sfblog(t, "", "report", "-f", "markdown", saved)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, direct, converted)

	data, err := os.ReadFile(saved)
	require.NoError(t, err)
	code, fromStdin, _ := sfblog(t, string(data), "report", "-f", "json", "-")
	require.Equal(t, 0, code)
	assert.Equal(t, string(data), fromStdin, "JSON round-trips byte for byte")

	code, _, stderr = sfblog(t, `{"schema_version": 1, "bogus": true}`, "report", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "not an sfblog JSON report")
}

// TestReportBadInput: report reads one report of bounded size. Another
// value after it, or more bytes than its limit (white space included:
// decoding would hold it all), is a usage error naming the file; white
// space after the report is not. The limit of these cases is three times
// the report (readReport's; the command's is maxReport, 32 MiB, which
// the race detector takes minutes to decode).
func TestReportBadInput(t *testing.T) {
	code, saved, stderr := sfblog(t, "", "analyze", "-f", "json", filepath.Join(logs, "clock-skew.zip"))
	require.Equal(t, 0, code, stderr)
	end := len(strings.TrimRight(saved, "\n"))
	limit := int64(3 * len(saved))
	tests := []struct {
		name, in string
		want     string // the error; "" for success
	}{
		{"white space after", saved + "\n\n  \t\n", ""},
		{"two reports", saved + saved, fmt.Sprintf("not an sfblog JSON report: more than white space after the report, which ends at byte %d", end)},
		{"text after", saved + "sfblog: done\n", "more than white space after the report"},
		{"too large", strings.Repeat(" ", int(limit)+1), fmt.Sprintf("more than %d bytes: not a report sfblog writes", limit)},
		{"too large after a report", saved + strings.Repeat(" ", 2*len(saved)+1), "more than"},
		{"cut short", saved[:len(saved)/2], "not an sfblog JSON report: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := readReport(strings.NewReader(tt.in), limit)
			if tt.want == "" {
				require.NoError(t, err)
				assert.NotNil(t, r)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	// Through the command: exit 2, the error naming the input.
	code, out, stderr := sfblog(t, saved+saved, "report", "-f", "json", "-")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Equal(t, fmt.Sprintf("sfblog: -: not an sfblog JSON report: more than white space after the report, which ends at byte %d\n", end), stderr)
	code, out, stderr = sfblog(t, saved+"\n\n", "report", "-f", "json", "-")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, saved, out)
	// The command's own limit, in MiB.
	_, err := readReport(strings.NewReader(strings.Repeat(" ", 2<<20+1)), 2<<20)
	assert.EqualError(t, err, "more than 2 MiB: not a report sfblog writes (they stay under a few MiB)")
}
