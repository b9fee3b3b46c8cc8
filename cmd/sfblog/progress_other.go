//go:build !linux

package main

// osBytesRead returns nil: outside Linux, only standard input's bytes are
// counted until the analyzer reports its own progress.
func osBytesRead() func() int64 { return nil }
