package certutil

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/textenc"
	"github.com/sfblog/sfblog/parsers/internal/parsertest"
)

var update = flag.Bool("update", false, "update golden files")

func read(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	r, _, err := textenc.NewReader(f)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return b
}

func parse(t *testing.T, b []byte) ([]event.Event, []event.Problem) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "cert.txt", bytes.NewReader(b), func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	require.NoError(t, err)
	return evs, problems
}

// want is what a test checks of one event.
type want struct {
	Line, EndLine int
	Fields        map[string]string
}

func got(evs []event.Event) []want {
	var out []want
	for _, ev := range evs {
		out = append(out, want{Line: ev.Line, EndLine: ev.EndLine, Fields: ev.Fields})
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		file string
		want bool
	}{
		{"store_user_my.txt", true},
		{"store_trustedpeople_en-GB.txt", true},
		{"store_my_de-DE.txt", true},
		{"store_empty.txt", true},
		{"verify_chaining_offline.txt", true},
		{"verify_urlfetch_ok.txt", true},
		{"verify_urlfetch_failed_adfs.txt", true},
		{"note.txt", false},     // quotes "Issuer:" and "Subject:"
		{"settings.ini", false}, // an .ini with Issuer= and Serial Number=
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			assert.Equal(t, tt.want, Detect(read(t, tt.file)))
		})
	}
	assert.False(t, Detect([]byte("The error was: CertUtil: -verify command FAILED: 0x800b010a\n")))
	assert.False(t, Detect(nil))
}

