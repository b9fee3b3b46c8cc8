package main

import (
	"fmt"
	"strconv"
	"strings"
)

// clientVer describes one client version.
type clientVer struct {
	ua      string // User-Agent
	product string // the product word in its texts
	build   string
	tlsMin  byte // TLS record minor version in TLS-DSK gssapi-data
	// supported is the Supported list of REGISTER.
	supported []string
}

var (
	sfb2016 = clientVer{
		ua: "UCCAPI/16.0.4717.1000 OC/16.0.4717.1000 (Skype for Business)", product: "Skype for Business",
		build: "16.0.4717.1000", tlsMin: 3,
		supported: []string{"gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
	}
	lync2013 = clientVer{
		ua: "UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 (Microsoft Lync)", product: "Lync",
		build: "15.0.4569.1503", tlsMin: 1,
		supported: []string{"gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence", "ms-forking", "ms-cluster-failover", "ms-userservices-state-notification"},
	}
	lync2010 = clientVer{
		ua: "UCCAPI/4.0.7577.4051 OC/4.0.7577.4051 (Microsoft Lync 2010)", product: "Lync",
		build: "4.0.7577.4051", tlsMin: 1,
		supported: []string{"gruu-10, adhoclist, msrtc-event-categories, com.microsoft.msrtc.presence", "ms-forking"},
	}
)

const realm = `realm="SIP Communications Service"`

// server is the registrar side of a connection.
type server struct {
	fqdn    string // targetname
	header  string // Server header, "RTC/7.0"
	webPool string // host of CertProv and WebTicket
}

// client is one signed-in (or signing-in) endpoint of the user.
type client struct {
	l        *clog
	g        *gen
	ver      clientVer
	domain   string // REGISTER request-URI host
	uri      string // "sip:bob@contoso.com"
	epid     string
	instance string
	msOpaque string
	public   string // the client's public address as the server sees it
	cid      string // ms-received-cid
	c        conn
	srv      server

	// REGISTER dialog
	tag    string
	callID string
	cseq   int
	toTag  string

	// security association
	scheme string // "TLS-DSK" or "NTLM"
	opaque string
	cnum   int
	snum   int
	gruu   string

	presTag string // From tag of the presence subscription
}

func newClient(l *clog, ver clientVer, user string, c conn, public string) *client {
	g := l.g
	cl := &client{
		l: l, g: g, ver: ver, uri: "sip:" + user, c: c, public: public,
		epid: g.hexl(10), instance: strings.ToUpper(g.uuid()), msOpaque: g.hexl(10),
		cid: g.hexu(4) + "00", tag: g.hexl(10), callID: g.hexl(32),
	}
	if at := strings.LastIndexByte(user, '@'); at >= 0 {
		cl.domain = user[at+1:]
	} else {
		cl.domain = user
	}
	return cl
}

// reconnect moves the client to a new TLS connection and server.
func (cl *client) reconnect(c conn, srv server) {
	cl.c = c
	cl.srv = srv
	cl.cid = cl.g.hexu(4) + "00"
	cl.toTag = ""
	cl.scheme, cl.opaque, cl.cnum, cl.snum = "", "", 0, 0
}

// newDialog starts a new REGISTER dialog (a new sign-in).
func (cl *client) newDialog() {
	cl.tag = cl.g.hexl(10)
	cl.callID = cl.g.hexl(32)
	cl.cseq = 0
	cl.toTag = ""
}

func (cl *client) register(auth string) *msg {
	cl.cseq++
	m := &msg{start: "REGISTER sip:" + cl.domain + " SIP/2.0"}
	m.add("Via", "SIP/2.0/TLS "+cl.c.local).
		add("Max-Forwards", "70").
		add("From", "<"+cl.uri+">;tag="+cl.tag+";epid="+cl.epid).
		add("To", "<"+cl.uri+">").
		add("Call-ID", cl.callID).
		add("CSeq", fmt.Sprintf("%d REGISTER", cl.cseq)).
		add("Contact", fmt.Sprintf(`<sip:%s;transport=tls;ms-opaque=%s>;methods="INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY";proxy=replace;+sip.instance="<urn:uuid:%s>"`, cl.c.local, cl.msOpaque, cl.instance)).
		add("User-Agent", cl.ver.ua)
	for _, s := range cl.ver.supported {
		m.add("Supported", s)
	}
	m.add("ms-keep-alive", "UAC;hop-hop=yes").add("Event", "registration")
	if auth != "" {
		m.add("Authorization", auth)
	}
	m.add("Content-Length", "0")
	return m
}

func (m *msg) get(name string) string {
	for _, h := range m.hdrs {
		if strings.EqualFold(h.name, name) {
			return h.value
		}
	}
	return ""
}

// via returns the Via of req as the server echoes it.
func (cl *client) via(req *msg) string {
	v := req.get("Via")
	port := cl.c.local[strings.LastIndexByte(cl.c.local, ':')+1:]
	return fmt.Sprintf("%s;received=%s;ms-received-port=%s;ms-received-cid=%s", v, cl.public, port, cl.cid)
}

// reply builds the server's response to a request of the client: pre
// headers, the dialog headers, post headers, an optional body.
func (cl *client) reply(req *msg, status string, pre, post []hdr, body string) *msg {
	var toTag string
	if strings.HasPrefix(req.start, "REGISTER") {
		if cl.toTag == "" {
			cl.toTag = cl.g.hexu(32)
		}
		toTag = cl.toTag
	} else {
		toTag = cl.g.hexu(32)
	}
	to := req.get("To")
	if !strings.Contains(to, ";tag=") {
		to += ";tag=" + toTag
	}
	m := &msg{start: "SIP/2.0 " + status, body: body}
	m.hdrs = append(m.hdrs, pre...)
	m.add("From", req.get("From")).
		add("To", to).
		add("Call-ID", req.get("Call-ID")).
		add("CSeq", req.get("CSeq")).
		add("Via", cl.via(req))
	m.hdrs = append(m.hdrs, post...)
	m.add("Content-Length", strconv.Itoa(len(body)))
	return m
}

// challenge is the 401 answer to an unauthenticated REGISTER: one
// WWW-Authenticate header per scheme the server offers.
func (cl *client) challenge(schemes ...string) []hdr {
	var h []hdr
	h = append(h, hdr{"Date", cl.l.date()})
	for _, s := range schemes {
		switch s {
		case "NTLM":
			h = append(h, hdr{"WWW-Authenticate", fmt.Sprintf(`NTLM %s, targetname="%s", version=4`, realm, cl.srv.fqdn)})
		case "Kerberos":
			h = append(h, hdr{"WWW-Authenticate", fmt.Sprintf(`Kerberos %s, targetname="sip/%s", version=4`, realm, cl.srv.fqdn)})
		case "TLS-DSK":
			h = append(h, hdr{"WWW-Authenticate", fmt.Sprintf(`TLS-DSK %s, targetname="%s", version=4, sts-uri="https://%s:443/CertProv/CertProvisioningService.svc"`, realm, cl.srv.fqdn, cl.srv.webPool)})
		}
	}
	return h
}

func (cl *client) serverHdr() hdr { return hdr{"Server", cl.srv.header} }

// registerChallenge sends an unauthenticated REGISTER and receives 401.
func (cl *client) registerChallenge(schemes ...string) {
	l := cl.l
	req := cl.register("")
	l.send(cl.c, req)
	l.step(180)
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", cl.challenge(schemes...), []hdr{cl.serverHdr()}, ""))
	l.step(3)
}

// tlsRecord returns base64 TLS record bytes (handshake content type 0x16).
func (cl *client) tlsRecord(n int) string {
	return cl.g.secret(cl.g.blob([]byte{0x16, 0x03, cl.ver.tlsMin, byte(n >> 8), byte(n)}, n))
}

// tlsdskHandshake runs the two TLS-DSK legs that carry the TLS handshake in
// gssapi-data: each answered by 401 with a gssapi-data continuation.
func (cl *client) tlsdskHandshake() {
	l, g := cl.l, cl.g
	cl.scheme = "TLS-DSK"
	req := cl.register(fmt.Sprintf(`TLS-DSK qop="auth", %s, targetname="%s", gssapi-data="%s", version=4`, realm, cl.srv.fqdn, cl.tlsRecord(g.between(90, 140))))
	l.send(cl.c, req)
	l.step(210)
	cl.opaque = g.secret(g.hexu(8))
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", []hdr{
		{"Date", l.date()},
		{"WWW-Authenticate", fmt.Sprintf(`TLS-DSK opaque="%s", gssapi-data="%s", targetname="%s", %s, version=4`, cl.opaque, cl.tlsRecord(g.between(1500, 1900)), cl.srv.fqdn, realm)},
	}, []hdr{cl.serverHdr()}, ""))
	l.step(40)
	req = cl.register(fmt.Sprintf(`TLS-DSK qop="auth", %s, opaque="%s", targetname="%s", gssapi-data="%s", version=4`, realm, cl.opaque, cl.srv.fqdn, cl.tlsRecord(g.between(1100, 1400))))
	l.send(cl.c, req)
	l.step(190)
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", []hdr{
		{"Date", l.date()},
		{"WWW-Authenticate", fmt.Sprintf(`TLS-DSK opaque="%s", gssapi-data="%s", targetname="%s", %s, version=4`, cl.opaque, cl.g.secret(g.blob([]byte{0x14, 0x03, cl.ver.tlsMin, 0x00, 0x01, 0x01, 0x16, 0x03, cl.ver.tlsMin, 0x00, 0x30}, 48)), cl.srv.fqdn, realm)},
	}, []hdr{cl.serverHdr()}, ""))
	l.step(20)
}

