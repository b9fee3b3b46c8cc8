package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
)

// osBytesRead returns a function that tells how many bytes this process
// has read so far (rchar of /proc/self/io: every read and pread, whatever
// the package that made it), or nil when the kernel does not say. Until
// the analyzer reports its own progress, this is how the CLI sees the
// inputs being read: files, zip members (as stored) and standard input.
func osBytesRead() func() int64 {
	if _, ok := rchar(); !ok {
		return nil
	}
	var last int64
	return func() int64 {
		if n, ok := rchar(); ok {
			last = n
		}
		return last
	}
}

func rchar() (int64, bool) {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := bytes.CutPrefix(sc.Bytes(), []byte("rchar: ")); ok {
			n, err := strconv.ParseInt(string(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
