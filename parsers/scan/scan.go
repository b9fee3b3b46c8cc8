// Package scan holds the line-level scanners that several parsers share: a
// bounded line reader, an HRESULT finder and a finder for the client's
// user-visible error texts.
//
// The finders are pure functions of one line. They run a cheap byte-level
// prefilter first, so that the lines of a large log that cannot hold a match
// never reach a regular expression.
package scan
