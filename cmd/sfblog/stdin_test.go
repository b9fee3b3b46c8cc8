package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// emptyReads returns nothing n times (forever when n < 0), then src's data.
type emptyReads struct {
	n   int
	src io.Reader
}

func (e *emptyReads) Read(p []byte) (int, error) {
	if e.n != 0 {
		e.n--
		return 0, nil
	}
	return e.src.Read(p)
}

// Standard input that returns nothing, neither data nor an error, is given
// up on after 100 reads in a row, as bufio.Reader does, rather than read
// forever.
func TestStdinEmptyReads(t *testing.T) {
	for _, tc := range []struct {
		empties int
		want    string
		err     error
	}{
		{0, "abc", nil},
		{maxEmptyReads - 1, "abc", nil},
		{maxEmptyReads, "", io.ErrNoProgress},
		{-1, "", io.ErrNoProgress},
	} {
		s := newStdin(context.Background(), &emptyReads{n: tc.empties, src: strings.NewReader("abc")})
		got, err := io.ReadAll(s)
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, "%d empty reads", tc.empties)
		} else {
			require.NoError(t, err, "%d empty reads", tc.empties)
		}
		assert.Equal(t, tc.want, string(got), "%d empty reads", tc.empties)
		assert.Equal(t, int64(len(tc.want)), s.bytesRead())
	}
}
