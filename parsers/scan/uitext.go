package scan

import (
	"regexp"
	"sort"
	"strings"
)

// UIText is one user-visible error text of the client found in a line.
type UIText struct {
	Key  string // stable key, one of the UIKey* constants
	Text string // the matched text as written in the input
}

// Stable keys of the client's error texts (signin-errors.md, the table "The
// client's own error texts", and log-facts.md §1.1-§1.3).
const (
	UIKeyServerUnavailable   = "server-unavailable"
	UIKeyServerNotFound      = "server-not-found"
	UIKeyCredentialsVersion  = "credentials-or-version"
	UIKeyClock               = "clock"
	UIKeyPersonalCert        = "personal-cert"
	UIKeyAddressNotFound     = "address-not-found"
	UIKeyCredentialsWrong    = "credentials-incorrect"
	UIKeyServerCertVerify    = "server-cert-verify"
	UIKeyTrustPrompt         = "trust-prompt"
	UIKeyAdditionalSoftware  = "additional-software"
	UIKeyServerNotResponding = "server-not-responding"
)

// uiPattern is one known text: its key, the lower-case keywords of which at
// least one occurs in every form of the text (the prefilter), and the
// pattern (see compilePhrase for its notation).
type uiPattern struct {
	key      string
	keywords []string
	re       *regexp.Regexp
}

// Phrase notation: a space stands for any run of white space (NBSP too), an
// apostrophe for any straight or typographic apostrophe, {P} for the product
// name and {D} for a DNS domain; everything else is regexp syntax. Matching
// ignores case. Final periods are optional so that pasted texts match.
var uiPatterns = []uiPattern{
	{UIKeyServerUnavailable, []string{"unavailable", "trouble"},
		compilePhrase(`(?:the )?server is temporarily unavailable\.?|we(?:'re| are) having trouble connecting to the server\.?`)},
	{UIKeyServerNotFound, []string{"could"},
		compilePhrase(`{P} could(?:n't| not) find an? {P} server for {D}(?:\.? there might be an issue with the domain name system \(dns\) configuration(?: for your domain)?)?\.?`)},
	{UIKeyCredentialsVersion, []string{"incompatible"},
		compilePhrase(`(?:you may have entered your sign-in address, user(?:name| name),? or password incorrectly,? or )?the authentication service may be incompatible with (?:this|the) version of the program\.?`)},
	{UIKeyClock, []string{"clock"},
		compilePhrase(`(?:(?:cannot|can't|can not) sign (?:in to|into) {P} because )?your computer clock is not set correctly\.?`)},
	{UIKeyPersonalCert, []string{"acquiring"},
		compilePhrase(`(?:there was a )?problem acquiring a personal certificate (?:that is )?required to sign in\.?`)},
	{UIKeyAddressNotFound, []string{"sign-in"},
		compilePhrase(`(?:cannot|can't|can not) sign (?:in to|into) {P} because this sign-in address was not found\.?|sign-in address (?:was )?not found\.?`)},
	{UIKeyCredentialsWrong, []string{"appear"},
		compilePhrase(`the user(?:name| name),? password,? or domain appears to be incorrect\.?`)},
	{UIKeyServerCertVerify, []string{"verifying"},
		compilePhrase(`(?:there was a )?problem verifying the certificate from the server\.?`)},
	{UIKeyTrustPrompt, []string{"trusted"},
		compilePhrase(`(?:{P} )?cannot verify that the server is trusted for your sign-in address(?:\.? connect anyway\??|\.)?`)},
	{UIKeyAdditionalSoftware, []string{"additional"},
		compilePhrase(`to sign in,? additional software is required(?:\.? download and install now\??|\.)?`)},
	{UIKeyServerNotResponding, []string{"responding"},
		compilePhrase(`(?:the )?server is not responding or cannot be reached\.?`)},
}

const (
	phraseSpace   = `[\s\x{00A0}]+`
	phraseApos    = "['\u2019\u2018\u00B4`]"
	phraseProduct = `(?:(?:microsoft|office)(?: office)? )?(?:communicator|lync|skype for business)`
	phraseDomain  = `[a-z0-9_-]+(?:\.[a-z0-9_-]+)*`
)

// compilePhrase expands the phrase notation described above uiPatterns.
func compilePhrase(p string) *regexp.Regexp {
	// Placeholders first: their expansions contain spaces of their own.
	p = strings.NewReplacer("{P}", phraseProduct, "{D}", phraseDomain).Replace(p)
	p = strings.NewReplacer(" ", phraseSpace, "'", phraseApos).Replace(p)
	return regexp.MustCompile("(?i)" + p)
}

// keywordIndex maps a folded ASCII letter pair (first two letters of a
// keyword) to the bit set of uiPatterns that have a keyword starting so.
var keywordIndex = buildKeywordIndex()

func buildKeywordIndex() *[26 * 26]uint32 {
	var idx [26 * 26]uint32
	for i, p := range uiPatterns {
		for _, kw := range p.keywords {
			idx[int(kw[0]-'a')*26+int(kw[1]-'a')] |= 1 << i
		}
	}
	return &idx
}

// candidates is the prefilter: one pass over s that returns the bit set of
// uiPatterns one of whose keywords occurs in s, ignoring ASCII case.
func candidates(s string) uint32 {
	var found uint32
	for i := 0; i+1 < len(s); i++ {
		a, b := s[i]|0x20-'a', s[i+1]|0x20-'a'
		if a >= 26 || b >= 26 {
			continue
		}
		set := keywordIndex[int(a)*26+int(b)] &^ found
		if set == 0 {
			continue
		}
		for j := range uiPatterns {
			if set&(1<<j) == 0 {
				continue
			}
			for _, kw := range uiPatterns[j].keywords {
				if hasPrefixFold(s[i:], kw) {
					found |= 1 << j
					break
				}
			}
		}
	}
	return found
}

// hasPrefixFold reports whether s starts with the lower-case ASCII kw,
// ignoring ASCII case.
func hasPrefixFold(s, kw string) bool {
	if len(s) < len(kw) {
		return false
	}
	for i := 0; i < len(kw); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// UITexts returns the known user-visible error texts in s, one per key (the
// first occurrence), in order of appearance. The product word may be
// Communicator, Lync, Skype for Business or Microsoft Lync; case, runs of
// white space, straight or typographic apostrophes and a missing final
// period do not matter.
func UITexts(s string) []UIText {
	set := candidates(s)
	if set == 0 {
		return nil
	}
	type hit struct {
		at int
		t  UIText
	}
	var hits []hit
	for i, p := range uiPatterns {
		if set&(1<<i) == 0 {
			continue
		}
		if m := p.re.FindStringIndex(s); m != nil {
			hits = append(hits, hit{m[0], UIText{Key: p.key, Text: s[m[0]:m[1]]}})
		}
	}
	if len(hits) == 0 {
		return nil
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	out := make([]UIText, len(hits))
	for i, h := range hits {
		out[i] = h.t
	}
	return out
}