// sig returns a fresh message signature for the security association.
func (cl *client) sig() string {
	if cl.scheme == "NTLM" {
		return cl.g.secret("01000000" + fmt.Sprintf("%08x", cl.cnum+cl.snum) + cl.g.hexl(16))
	}
	return cl.g.secret(cl.g.hexl(40))
}

// credentials returns the signature header value of a signed request.
func (cl *client) credentials() string {
	cl.cnum++
	return fmt.Sprintf(`%s qop="auth", %s, opaque="%s", crand="%s", cnum="%d", targetname="%s", response="%s"`,
		cl.scheme, realm, cl.opaque, cl.g.secret(cl.g.hexl(8)), cl.cnum, cl.srv.fqdn, cl.sig())
}

// authInfo returns the Authentication-Info header of a signed response.
func (cl *client) authInfo() hdr {
	cl.snum++
	return hdr{"Authentication-Info", fmt.Sprintf(`%s qop="auth", opaque="%s", srand="%s", snum="%d", rspauth="%s", targetname="%s", %s, version=4`,
		cl.scheme, cl.opaque, cl.g.secret(cl.g.hexu(8)), cl.snum, cl.sig(), cl.srv.fqdn, realm)}
}

// registerSigned sends the signed REGISTER that completes authentication.
func (cl *client) registerSigned() *msg {
	auth := cl.credentials() + ", version=4"
	req := cl.register(auth)
	cl.l.send(cl.c, req)
	cl.l.step(160)
	return req
}

