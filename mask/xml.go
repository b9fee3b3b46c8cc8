package mask

import "strings"

// isSecretElement reports whether the local name of an XML element (any
// namespace prefix) says that its content is a credential. ps:BinaryVersion
// of an IDCRL request is a version number and stays; ps:Cookies can carry
// the Passport cookies.
func isSecretElement(local string) bool {
	if len(local) > len("requestedsecuritytoken") {
		return false
	}
	var buf [len("requestedsecuritytoken")]byte
	switch string(lowerInto(buf[:], local)) {
	case "password", "binarysecuritytoken", "assertion", "ciphervalue", "usertoken",
		"webticket", "devicedatoken", "binarysecret", "requestedprooftoken",
		"requestedsecuritytoken", "cookies":
		return true
	}
	return false
}

// element handles the '<' at i: when it opens a secret element, the
// element's content is masked (its line breaks kept) and the scan goes on
// after the closing tag.
func (sc *scanner) element(i int) int {
	s := sc.s
	k := i + 1
	e := k
	for e < len(s) && e-k <= maxName && (isAlnum(s[e]) || strings.IndexByte("_.-:", s[e]) >= 0) {
		e++
	}
	if e == k || e == len(s) {
		return i + 1
	}
	qn := s[k:e]
	local := qn[strings.LastIndexByte(qn, ':')+1:]
	secret := isSecretElement(local)
	// An element whose name says secret (AccessToken, RefreshToken,
	// ClientSecret, pwd, EncryptedAssertion) is masked when it holds text
	// only: one that holds elements (UsernameToken,
	// RequestSecurityToken, RequestMultipleSecurityTokens) is a
	// container whose secret elements are masked on their own.
	leafOnly := false
	if !secret && SecretName(local) {
		secret, leafOnly = true, true
	}
	if !secret && !equalFold(local, "data") {
		return i + 1
	}
	if c := s[e]; c != '>' && c != '/' && !isBlank(c) {
		return i + 1
	}
	gt := strings.IndexAny(s[e:], "<>")
	if gt < 0 || s[e+gt] != '>' {
		return i + 1
	}
	openEnd := e + gt + 1
	if !secret && !secretDataName(s[e:openEnd]) {
		return i + 1
	}
	selfClosing := s[openEnd-2] == '/' // <Password/>
	contentEnd, next := openEnd, openEnd
	if !selfClosing {
		contentEnd, next = closingTag(s, openEnd, qn)
		content := s[openEnd:contentEnd]
		if leafOnly && holdsElement(content, "<") && strings.TrimSpace(content) != Masked {
			// (<masked> is what a first masking left: text, not an element.)
			return i + 1
		}
	}
	// The name and attributes of the start tag are scanned as they are
	// when the element is not secret: <credential user="bob"
	// password="X"/>. A value that runs past the tag's end (an unclosed
	// quote) ends the element there: the scan goes on after it, as it
	// does once that value is masked and the tag (whose <masked> holds a
	// '<') is no longer taken for one.
	if end := sc.tag(i+1, openEnd); end > openEnd {
		return end
	}
	if content := s[openEnd:contentEnd]; strings.TrimSpace(content) != "" {
		sc.replace(openEnd, contentEnd, maskKeepLines(content))
	}
	return next
}

// tag scans s[i:end], the name and attributes of a start tag, step by
// step as run does, and returns where the last step ended: end, or past
// it when a value runs on after the tag.
func (sc *scanner) tag(i, end int) int {
	for i < end {
		i = sc.step(i, nil)
	}
	return i
}

// secretDataName reports whether the attributes of an event log's <Data>
// element hold a Name that says secret: <Data Name="Password">.
func secretDataName(attrs string) bool {
	i := indexFold(attrs, "name=")
	if i < 0 || (i > 0 && !isBlank(attrs[i-1])) {
		return false
	}
	v := attrs[i+len("name="):]
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return false
	}
	end := strings.IndexByte(v[1:], v[0])
	return end > 0 && SecretName(v[1:1+end])
}

// closingTag finds "</qname>" (any case, optional spaces before '>') after
// from. It returns where the content ends and where scanning goes on. When
// the element is not closed, the content runs to the end of the line.
func closingTag(s string, from int, qname string) (contentEnd, next int) {
	for i := from; ; {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			break
		}
		k := i + j + 2
		if hasPrefixFold(s[k:], qname) {
			e := k + len(qname)
			for e < len(s) && isSpace(s[e]) {
				e++
			}
			if e < len(s) && s[e] == '>' {
				return i + j, e + 1
			}
		}
		i = k
	}
	end := lineEnd(s, from)
	return end, end
}

// holdsElement reports whether the content of an element holds another
// element (or its start, or text already masked): a '<' (lt, "&lt;" when
// the XML is entity-escaped) anywhere but in a CDATA section that starts
// the content.
func holdsElement(content, lt string) bool {
	p := strings.Index(content, lt)
	return p >= 0 && !(lt == "<" && strings.HasPrefix(strings.TrimLeft(content, " \t\r\n"), "<![CDATA["))
}

// escapedElement handles the word w at i, a '&' after it at j: when w is
// the local name of an entity-escaped start tag whose name says secret
// ("&lt;wsse:Password&gt;", XML inside XML or HTML), the element's
// content is masked up to its escaped end tag, or the end of the line.
func (sc *scanner) escapedElement(i, j int, w string) int {
	s := sc.s
	if !strings.HasPrefix(s[j:], "&gt;") || !(isSecretElement(w) || SecretName(w)) {
		return j
	}
	q := i // the start of the qualified name
	if q > 0 && s[q-1] == ':' {
		q--
		for q > 0 && isNameByte(s[q-1]) {
			q--
		}
	}
	if q < 4 || s[q-4:q] != "&lt;" {
		return j
	}
	qn := s[q:j]
	from := j + len("&gt;")
	contentEnd, next := lineEnd(s, from), -1
	for k := from; ; {
		p := strings.Index(s[k:contentEnd], "&lt;/")
		if p < 0 {
			break
		}
		k += p + len("&lt;/")
		if hasPrefixFold(s[k:], qn) && strings.HasPrefix(s[k+len(qn):], "&gt;") {
			contentEnd, next = k-len("&lt;/"), k+len(qn)+len("&gt;")
			break
		}
	}
	if next < 0 {
		next = contentEnd
	}
	content := s[from:contentEnd]
	if !isSecretElement(w) && holdsElement(content, "&lt;") {
		return j // a container: its secret elements are masked on their own
	}
	if v := strings.TrimSpace(content); v == "" || v == Masked {
		return next
	}
	sc.replace(from, contentEnd, Masked)
	return next
}
