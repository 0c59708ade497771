package ledger

import (
	"fmt"
	"sync"

	shopv1 "shop.example.com/libs/proto/shop/v1"
)

// Ledger records approved charges in memory.
type Ledger struct {
	mu      sync.Mutex
	entries map[string]int64
	seq     int
}

func New() *Ledger { return &Ledger{entries: map[string]int64{}} }

// Charge approves any positive amount and records it against the order.
func (l *Ledger) Charge(req *shopv1.ChargeRequest) *shopv1.ChargeResponse {
	if req.AmountCents <= 0 {
		return &shopv1.ChargeResponse{Approved: false, DeclineReason: "invalid amount"}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	l.entries[req.OrderId] += req.AmountCents
	return &shopv1.ChargeResponse{TransactionId: fmt.Sprintf("tx-%06d", l.seq), Approved: true}
}
