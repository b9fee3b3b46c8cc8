package parsers

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDescribe: the files a support bundle holds besides logs are named,
// by their first bytes, or by their name when they have no magic (.etl);
// anything else is not.
func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		name, head, want string
	}{
		{"error.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"},
		{"photo.JPG", "\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"},
		{"mail.msg", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "Outlook message"},
		{"Lync.dmp", "MDMP\x93\xa7", "a Windows crash dump"},
		{"trace.pcapng", "\x0a\x0d\x0d\x0a\x1c\x00", "pcapng"},
		{`Tracing\Lync-0.ETL`, "\x00\x00\x01\x00\x02", "an ETL trace"},
		{"x.pdf", "%PDF-1.7\n%\xe2\xe3", "a PDF document"},
		{"x.bin", "\x00\x01\x02\x03", ""},         // unknown binary
		{"png.bin", "PNG is an image format", ""}, // the word, not the magic
		{"etl.txt", "\x00\x01", ""},               // the name's extension, not a part of it
	} {
		assert.Contains(t, Describe(c.name, []byte(c.head)), c.want, c.name)
		if c.want == "" {
			assert.Empty(t, Describe(c.name, []byte(c.head)), c.name)
		}
	}
}

// TestSidecar: the locale metadata Event Viewer and wevtutil archive-log
// write beside an exported event log is known by its name; an .mta file
// elsewhere with another name is not.
func TestSidecar(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{
		{`Logs\LocaleMetaData\Application_1033.MTA`, true},
		{"bundle.zip!/Logs/LocaleMetaData/System_1041.MTA", true},
		{"LocaleMetaData/Application.mta", true},
		{"Application_1033.MTA", true},
		{"Cluster_2052.mta", true},
		{"LocaleMetaData/Application_1033.evtx", false},
		{"notes.mta", false},
		{"mta_1033.txt", false},
		{"x_12.MTA", false},
	} {
		got := Sidecar(c.name)
		if c.want {
			assert.Contains(t, got, "LocaleMetaData", c.name)
		} else {
			assert.Empty(t, got, c.name)
		}
	}
}
