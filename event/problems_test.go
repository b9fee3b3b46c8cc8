package event

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProblems(t *testing.T) {
	var ps Problems
	assert.Empty(t, ps.List())
	ps.Max = 2
	for i := 1; i <= 5; i++ {
		ps.Addf(i, "bad line %d", i)
	}
	assert.Equal(t, []Problem{
		{Line: 1, Msg: "bad line 1"},
		{Line: 2, Msg: "bad line 2"},
		{Line: 5, Msg: "3 more problems not listed"},
	}, ps.List())
	assert.Len(t, ps.List(), 3, "List can be called again")
}