// registered answers a REGISTER with 200 OK.
func (cl *client) registered(req *msg, expires int) *msg {
	g := cl.g
	cl.gruu = fmt.Sprintf("%s;opaque=user:epid:%s;gruu", cl.uri, g.blob(nil, 16)[:22]+"AA")
	cl.gruu = strings.NewReplacer("+", "-", "/", "_").Replace(cl.gruu)
	return cl.reply(req, "200 OK", []hdr{cl.authInfo()}, []hdr{
		{"Contact", fmt.Sprintf(`<sip:%s;transport=tls;ms-opaque=%s;ms-received-cid=%s>;expires=%d;+sip.instance="<urn:uuid:%s>";gruu="%s"`, cl.c.local, cl.msOpaque, cl.cid, expires, cl.instance, cl.gruu)},
		{"Expires", strconv.Itoa(expires)},
		{"presence-state", `register-action="added"`},
		{"Allow-Events", "vnd-microsoft-provisioning,vnd-microsoft-roaming-contacts,vnd-microsoft-roaming-ACL,presence,presence.wpending,vnd-microsoft-roaming-self,vnd-microsoft-provisioning-v2"},
		{"Supported", "adhoclist"},
		cl.serverHdr(),
		{"Supported", "msrtc-event-categories"},
		{"Supported", "ms-keepalive-deregister"},
		{"Supported", "ms-userservices-state-notification"},
		{"ms-user-logon-data", "RemoteUser"},
		{"ms-keep-alive", "UAS; tcp=no; hop-hop=yes; end-meth=yes; timeout=300"},
		{"Date", cl.l.date()},
	}, "")
}

