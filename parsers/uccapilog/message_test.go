package uccapilog

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

func TestMessage(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"02/06/2018|08:12:42.395 1F30:1E0C ERROR :: CIdcrlAuth::OnAuthComplete - failed, hr=0x80048821", "CIdcrlAuth::OnAuthComplete - failed, hr=0x80048821"},
		{"02/06/2018|08:12:42.395 1F30:1E0C TRACE ::   padded", "padded"},
		{"02/06/2018|08:12:42.395 no separator here", "no separator here"},
		{"02/06/2018|08:12:42 1F30:1E0C INFO :: no milliseconds", "no milliseconds"},
		{"02/06/2018|08:12:42.395 1F30:1E0C ERROR ::", ""},
		// Not a prefix: the line is its own message.
		{"ms-diagnostics: 4005;reason=\"hr=0x80004005\"", "ms-diagnostics: 4005;reason=\"hr=0x80004005\""},
		{"13/45/2018|08:12:42.395 1F30:1E0C ERROR :: month 13", "13/45/2018|08:12:42.395 1F30:1E0C ERROR :: month 13"},
		{"02/06/2018|08:12:42.x 1F30 ERROR :: bad fraction", "02/06/2018|08:12:42.x 1F30 ERROR :: bad fraction"},
		{"02/06/2018 08:12:42.395 ERROR :: no bar", "02/06/2018 08:12:42.395 ERROR :: no bar"},
		{"", ""},
	} {
		assert.Equal(t, tc.want, Message(tc.line), "%q", tc.line)
	}
}

// TestMessageIsLogMessage: for every log event of the test logs and of
// the sample cases' client logs, Message of its line is its log.message.
func TestMessageIsLogMessage(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.[uU]cc[aA]pilog")
	require.NoError(t, err)
	cases, err := filepath.Glob("../../testdata/logs/cases/*/bundle/Tracing/*.UccApilog")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	paths = append(paths, cases...)
	n := 0
	for _, path := range paths {
		f, err := os.Open(path)
		require.NoError(t, err)
		_, err = Parse(context.Background(), path, f, func(e event.Event) error {
			if e.Kind == event.KindLog && e.EndLine == 0 {
				assert.Equal(t, e.Get("log.message"), Message(e.Text), "%s:%d", path, e.Line)
				n++
			}
			return nil
		})
		f.Close()
		require.NoError(t, err)
	}
	require.Greater(t, n, 100)
}
