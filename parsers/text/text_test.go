package text

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sfblog/sfblog/event"
)

func parse(t *testing.T, r io.Reader) ([]event.Event, []event.Problem, error) {
	t.Helper()
	var evs []event.Event
	problems, err := Parse(context.Background(), "bundle.zip!/note.txt", r, func(ev event.Event) error {
		evs = append(evs, ev)
		return nil
	})
	return evs, problems, err
}

func TestParseNote(t *testing.T) {
	f, err := os.Open("testdata/note.txt")
	require.NoError(t, err)
	defer f.Close()
	evs, problems, err := parse(t, f)
	require.NoError(t, err)
	assert.Empty(t, problems)

	type got struct {
		Kind, Key, Value, Name string
		Line                   int
	}
	var gots []got
	for _, ev := range evs {
		assert.Equal(t, event.SourceText, ev.Source)
		assert.Equal(t, "bundle.zip!/note.txt", ev.Path)
		assert.True(t, ev.Time.IsZero())
		assert.False(t, ev.Local)
		assert.Zero(t, ev.EndLine)
		switch ev.Kind {
		case event.KindUIText:
			gots = append(gots, got{ev.Kind, ev.Get("ui.key"), ev.Get("ui.text"), "", ev.Line})
		case event.KindHRESULT:
			gots = append(gots, got{ev.Kind, "", ev.Get("hresult"), ev.Get("hresult.name"), ev.Line})
		}
	}
	assert.Equal(t, []got{
		{event.KindUIText, "server-not-found", "Lync couldn’t find a Lync Server for contoso.com. There might be an issue with the Domain Name System (DNS) configuration for your domain.", "", 5},
		{event.KindUIText, "server-unavailable", "We’re having trouble connecting to the server.", "", 6},
		{event.KindHRESULT, "", "0x800488ee", "PPCRL_REQUEST_E_PARTNER_LOGIN", 8},
		{event.KindHRESULT, "", "0x80048821", "PPCRL_REQUEST_E_BAD_MEMBER_NAME_OR_PASSWORD", 9},
	}, gots)
	assert.Equal(t, "After a restart it changed to: We’re having trouble connecting to the server.", evs[1].Text)
}

func TestParseLinesAndProblems(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		lines    []int
		problems []event.Problem
	}{
		{"CRLF and a BOM", "\uFEFFSign-in address not found\r\n\r\nhr=0x80072EFD\r\n", []int{1, 3}, nil},
		{"both kinds on one line: UI text first", "The server is not responding or cannot be reached (0x80072EE7)", []int{1, 1}, nil},
		{"nothing to find", "hello\nworld\n", nil, nil},
		{"a line over the limit is cut and reported", strings.Repeat("x", 1<<20+10) + "\nSign-in address was not found.\n", []int{2},
			[]event.Problem{{Line: 1, Msg: "line longer than 1048576 bytes, cut"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs, problems, err := parse(t, strings.NewReader(tt.in))
			require.NoError(t, err)
			var lines []int
			for _, ev := range evs {
				lines = append(lines, ev.Line)
			}
			assert.Equal(t, tt.lines, lines)
			assert.Equal(t, tt.problems, problems)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Run("emit error", func(t *testing.T) {
		boom := errors.New("sink full")
		_, err := Parse(context.Background(), "n", strings.NewReader("hr=0x80048821\nhr=0x80048823\n"), func(event.Event) error { return boom })
		assert.ErrorIs(t, err, boom)
	})
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("disk on fire")
		evs, _, err := parse(t, io.MultiReader(strings.NewReader("0x80048821\n"), iotest.ErrReader(boom)))
		assert.ErrorIs(t, err, boom)
		assert.Len(t, evs, 1)
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Parse(ctx, "n", strings.NewReader(strings.Repeat("line\n", 2*ctxEvery)), func(event.Event) error { return nil })
		assert.ErrorIs(t, err, context.Canceled)
	})
}