// signInTLSDSK runs a whole successful TLS-DSK sign-in on the current
// connection (after certificate provisioning, done by the caller between
// the challenge and the handshake).
func (cl *client) signInTLSDSK(provision func()) {
	cl.registerChallenge("NTLM", "Kerberos", "TLS-DSK")
	if provision != nil {
		provision()
	}
	cl.tlsdskHandshake()
	req := cl.registerSigned()
	cl.l.recv(cl.c, cl.registered(req, 7200))
	cl.l.step(15)
	cl.l.info("CUccServerEndpoint::OnRegisterComplete - Registered %s with %s, gruu %s", cl.uri, cl.srv.fqdn, cl.gruu)
}

// ntlmHandshake sends the two NTLM legs. The first gets the CHALLENGE
// message in a 401; the answer to the second (the AUTHENTICATE message) is
// returned to the caller to receive.
func (cl *client) ntlmHandshake() *msg {
	l, g := cl.l, cl.g
	cl.scheme = "NTLM"
	req := cl.register(fmt.Sprintf(`NTLM qop="auth", %s, targetname="%s", gssapi-data="", version=4`, realm, cl.srv.fqdn))
	l.send(cl.c, req)
	l.step(120)
	cl.opaque = g.secret(g.hexu(8))
	challenge := g.secret(g.blob([]byte("NTLMSSP\x00\x02\x00\x00\x00"), g.between(150, 190)))
	l.recv(cl.c, cl.reply(req, "401 Unauthorized", []hdr{
		{"Date", l.date()},
		{"WWW-Authenticate", fmt.Sprintf(`NTLM opaque="%s", gssapi-data="%s", targetname="%s", %s, version=4`, cl.opaque, challenge, cl.srv.fqdn, realm)},
	}, []hdr{cl.serverHdr()}, ""))
	l.step(25)
	authenticate := g.secret(g.blob([]byte("NTLMSSP\x00\x03\x00\x00\x00"), g.between(300, 380)))
	req = cl.register(fmt.Sprintf(`NTLM qop="auth", %s, opaque="%s", targetname="%s", gssapi-data="%s", version=4`, realm, cl.opaque, cl.srv.fqdn, authenticate))
	l.send(cl.c, req)
	l.step(140)
	return req
}

// redirect sends an unauthenticated REGISTER to the directory, which
// answers "301 Redirect request to Home Server".
func (cl *client) redirect(pool string) {
	l := cl.l
	req := cl.register("")
	l.send(cl.c, req)
	l.step(150)
	l.recv(cl.c, cl.reply(req, "301 Redirect request to Home Server", nil, []hdr{
		{"Contact", fmt.Sprintf("<sip:%s:443;transport=tls>", pool)},
		{"Expires", "2592000"},
		cl.serverHdr(),
		{"Date", l.date()},
	}, ""))
	l.step(5)
}

// request builds an in-dialog-free request of the signed-in client.
func (cl *client) request(method, target, event string) *msg {
	m := &msg{start: method + " " + target + " SIP/2.0"}
	to := "<" + target + ">"
	m.add("Via", "SIP/2.0/TLS "+cl.c.local).
		add("Max-Forwards", "70").
		add("From", "<"+cl.uri+">;tag="+cl.g.hexl(10)+";epid="+cl.epid).
		add("To", to).
		add("Call-ID", cl.g.hexl(32)).
		add("CSeq", "1 "+method).
		add("Contact", "<"+cl.gruu+">").
		add("User-Agent", cl.ver.ua)
	if event != "" {
		m.add("Event", event)
	}
	return m
}

// signedSend adds the signature, Content-Type and body, and sends.
func (cl *client) signedSend(m *msg, ctype, body string) {
	m.add("Proxy-Authorization", cl.credentials())
	if ctype != "" {
		m.add("Content-Type", ctype)
	}
	m.body = body
	m.add("Content-Length", strconv.Itoa(len(body)))
	cl.l.send(cl.c, m)
}

// signedReply receives a signed server response to req.
func (cl *client) signedReply(req *msg, status string, post []hdr, body string) {
	cl.l.recv(cl.c, cl.reply(req, status, []hdr{cl.authInfo()}, append(post, cl.serverHdr()), body))
}
