package hostile

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/encoding/japanese"
)

// logLine formats one client-log line: "MM/DD/YYYY|HH:MM:SS.mmm PID:TID
// LEVEL :: text", the level padded to five characters.
func logLine(n int, level, text string) string {
	ms := int64(n) * 7 // 7 ms apart
	return fmt.Sprintf("01/15/2024|%02d:%02d:%02d.%03d 1F68:C14 %-5s :: %s\r\n",
		10+ms/3_600_000%14, ms/60_000%60, ms/1000%60, ms%1000, level, text)
}

// sipStart is the first line of a received SIP block and the message's
// status line, the way the client logs them.
func sipStart(n, bytes int) string {
	return logLine(n, "INFO", fmt.Sprintf("Data Received - 198.51.100.21:443 (To Local Address: 10.0.4.15:50048) %d bytes:", bytes))
}

func sipEnd(n, bytes int) string {
	return logLine(n, "INFO", fmt.Sprintf("End of Data Received - 198.51.100.21:443 (To Local Address: 10.0.4.15:50048) %d bytes", bytes))
}

// logHeader is the start of every generated client log.
func logHeader() string {
	return logLine(0, "INFO", "CUccPlatform::Initialize - UCCAPI/16.0.4717.1000 platform initialized") +
		logLine(1, "INFO", "CUccServerEndpoint::Enable - Starting sign-in for sip:bob@contoso.com")
}