func TestStore(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"store_user_my.txt", []want{
			{Line: 3, EndLine: 14, Fields: map[string]string{
				"cert.tool": "certutil-store", "cert.store": "My",
				"cert.serial": "2c6e1a9f0b3d4e5f8a7b6c5d4e3f2a1b", "cert.issuer": "CN=Communications Server",
				"cert.subject": "CN=bob@contoso.com", "cert.self_signed": "false",
				"cert.not_before": "2017-06-14T09:00:00Z", "cert.not_after": "2017-12-14T09:00:00Z",
				"cert.thumbprint": "9f3c2d1e0a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9"}},
			// 8/2/2016: 8 February or 2 August, kept as written.
			{Line: 16, EndLine: 29, Fields: map[string]string{
				"cert.tool": "certutil-store", "cert.store": "My",
				"cert.serial": "5a3820df9ba8f2ac417b47056047898e",
				"cert.issuer": "DC=Windows Azure CRP Certificate Generator", "cert.subject": "DC=Windows Azure CRP Certificate Generator",
				"cert.self_signed": "true", "cert.not_before": "8/2/2016 10:59 PM", "cert.not_after": "8/2/2017 10:59 PM",
				"cert.thumbprint": "5f3779d4d2e353546583cfeb1f133176801544a3"}},
		}},
		{"store_trustedpeople_en-GB.txt", []want{{Line: 3, EndLine: 17, Fields: map[string]string{
			"cert.tool": "certutil-store", "cert.store": "TrustedPeople",
			"cert.serial": "fde7036eca21f0a44c22e67119e3fc58", "cert.issuer": `CN=LEGION\mitja`, "cert.subject": `CN=LEGION\mitja`,
			"cert.self_signed": "true", "cert.not_before": "2024-09-21T08:52:00Z", "cert.not_after": "2050-12-12T00:00:00Z",
			"cert.thumbprint": "47d27c80b9642882318f41fca5a8fda2c24675ac"}}}},
		{"store_my_de-DE.txt", []want{{Line: 2, EndLine: 16, Fields: map[string]string{
			"cert.tool": "certutil-store", "cert.store": "my",
			"cert.serial": "3aa837d2cf1289b241b9ee87a5474b4f", "cert.issuer": "CN=myDemoCA", "cert.subject": "CN=myDemoCA",
			"cert.self_signed": "true", "cert.not_before": "2021-08-10T14:14:00Z", "cert.not_after": "2026-08-10T14:22:00Z",
			"cert.thumbprint": "19f647a3f4e60eabc126d73ef1ef6e9f84224997"}}}},
		{"store_empty.txt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			evs, problems := parse(t, read(t, tt.file))
			assert.Empty(t, problems)
			assert.Equal(t, tt.want, got(evs))
			for _, ev := range evs {
				assert.Equal(t, event.SourceCert, ev.Source)
				assert.Equal(t, event.KindCert, ev.Kind)
				assert.True(t, strings.HasPrefix(ev.Text, "================ Certificate "), ev.Text)
				assert.NotContains(t, ev.Text, "\r")
				assert.NotContains(t, ev.Text, "CertUtil:")
			}
		})
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		// A partial chain and an offline revocation server; certutil still
		// ends "completed successfully". The chain summary decides.
		{"verify_chaining_offline.txt", []want{{Line: 1, EndLine: 63, Fields: map[string]string{
			"cert.tool": "certutil-verify", "cert.result": "error",
			"cert.error":       "0x800b010a",
			"cert.error.text":  "CERT_E_CHAINING: A certificate chain could not be built to a trusted root authority.",
			"cert.subject":     "CN=DC-PRIME.compasshealthcenter.net",
			"cert.issuer":      "CN=dc-prime.compasshealthcenter.net, DC=compasshealthcenter, DC=net",
			"cert.self_signed": "false", "cert.serial": "1200000002e7565ff3f4f3b9d0000000000002",
			"cert.thumbprint": "092eb7929b8eac83c44c3ae8e71b0034e176c23b",
			"cert.not_before": "7/1/2021 9:44 AM", "cert.not_after": "7/1/2022 9:44 AM",
			"cert.host": "dc-prime.compasshealthcenter.net"}}}},
		// -urlfetch (the AIA/CDP/OCSP sections), a CA certificate, all good.
		{"verify_urlfetch_ok.txt", []want{{Line: 1, EndLine: 87, Fields: map[string]string{
			"cert.tool": "certutil-urlfetch", "cert.result": "ok",
			"cert.subject": "CN=Issuing CA, DC=###, DC=###, DC=###", "cert.issuer": "CN=RootCA, DC=###, DC=###, DC=###",
			"cert.self_signed": "false", "cert.serial": "2b00000007f3c3bf591575b554000000000007",
			"cert.thumbprint": "05ccadb7ce4f6f1c92eedb59748163a7532037dd",
			"cert.not_before": "2022-09-09T10:34:00Z", "cert.not_after": "9/8/2027 10:34 AM"}}}}, // 8 September or 9 August
		// -verify command FAILED: its code decides, the next CertUtil: line is its text.
		{"verify_urlfetch_failed_adfs.txt", []want{{Line: 2, EndLine: 68, Fields: map[string]string{
			"cert.tool": "certutil-urlfetch", "cert.result": "error",
			"cert.error":      "0x800b010a",
			"cert.error.text": "CERT_E_CHAINING: A certificate chain could not be built to a trusted root authority.",
			"cert.subject":    "CN=adfs.contoso.com", "cert.issuer": "CN=Contoso Issuing CA 1, DC=contoso, DC=com",
			"cert.self_signed": "false", "cert.serial": "6b1f5c0a2e9d4b8843a7c2d1e0f9a8b7",
			"cert.thumbprint": "8a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4",
			"cert.not_before": "2017-06-14T09:00:00Z", "cert.not_after": "2018-06-14T09:00:00Z",
			"cert.host": "adfs.contoso.com"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := read(t, tt.file)
			evs, problems := parse(t, b)
			assert.Empty(t, problems)
			assert.Equal(t, tt.want, got(evs))
			for _, ev := range evs {
				assert.True(t, strings.HasSuffix(ev.Text, strings.TrimRight(lastLine(b), " \r")), "Text ends with certutil's last line")
				assert.NotContains(t, ev.Text, "\r")
			}
		})
	}
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimRight(string(b), "\r\n"), "\n")
	return lines[len(lines)-1]
}

