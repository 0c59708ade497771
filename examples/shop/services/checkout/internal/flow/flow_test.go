package flow

import (
	"testing"

	shopv1 "shop.example.com/libs/proto/shop/v1"
)

func TestEmptyOrderRejected(t *testing.T) {
	_, err := New("", "").PlaceOrder(&shopv1.PlaceOrderRequest{Order: &shopv1.Order{}})
	if err == nil {
		t.Fatal("expected an error for an empty order")
	}
}
