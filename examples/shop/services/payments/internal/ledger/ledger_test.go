package ledger

import (
	"testing"

	shopv1 "shop.example.com/libs/proto/shop/v1"
)

func TestChargeRejectsZero(t *testing.T) {
	if New().Charge(&shopv1.ChargeRequest{AmountCents: 0}).Approved {
		t.Fatal("zero amount approved")
	}
}
