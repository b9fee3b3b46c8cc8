package mask

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanLog is UccApilog-like text without any keyword of the prefilter.
var cleanLog = strings.Repeat(
	"10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: End of Data Received -198.51.100.21:443 (To Local Address: 10.0.4.15:56632) 1096 bytes\r\n"+
		"Via: SIP/2.0/TLS 10.0.4.15:56632;branch=z9hG4bK8680AE1A;ms-received-port=56632;ms-received-cid=87400\r\n"+
		"From: <sip:bob@contoso.com>;tag=6705176eed;epid=a8716485d4\r\n"+
		"Call-ID: 112629f5c5f346b09e647523d70ea03b\r\n", 256)

// secretLog is the same with an authentication header in every block.
var secretLog = strings.Repeat(
	"10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: End of Data Received -198.51.100.21:443 (To Local Address: 10.0.4.15:56632) 1096 bytes\r\n"+
		"Authentication-Info: TLS-DSK qop=\"auth\", opaque=\"F755045D\", srand=\"1D9666D9\", snum=\"17\", rspauth=\"3359c8ac2e6229b2eb9738ac707dc8c3e54f65f0\", targetname=\"sippoolbl20a05.infra.lync.com\", realm=\"SIP Communications Service\", version=4\r\n"+
		"From: <sip:bob@contoso.com>;tag=6705176eed;epid=a8716485d4\r\n"+
		"Call-ID: 112629f5c5f346b09e647523d70ea03b\r\n", 256)

func BenchmarkSecretsClean(b *testing.B) {
	b.SetBytes(int64(len(cleanLog)))
	b.ReportAllocs()
	for b.Loop() {
		if Secrets(cleanLog) != cleanLog {
			b.Fatal("clean text changed")
		}
	}
}

func BenchmarkSecretsCleanLine(b *testing.B) {
	line := "10/09/2017|14:14:27.866 3E8C:3A50 INFO  :: End of Data Received -198.51.100.21:443 (To Local Address: 10.0.4.15:56632) 1096 bytes"
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		Secrets(line)
	}
}

func BenchmarkSecretsAuthHeaders(b *testing.B) {
	b.SetBytes(int64(len(secretLog)))
	b.ReportAllocs()
	for b.Loop() {
		Secrets(secretLog)
	}
}

// BenchmarkSecretsHealthyLog masks the largest sample client log whole:
// about 5,000 lines of SIP traffic full of authentication headers.
func BenchmarkSecretsHealthyLog(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(casesDir, "healthy-signin", "bundle", "Tracing", "Lync-UccApi-0.UccApilog"))
	if err != nil {
		b.Fatal(err)
	}
	s := string(data)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Secrets(s)
	}
}

// BenchmarkSecrets1MB masks 1 MB of UccApilog text: the healthy sample log
// (SIP traffic with authentication headers, SOAP bodies, cookies) repeated.
func BenchmarkSecrets1MB(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(casesDir, "healthy-signin", "bundle", "Tracing", "Lync-UccApi-0.UccApilog"))
	if err != nil {
		b.Fatal(err)
	}
	s := strings.Repeat(string(data), 1<<20/len(data)+1)[:1<<20]
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Secrets(s)
	}
}
