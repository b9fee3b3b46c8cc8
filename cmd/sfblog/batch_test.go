package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBatch(t *testing.T) {
	bundles := []string{
		filepath.Join(logs, "sip-not-enabled.zip"),
		filepath.Join(logs, "healthy-signin.zip"),
		filepath.Join(t.TempDir(), "missing.zip"),
		filepath.Join(logs, "two-users.zip"),
	}
	code, out, stderr := sfblog(t, "", append([]string{"batch", "-j", "2", "--fail-on", "error"}, bundles...)...)
	assert.Equal(t, 1, code, "a finding at --fail-on in one bundle: %s", stderr)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(bundles), "one line per bundle")
	for i, l := range lines {
		var got batchLine
		require.NoError(t, json.Unmarshal([]byte(l), &got), l)
		assert.Equal(t, bundles[i], got.Bundle, "the order of the arguments")
		switch i {
		case 0:
			require.NotNil(t, got.Report)
			require.Len(t, got.Report.Findings, 1)
			assert.Equal(t, "SFB-SIP-NOT-ENABLED", got.Report.Findings[0].ID)
		case 1:
			require.NotNil(t, got.Report)
			assert.Empty(t, got.Report.Findings)
			assert.Equal(t, "succeeded", got.Report.SignIn.Outcome)
		case 2:
			assert.NotEmpty(t, got.Error)
		case 3:
			require.NotNil(t, got.Report)
			assert.Len(t, got.Report.Groups, 2, "two users are two groups, never one verdict")
		}
	}
	assert.Contains(t, stderr, "missing.zip")

	code, out, _ = sfblog(t, "", "batch", filepath.Join(t.TempDir(), "nothing.zip"))
	assert.Equal(t, 2, code, "no bundle could be read")
	assert.Contains(t, out, `"error"`)
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"4GiB": 4 << 30, "512MiB": 512 << 20, "100MB": 100e6, "64k": 64 << 10, "1000": 1000, "1.5G": 3 << 29} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "lots", "-1G", "GiB"} {
		_, err := parseSize(bad)
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "4GiB", formatSize(4<<30))
	code, _, stderr := sfblog(t, "", "analyze", "--max-bytes", "lots", filepath.Join(logs, "sip-not-enabled.zip"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--max-bytes")
	code, out, _ := sfblog(t, "", "analyze", "-f", "json", "--max-bytes", "100KB", filepath.Join(logs, "healthy-signin.zip"))
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "decompression budget", "the input over budget is named in the report")
}
