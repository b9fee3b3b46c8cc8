package uccapilog

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
	"github.com/sfblog/sfblog/parsers/internal/parsertest"
)

var update = flag.Bool("update", false, "update golden files")

func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("testdata/*.[Uu]cc[Aa]pilog")
	require.NoError(t, err)
	require.NotEmpty(t, fixtures)
	for _, fixture := range fixtures {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			f, err := os.Open(fixture)
			require.NoError(t, err)
			defer f.Close()
			var evs []event.Event
			problems, err := Parse(context.Background(), filepath.Base(fixture), f, func(ev event.Event) error {
				evs = append(evs, ev)
				return nil
			})
			require.NoError(t, err)
			parsertest.Golden(t, filepath.Base(fixture), parsertest.Render(t, evs, problems), *update)
		})
	}
}
