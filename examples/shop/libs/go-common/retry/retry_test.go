package retry

import (
	"errors"
	"testing"
)

func TestRetryStopsOnSuccess(t *testing.T) {
	calls := 0
	err := Retry(3, 0, func() error {
		calls++
		if calls < 2 {
			return errors.New("transient")
		}
		return nil
	})
	if err != nil || calls != 2 {
		t.Fatalf("err=%v calls=%d", err, calls)
	}
}
