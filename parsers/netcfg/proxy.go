package netcfg

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/sfblog/sfblog/event"
)

// proxyPatterns are the lines of "netsh winhttp show proxy", in English or
// as Japanese Windows writes them (testdata/README.md):
//
//	現在の WinHTTP プロキシ設定:
//
//	    プロキシ サーバー:  proxy.contoso.com:8080
//	    バイパス一覧     :  <local>
//
// or "直接アクセス (プロキシ サーバーなし)。", and "(なし)" for no bypass list.
type proxyPatterns struct {
	head, direct, server, bypass *regexp.Regexp
	// The same lines in the start of a file, for DetectProxy.
	detHead, detBody *regexp.Regexp
}

// proxyRx returns the proxyPatterns, compiled on first use.
var proxyRx = sync.OnceValue(func() *proxyPatterns {
	return &proxyPatterns{
		head:   regexp.MustCompile(`^\s*(?:Current WinHTTP proxy settings|現在の WinHTTP プロキシ設定):$`),
		direct: regexp.MustCompile(`^\s*(?:Direct access \(no proxy server\)\.?|直接アクセス \(プロキシ サーバーなし\)。?)$`),
		server: regexp.MustCompile(`^\s*(?:Proxy Server\(s\)|プロキシ サーバー)\s*:\s*(.*)$`),
		bypass: regexp.MustCompile(`^\s*(?:Bypass List|バイパス一覧)\s*:\s*(.*)$`),

		detHead: regexp.MustCompile(`(?m)^\s*(?:Current WinHTTP proxy settings|現在の WinHTTP プロキシ設定):\s*$`),
		detBody: regexp.MustCompile(`(?m)^\s*(?:Direct access \(no proxy server\)\.?|直接アクセス \(プロキシ サーバーなし\)。?|(?:Proxy Server\(s\)|プロキシ サーバー)\s*:\s*\S.*)\s*$`),
	}
})

// DetectProxy reports whether head, the decoded start of a file (up to
// 8 KiB), is the output of "netsh winhttp show proxy": its heading line and
// either the direct-access line or the "Proxy Server(s) :" line.
func DetectProxy(head []byte) bool {
	return proxyRx().detHead.Match(head) && proxyRx().detBody.Match(head)
}

// ParseProxy reads "netsh winhttp show proxy" output and emits one
// KindProxy event (Source "network") per run, from its heading to its last
// setting:
//
//	proxy.scope   "winhttp"
//	proxy.direct  "true" for "Direct access (no proxy server).", else "false"
//	proxy.server  the Proxy Server(s) value as written (absent when direct)
//	proxy.bypass  the Bypass List as written; absent when netsh shows "(none)"
//
// A heading followed by neither setting, an empty Proxy Server(s) value or
// both a proxy and direct access is a problem and emits nothing.
func ParseProxy(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	p := &proxyParser{path: path, emit: emit}
	err := readLines(ctx, "netsh winhttp", path, r, p, p.problem)
	return p.problems, err
}

type proxyParser struct {
	path     string
	emit     event.Sink
	problems []event.Problem
	err      error
	b        *block
	head     int
	direct   bool
	server   *string
	bypass   string
}

func (p *proxyParser) problem(n int, msg string) {
	p.problems = append(p.problems, event.Problem{Line: n, Msg: msg})
}

func (p *proxyParser) failed() error { return p.err }

func (p *proxyParser) line(n int, s string) {
	re := proxyRx()
	if re.head.MatchString(s) {
		p.flush()
		p.b = &block{}
		p.b.add(n, s)
		p.head = n
		return
	}
	if p.b == nil {
		return
	}
	if len(p.b.lines) > maxBlock {
		p.flush()
		return
	}
	switch {
	case s == "":
	case re.direct.MatchString(s):
		p.direct = true
	case re.server.MatchString(s):
		v := strings.TrimSpace(re.server.FindStringSubmatch(s)[1])
		p.server = &v
	case re.bypass.MatchString(s):
		p.bypass = strings.TrimSpace(re.bypass.FindStringSubmatch(s)[1])
	default:
		p.flush() // another command's output
		return
	}
	p.b.add(n, s)
}

// flush emits the run being read.
func (p *proxyParser) flush() {
	b, head, direct, server, bypass := p.b, p.head, p.direct, p.server, p.bypass
	p.b, p.direct, p.server, p.bypass = nil, false, nil, ""
	if b == nil || p.err != nil {
		return
	}
	switch {
	case !direct && server == nil:
		p.problem(head, "netsh winhttp: no proxy setting after the heading")
		return
	case direct && server != nil:
		p.problem(head, "netsh winhttp: both direct access and a proxy server")
		return
	case server != nil && *server == "":
		p.problem(head, "netsh winhttp: empty Proxy Server(s) value")
		return
	}
	ev := b.event(event.KindProxy, p.path)
	ev.Set("proxy.scope", "winhttp")
	if direct {
		ev.Set("proxy.direct", "true")
	} else {
		ev.Set("proxy.direct", "false")
		ev.Set("proxy.server", *server)
	}
	if bypass != "" && bypass != "(none)" && bypass != "(なし)" {
		ev.Set("proxy.bypass", bypass)
	}
	if err := p.emit(ev); err != nil {
		p.err = fmt.Errorf("netsh winhttp: %s: emit: %w", p.path, err)
	}
}