// FoldedHeaders is a client log with one received 401 whose
// WWW-Authenticate header is folded over lines continuation lines (RFC
// 3261 §7.3.1: a line that starts with white space continues the header
// before it), then an ordinary error line.
func FoldedHeaders(lines int) []byte {
	var b strings.Builder
	b.WriteString(logHeader())
	b.WriteString(sipStart(2, lines*24))
	b.WriteString(logLine(2, "INFO", "SIP/2.0 401 Unauthorized"))
	b.WriteString("From: <sip:bob@contoso.com>;tag=82b797459a;epid=9dc588a8e2\r\n")
	b.WriteString("Call-ID: ba654da3ffbe3ecfb3744d01a161caa9\r\n")
	b.WriteString("CSeq: 2 REGISTER\r\n")
	b.WriteString(`WWW-Authenticate: NTLM realm="SIP Communications Service"`)
	for i := range lines {
		fmt.Fprintf(&b, ",\r\n p%06d=\"%08x\"", i, uint32(i)*2654435761)
	}
	b.WriteString("\r\nContent-Length: 0\r\n\r\n")
	b.WriteString(sipEnd(3, lines*24))
	b.WriteString(logLine(4, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	return []byte(b.String())
}

// UnterminatedBlocks is a client log of blocks SIP blocks that are never
// closed: each has its start marker and a few header lines, but neither
// the blank line that ends a SIP message nor the "End of Data Received"
// marker, as a client that crashed mid-write, a cut log or a hostile one
// leaves them.
func UnterminatedBlocks(blocks int) []byte {
	var b strings.Builder
	b.WriteString(logHeader())
	for i := range blocks {
		n := 2 + i
		b.WriteString(sipStart(n, 486))
		b.WriteString(logLine(n, "INFO", "SIP/2.0 403 Forbidden"))
		fmt.Fprintf(&b, "Call-ID: %032x\r\n", uint64(i)*0x9E3779B97F4A7C15)
		fmt.Fprintf(&b, "CSeq: %d REGISTER\r\n", i+1)
		b.WriteString("ms-diagnostics-public: 4004;reason=\"Credentials provided are not authorized to act as specified from URI\"\r\n")
	}
	b.WriteString(logLine(2+blocks, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	return []byte(b.String())
}

// ControlNames are zip entry names made of terminal control sequences:
// colours, an OSC window title and hyperlink, BEL, backspaces, CR, and LF
// that forge a line of sfblog's own output, and NUL.
var ControlNames = []string{
	"Tracing/\x1b[31mred\x1b[0m-Lync-UccApi-0.UccApilog",
	"notes-\x1b]0;pwned title\x07.txt",
	"link-\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\.txt",
	"bell\x07\x07\x07.txt",
	"erase\b\b\b\b\bsafe.txt",
	"overwrite.txt\rsfblog: all inputs read, no problem found",
	"forged.txt\nsfblog: analysis complete: no sign-in problem found\n",
	"nul\x00name.txt",
	"\x1b[2J\x1b[Hclear-screen.txt",
}

// ControlContent is a client log whose lines carry the same control
// sequences in their texts, a run of NULs, and a line that forges sfblog
// output after a bare LF.
func ControlContent() []byte {
	var b bytes.Buffer
	b.WriteString(logHeader())
	b.WriteString(logLine(2, "ERROR", "CUccServerEndpoint::OnRegisterComplete - \x1b[31mSign-in failed\x1b[0m\x1b]0;owned\x07, hr=0x8004c1fb"))
	b.WriteString(logLine(3, "ERROR", "CUccUIMessage - Cannot sign in\rsfblog: no problem found\x1b[K"))
	b.WriteString(logLine(4, "ERROR", "CUccUIMessage - Cannot sign in\nsfblog: error: none, all good\x07"))
	b.Write(bytes.Repeat([]byte{0}, 4096))
	b.WriteString(logLine(5, "ERROR", "CUccUIMessage - after the NUL run: \x1b]8;;https://evil.example/\x1b\\Click here\x1b]8;;\x1b\\ \x9b31m C1 CSI"))
	b.WriteString(logLine(6, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x80ee0058"))
	return b.Bytes()
}

// ControlChars is a zip with one entry per name of ControlNames, each
// holding ControlContent.
func ControlChars() []byte {
	z := newZipWriter()
	content := ControlContent()
	for _, n := range ControlNames {
		z.add(n, content, false)
	}
	return z.bytes()
}

// CrashedLog is a client log with a NUL run of n bytes after its first
// lines, where a crash left the unflushed part of the file, then the lines
// of the next session.
func CrashedLog(n int) []byte {
	var b bytes.Buffer
	b.WriteString(logHeader())
	b.WriteString(logLine(2, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	b.Write(bytes.Repeat([]byte{0}, n))
	b.WriteString(logHeader())
	b.WriteString(logLine(3, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	return b.Bytes()
}

// BlankLines is a client log whose first lines are followed by n blank
// lines (CRLF), then an error line: a flood of lines that each cost the
// line reader a table entry and nothing else.
func BlankLines(n int) []byte {
	var b bytes.Buffer
	b.WriteString(logHeader())
	b.Write(bytes.Repeat([]byte("\r\n"), n))
	b.WriteString(logLine(3, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	return b.Bytes()
}

// JapaneseNoteText is the note that ShiftJISNote encodes: what a Japanese
// user types, with the error text the Japanese client shows.
const JapaneseNoteText = "サインインできません。\r\n" +
	"エラー メッセージ: 「サインイン アドレスが見つかりませんでした」\r\n" +
	"昨日から発生しています。PC を再起動しても同じです。\r\n"

// ShiftJISNote is JapaneseNoteText in Shift_JIS (code page 932), as
// Notepad on Japanese Windows long saved it, encoded by golang.org/x/text.
func ShiftJISNote() []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(JapaneseNoteText))
	if err != nil {
		panic(fmt.Sprintf("hostile: JapaneseNoteText is not Shift_JIS: %v", err)) // a constant: cannot happen
	}
	return b
}

// Secrets is a client log with secrets planted where real logs and pastes
// carry them, and the planted values that must never reach a report:
// TLS-DSK opaque, crand/cnum, srand/snum, response and rspauth on folded
// continuation lines; a repeated WWW-Authenticate with gssapi-data; OAuth
// and WS-Federation values in URLs and bodies (#access_token=,
// client_assertion=, code=, SAMLResponse=, wresult=, /cwt=); a JWT inside
// <wst:RequestedSecurityToken>; a PEM private key; "token: eyJ…" and
// "password: …" lines; headers whose names say secret (X-MS-Password,
// X-Access-Token) and a Cookie header folded over two lines; a quoted
// password after the word, a password attribute of a secret element and
// a phone's sign-in PIN.
func Secrets() (log []byte, planted []string) {
	rng := rand.New(rand.NewPCG(9, 6))
	hex := func(n int) string {
		const digits = "0123456789abcdef"
		b := make([]byte, n)
		for i := range b {
			b[i] = digits[rng.IntN(16)]
		}
		return string(b)
	}
	raw := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	b64 := func(n int) string { return base64.StdEncoding.EncodeToString(raw(n)) }
	b64url := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	jwt := func() string {
		return b64url(`{"alg":"RS256","typ":"JWT","x5t":"`+hex(16)+`"}`) + "." +
			b64url(`{"aud":"https://webdir.online.lync.com","iss":"https://sts.windows.net/`+hex(8)+`/","upn":"bob@contoso.com","nonce":"`+hex(12)+`"}`) + "." +
			base64.RawURLEncoding.EncodeToString(raw(64))
	}
	keep := func(s string) string { planted = append(planted, s); return s }

	opaque, crand, cnum := keep(strings.ToUpper(hex(8))), keep(hex(8)), keep("7"+hex(3))
	response, srand, snum, rspauth := keep(hex(40)), keep(strings.ToUpper(hex(8))), keep("9"+hex(3)), keep(hex(40))
	gssapi := keep(b64(120))
	accessToken, assertion, code := keep(jwt()), keep(jwt()), keep("0.A"+b64url(string(raw(60))))
	saml, wresult, cwt := keep(b64(180)), keep(b64(90)), keep("AAEAH"+b64url(string(raw(48))))
	stsJWT, tokenLine, password := keep(jwt()), keep(jwt()), keep("Winter2024!"+hex(4))
	headerPassword, headerToken := keep("Spring2025?"+hex(4)), keep(hex(32))
	cookie1, cookie2 := keep(b64(24)), keep(b64(24))
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: raw(1216)})
	keep(strings.Split(string(key), "\n")[1]) // the first line of the key
	quoted, attr, pin := keep("Autumn2023#"+hex(4)), keep("Summer2022$"+hex(4)), keep("4"+fmt.Sprint(10000+rng.IntN(90000)))

	var b strings.Builder
	b.WriteString(logHeader())
	b.WriteString(logLine(2, "INFO", "Sending Packet - 198.51.100.21:443 (From Local Address: 10.0.4.15:50048) 1021 bytes:"))
	b.WriteString(logLine(2, "INFO", "REGISTER sip:contoso.com SIP/2.0"))
	b.WriteString("From: <sip:bob@contoso.com>;tag=82b797459a;epid=9dc588a8e2\r\nCSeq: 3 REGISTER\r\n")
	fmt.Fprintf(&b, "Authorization: TLS-DSK qop=\"auth\", realm=\"SIP Communications Service\",\r\n opaque=\"%s\", crand=\"%s\",\r\n\tcnum=\"%s\", targetname=\"sippoolbl20a05.infra.lync.com\",\r\n response=\"%s\", version=4\r\n", opaque, crand, cnum, response)
	b.WriteString("Content-Length: 0\r\n\r\n")
	b.WriteString(logLine(3, "INFO", "End of Sending Packet - 198.51.100.21:443 (From Local Address: 10.0.4.15:50048) 1021 bytes"))
	b.WriteString(sipStart(4, 1200))
	b.WriteString(logLine(4, "INFO", "SIP/2.0 401 Unauthorized"))
	b.WriteString("WWW-Authenticate: NTLM realm=\"SIP Communications Service\", targetname=\"sippoolbl20a05.infra.lync.com\", version=4\r\n")
	fmt.Fprintf(&b, "WWW-Authenticate: NTLM opaque=\"%s\", gssapi-data=\"%s\", targetname=\"sippoolbl20a05.infra.lync.com\", realm=\"SIP Communications Service\", version=4\r\n", opaque, gssapi)
	fmt.Fprintf(&b, "WWW-Authenticate: TLS-DSK opaque=\"%s\",\r\n gssapi-data=\"%s\", version=4\r\n", opaque, gssapi)
	b.WriteString("Content-Length: 0\r\n\r\n")
	b.WriteString(sipEnd(5, 1200))
	b.WriteString(sipStart(6, 600))
	b.WriteString(logLine(6, "INFO", "SIP/2.0 200 OK"))
	fmt.Fprintf(&b, "Authentication-Info: TLS-DSK qop=\"auth\", opaque=\"%s\",\r\n srand=\"%s\", snum=\"%s\",\r\n rspauth=\"%s\", targetname=\"sippoolbl20a05.infra.lync.com\", realm=\"SIP Communications Service\", version=4\r\n", opaque, srand, snum, rspauth)
	fmt.Fprintf(&b, "X-MS-Password: %s\r\nX-Access-Token: %s\r\nCookie: MSISAuth=%s;\r\n MSISAuth1=%s\r\n", headerPassword, headerToken, cookie1, cookie2)
	b.WriteString("Content-Length: 0\r\n\r\n")
	b.WriteString(sipEnd(7, 600))
	b.WriteString(logLine(8, "INFO", "CUccWebRequest - GET https://lyncdiscover.contoso.com/?sipuri=bob@contoso.com redirected to https://login.microsoftonline.com/common/oauth2/nativeclient#access_token="+accessToken+"&token_type=Bearer&expires_in=3599"))
	b.WriteString(logLine(9, "INFO", "CUccWebRequest - POST https://login.microsoftonline.com/common/oauth2/token body: grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion="+assertion+"&resource=https%3A%2F%2Fwebdir.online.lync.com"))
	b.WriteString(logLine(10, "INFO", "CUccWebRequest - redirect https://login.microsoftonline.com/common/oauth2/nativeclient?code="+code+"&session_state="+hex(8)))
	b.WriteString(logLine(11, "INFO", "CUccWebRequest - POST https://sts.contoso.com/adfs/ls/ body: SAMLResponse="+saml+"&RelayState="+hex(6)))
	b.WriteString(logLine(12, "INFO", "CUccWebRequest - POST https://login.microsoftonline.com/login.srf body: wa=wsignin1.0&wresult="+wresult+"&wctx="+hex(6)))
	b.WriteString(logLine(13, "INFO", "CUccWebRequest - GET https://webpoolbl20a05.infra.lync.com/ucwa/v1/applications/cwt="+cwt+"/people/me"))
	b.WriteString(logLine(14, "INFO", "CUccWebTicketManager - Received token response: <wst:RequestSecurityTokenResponse><wst:RequestedSecurityToken><wsse:BinarySecurityToken ValueType=\"urn:ietf:params:oauth:token-type:jwt\">"+stsJWT+"</wsse:BinarySecurityToken></wst:RequestedSecurityToken></wst:RequestSecurityTokenResponse>"))
	b.WriteString(logLine(15, "INFO", "CUccCertificateManager - exported key:"))
	b.WriteString(strings.ReplaceAll(string(key), "\n", "\r\n"))
	b.WriteString(logLine(16, "INFO", "CUccWebRequest - header token: "+tokenLine))
	b.WriteString(logLine(17, "INFO", "CUccCredentialManager - password: "+password))
	b.WriteString(logLine(17, "ERROR", "CUccCredentialManager - retrying with the saved password '"+quoted+"'"))
	b.WriteString(logLine(17, "WARN", "CUccWebRequest - POST https://sts.contoso.com/adfs/services/trust body: <credential user=\"bob@contoso.com\" password=\""+attr+"\"/>"))
	b.WriteString(logLine(17, "ERROR", "CUccPinAuthentication - extension 4255550199 PIN: "+pin))
	b.WriteString(logLine(18, "ERROR", "CUccServerEndpoint::OnRegisterComplete - Sign-in failed, hr=0x8004c1fb"))
	return []byte(b.String()), planted
}
