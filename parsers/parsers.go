// Package parsers recognises the format of an input from its content and
// hands it to the parser of that format. Each format has its own package:
// uccapilog (client UccApi logs), evtx (exported Windows event logs),
// evttext (event logs saved as text, CSV or XML), adexport (directory
// exports), regfile (registry exports), w32tm, certutil, dns (nslookup,
// Resolve-DnsName) and netcfg (netsh winhttp, ipconfig): those tools'
// output, and text (free text: notes, pasted error messages and pasted
// SIP lines or event details). All of them emit the normalized events of
// package event.
package parsers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/internal/stage"
	"github.com/sfblog/sfblog/internal/textenc"
	"github.com/sfblog/sfblog/parsers/adexport"
	"github.com/sfblog/sfblog/parsers/certutil"
	"github.com/sfblog/sfblog/parsers/dns"
	"github.com/sfblog/sfblog/parsers/evttext"
	"github.com/sfblog/sfblog/parsers/evtx"
	"github.com/sfblog/sfblog/parsers/netcfg"
	"github.com/sfblog/sfblog/parsers/regfile"
	"github.com/sfblog/sfblog/parsers/scan"
	"github.com/sfblog/sfblog/parsers/text"
	"github.com/sfblog/sfblog/parsers/uccapilog"
	"github.com/sfblog/sfblog/parsers/w32tm"
)

// Formats a file can be recognised as.
const (
	UccApilog    = "uccapilog"
	Evtx         = "evtx"
	Text         = "text"
	DNS          = "dns"       // nslookup, Resolve-DnsName
	W32tm        = "w32tm"     // w32tm /query /status, /stripchart, /query /configuration
	Reg          = "reg"       // regedit and reg export files
	Proxy        = "proxy"     // netsh winhttp show proxy
	IPConfig     = "ipconfig"  // ipconfig /all
	Certutil     = "certutil"  // certutil -store, -verify, -urlfetch
	Directory    = "directory" // ldifde, csvde, Get-ADUser | Export-Csv
	EvtText      = "evttext"   // event logs saved as text, CSV or XML
	Unrecognized = "unrecognized"
)

// HeadSize is how many leading bytes Sniff wants to see.
const HeadSize = 8192

// Sniff returns the format of a file from its first bytes (up to HeadSize),
// by content only: the EVTX file magic, then the UccApilog line syntax in
// any of the text encodings a Windows client writes, then any text.
func Sniff(head []byte) string {
	if len(head) == 0 {
		return Unrecognized
	}
	if evtx.Detect(head) {
		return Evtx
	}
	if !textenc.IsText(head) {
		return Unrecognized
	}
	r, _, err := textenc.NewReader(bytes.NewReader(head))
	if err != nil {
		return Unrecognized
	}
	decoded, err := io.ReadAll(r)
	if err != nil {
		return Unrecognized
	}
	for _, f := range textFormats {
		if f.detect(decoded) {
			return f.name
		}
	}
	return Text
}

// textFormat is a text format recognised by content.
type textFormat struct {
	name   string
	detect func(head []byte) bool
	parse  func(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error)
}

// textFormats are tried in order; the first whose detector accepts the
// head wins, and any other text is free text. The detectors are strict
// (each wants the structure of its tool's real output), so a note that
// quotes a line of one is still a note.
var textFormats = []textFormat{
	{Reg, regfile.Detect, regfile.Parse},
	{UccApilog, uccapilog.Detect, uccapilog.Parse},
	{Certutil, certutil.Detect, certutil.Parse},
	{W32tm, w32tm.Detect, w32tm.Parse},
	{DNS, dns.Detect, dns.Parse},
	{Proxy, netcfg.DetectProxy, netcfg.ParseProxy},
	{IPConfig, netcfg.DetectIPConfig, netcfg.ParseIPConfig},
	{EvtText, evttext.Detect, func(ctx context.Context, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
		return evttext.Parse(ctx, path, r, evtxEnricher(emit))
	}},
	{Directory, adexport.Detect, adexport.Parse},
}

// ParseText parses a text input (any format but Evtx and Unrecognized) read from r in
// any supported encoding, emitting events with path as their origin.
func ParseText(ctx context.Context, format, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	return TextOptions{}.Parse(ctx, format, path, r, emit)
}

// TextOptions tune the parse of a text input.
type TextOptions struct {
	// KeepSIP, when set, decides which SIP blocks of a client log become
	// events: see uccapilog.Options.Keep.
	KeepSIP func(uccapilog.BlockView) bool
}

// Parse is ParseText with the options o.
func (o TextOptions) Parse(ctx context.Context, format, path string, r io.Reader, emit event.Sink) ([]event.Problem, error) {
	dec, _, err := textenc.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("decode text: %w", err)
	}
	switch format {
	case Text:
		return text.Parse(ctx, path, dec, emit)
	case UccApilog:
		return uccapilog.Options{Keep: o.KeepSIP}.Parse(ctx, path, dec, emit)
	}
	for _, f := range textFormats {
		if f.name == format {
			return f.parse(ctx, path, dec, emit)
		}
	}
	return nil, fmt.Errorf("parse %s: not a text format", format)
}

// ParseEvtx parses an exported Windows event log. Besides one event per
// record it emits, like the text parsers, the user-visible error texts and
// HRESULT codes found in a record's data values, so that a signature on a
// text or a code reads event logs too. Those are looked for, and emit
// called, on a goroutine of their own, beside the decoding, in the order
// of the records.
func ParseEvtx(ctx context.Context, path string, r io.ReadSeeker, size int64, emit event.Sink) ([]event.Problem, error) {
	st := stage.New(evtxEnricher(emit), nil)
	problems, err := evtx.Parse(ctx, path, r, size, st.Send)
	if serr := st.Close(); serr != nil && (err == nil || errors.Is(err, stage.ErrStopped)) {
		err = serr
	}
	return problems, err
}

// evtxEnricher wraps emit: after each record it emits the error texts and
// HRESULTs found in the record's data values, located at the record.
func evtxEnricher(emit event.Sink) event.Sink {
	return func(e event.Event) error {
		if err := emit(e); err != nil {
			return err
		}
		data := e.Get("evt.data.all")
		if data == "" {
			return nil
		}
		derived := func(kind string, fields ...string) error {
			d := event.Event{Source: e.Source, Kind: kind, Path: e.Path, Line: e.Line, RecordID: e.RecordID,
				Time: e.Time, Local: e.Local, Text: e.Text}
			for i := 0; i+1 < len(fields); i += 2 {
				d.Set(fields[i], fields[i+1])
			}
			d.Set("evt.provider", e.Get("evt.provider"))
			d.Set("evt.event_id", e.Get("evt.event_id"))
			return emit(d)
		}
		for _, u := range scan.UITexts(data) {
			if err := derived(event.KindUIText, "ui.key", u.Key, "ui.text", u.Text); err != nil {
				return err
			}
		}
		for _, h := range scan.HRESULTs(data) {
			if err := derived(event.KindHRESULT, "hresult", h.Code, "hresult.name", h.Name); err != nil {
				return err
			}
		}
		return nil
	}
}