func TestVerifyVariants(t *testing.T) {
	const head = "Issuer:\n    CN=adfs.contoso.com\nSubject:\n    CN=adfs.contoso.com\nCert Serial Number: 01\n\n"
	const leaf = "CertContext[0][0]: dwInfoStatus=10c dwErrorStatus=20\n" +
		"  Issuer: CN=adfs.contoso.com\n  Subject: CN=adfs.contoso.com\n  Serial: 01\n" +
		"  Cert: 8A 1B 2C 3D 4E 5F 60 71 82 93 A4 B5 C6 D7 E8 F9 01 A2 B3 C4\n" +
		"  Element.dwInfoStatus = CERT_TRUST_IS_SELF_SIGNED (0x8)\n\n"
	tests := []struct {
		name   string
		in     string
		fields map[string]string
	}{
		{"self-signed, untrusted root", head + leaf +
			"A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider. 0x800b0109 (-2146762487 CERT_E_UNTRUSTEDROOT)\n" +
			"------------------------------------\nCertUtil: -verify command completed successfully.\n",
			map[string]string{"cert.tool": "certutil-verify", "cert.result": "error", "cert.error": "0x800b0109",
				"cert.error.text": "CERT_E_UNTRUSTEDROOT: A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.",
				"cert.subject":    "CN=adfs.contoso.com", "cert.issuer": "CN=adfs.contoso.com", "cert.self_signed": "true",
				"cert.serial": "01", "cert.thumbprint": "8a1b2c3d4e5f60718293a4b5c6d7e8f901a2b3c4", "cert.host": "adfs.contoso.com"}},
		{"revocation offline only", head +
			"ERROR: Verifying leaf certificate revocation status returned The revocation function was unable to check revocation because the revocation server was offline. 0x80092013 (-2146885613 CRYPT_E_REVOCATION_OFFLINE)\n" +
			"CertUtil: The revocation function was unable to check revocation because the revocation server was offline.\n\n" +
			"CertUtil: -verify command completed successfully.\n",
			map[string]string{"cert.tool": "certutil-verify", "cert.result": "error", "cert.error": "0x80092013",
				"cert.error.text": "CRYPT_E_REVOCATION_OFFLINE: Verifying leaf certificate revocation status returned The revocation function was unable to check revocation because the revocation server was offline.",
				"cert.subject":    "CN=adfs.contoso.com", "cert.issuer": "CN=adfs.contoso.com", "cert.self_signed": "true",
				"cert.serial": "01", "cert.host": "adfs.contoso.com"}},
		{"failed without a name or a text", head + "CertUtil: -verify command FAILED: 0x80092012 (-2146885614)\n",
			map[string]string{"cert.tool": "certutil-verify", "cert.result": "error", "cert.error": "0x80092012",
				"cert.subject": "CN=adfs.contoso.com", "cert.issuer": "CN=adfs.contoso.com", "cert.self_signed": "true",
				"cert.serial": "01", "cert.host": "adfs.contoso.com"}},
		{"passed, user certificate", "Issuer:\n    CN=Communications Server\nSubject:\n    CN=bob@contoso.com\nCert Serial Number: 0a\n" +
			"Cert is an End Entity certificate\nLeaf certificate revocation check passed\nCertUtil: -verify command completed successfully.\n",
			map[string]string{"cert.tool": "certutil-verify", "cert.result": "ok", "cert.subject": "CN=bob@contoso.com",
				"cert.issuer": "CN=Communications Server", "cert.self_signed": "false", "cert.serial": "0a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems := parse(t, []byte(tt.in))
			assert.Empty(t, problems)
			require.Len(t, evs, 1)
			assert.Equal(t, tt.fields, evs[0].Fields)
			assert.Equal(t, 1, evs[0].Line)
		})
	}
}

func TestSeveralOutputsInOneFile(t *testing.T) {
	var all []byte
	for _, name := range []string{"store_user_my.txt", "verify_chaining_offline.txt", "store_empty.txt", "verify_urlfetch_failed_adfs.txt", "store_my_de-DE.txt"} {
		all = append(all, read(t, name)...)
		all = append(all, "\r\n"...)
	}
	evs, problems := parse(t, all)
	assert.Empty(t, problems)
	var tools []string
	for _, ev := range evs {
		tools = append(tools, ev.Get("cert.tool")+":"+ev.Get("cert.result"))
	}
	assert.Equal(t, []string{"certutil-store:", "certutil-store:", "certutil-verify:error", "certutil-urlfetch:error", "certutil-store:"}, tools)
	assert.Equal(t, "my", evs[4].Get("cert.store"))
}

func TestProblems(t *testing.T) {
	// A -verify output cut before its end, a lone result, a damaged
	// certificate block: problems, no evidence.
	in := "Issuer:\n    CN=x\nCert Serial Number: 01\nCertContext[0][0]: dwInfoStatus=0 dwErrorStatus=0\n" +
		"C:\\>certutil -store My\nMy \"Personal\"\n================ Certificate 0 ================\nSerial Number: 01\nSigned by nobody\n" +
		"================ Certificate 1 ================\nSubject: CN=y\nCert Hash(sha1): 12 34\n" +
		"CertUtil: -store command completed successfully.\n" +
		"C:\\>echo\nsomething happened\nCertUtil: -verify command FAILED: 0x800b010a (-2146762486 CERT_E_CHAINING)\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, evs)
	want := map[int]string{
		1:  "without its final",
		7:  "without a Subject or a Cert Hash",
		10: "malformed Cert Hash",
		15: "without the certificate it is about",
	}
	require.Len(t, problems, len(want), "%v", problems)
	for _, p := range problems {
		assert.Contains(t, p.Msg, want[p.Line], "line %d", p.Line)
	}
}

func TestNearMissesEmitNothing(t *testing.T) {
	for _, name := range []string{"note.txt", "settings.ini"} {
		evs, problems := parse(t, read(t, name))
		assert.Empty(t, evs, name)
		assert.Empty(t, problems, name)
	}
}

func TestLineEndings(t *testing.T) {
	lf := read(t, "verify_chaining_offline.txt")
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	a, _ := parse(t, lf)
	b, _ := parse(t, crlf)
	assert.Equal(t, got(a), got(b))
	assert.Equal(t, a[0].Text, b[0].Text)
}

func TestEmitErrorAndCancel(t *testing.T) {
	stop := errors.New("stop")
	_, err := Parse(context.Background(), "x", bytes.NewReader(read(t, "store_user_my.txt")), func(event.Event) error { return stop })
	require.ErrorIs(t, err, stop)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Parse(ctx, "x", strings.NewReader(strings.Repeat("\n", 2*ctxEvery)), func(event.Event) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, fixtures)
	for _, fixture := range fixtures {
		name := filepath.Base(fixture)
		t.Run(name, func(t *testing.T) {
			evs, problems := parse(t, read(t, name))
			parsertest.Golden(t, name, parsertest.Render(t, evs, problems), *update)
		})
	}
}

func TestVerifyLocalized(t *testing.T) {
	// Shape of a zh-CN "certutil -urlfetch -verify" (a public blog post):
	// the header and the verdict lines are translated, the chain dump and
	// the codes are not.
	in := "颁发者:\n    CN=E6\n    O=Let's Encrypt\n    C=US\n  名称哈希(sha1): d47a388041e8e98d07387cecf6b6d8f20fa56431\n" +
		"使用者:\n    CN=gofile.io\n" +
		"CertContext[0][0]: dwInfoStatus=102 dwErrorStatus=1000040\n" +
		"  Issuer: CN=E6, O=Let's Encrypt, C=US\n  NotBefore: 2025-05-26 02:32\n  NotAfter: 2025-08-24 02:32\n" +
		"  Subject: CN=gofile.io\n  Serial: 059aaba7647317e84d630d869c611fc7acaa\n" +
		"  SubjectAltName: DNS Name=*.gofile.io, DNS Name=gofile.io\n  Cert: 529a16f685face3d0845db74184a950544fb2e25\n\n" +
		"由于吊销服务器已脱机，吊销功能无法检查吊销。 0x80092013 (-2146885613 CRYPT_E_REVOCATION_OFFLINE)\n" +
		"------------------------------------\n跳过了吊销检查 -- 服务器脱机\n证书是一个最终实体证书\n\n" +
		"CertUtil: -verify 命令成功完成。\n"
	evs, problems := parse(t, []byte(in))
	assert.Empty(t, problems)
	require.Len(t, evs, 1)
	assert.Equal(t, map[string]string{"cert.tool": "certutil-verify", "cert.result": "error", "cert.error": "0x80092013",
		"cert.error.text": "CRYPT_E_REVOCATION_OFFLINE: 由于吊销服务器已脱机，吊销功能无法检查吊销。",
		"cert.subject":    "CN=gofile.io", "cert.issuer": "CN=E6, O=Let's Encrypt, C=US", "cert.self_signed": "false",
		"cert.serial": "059aaba7647317e84d630d869c611fc7acaa", "cert.thumbprint": "529a16f685face3d0845db74184a950544fb2e25",
		"cert.not_before": "2025-05-26T02:32:00Z", "cert.not_after": "2025-08-24T02:32:00Z", "cert.host": "gofile.io"}, evs[0].Fields)
}
