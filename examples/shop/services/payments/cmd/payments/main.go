package main

import (
	"net/http"

	"shop.example.com/libs/go-common/config"
	"shop.example.com/libs/go-common/log"
	shopv1 "shop.example.com/libs/proto/shop/v1"
	"shop.example.com/services/payments/internal/ledger"
)

func main() {
	cfg := config.FromEnv()
	logger := log.NewLogger("payments")
	l := ledger.New()
	http.HandleFunc("/charge", func(w http.ResponseWriter, r *http.Request) {
		var req shopv1.ChargeRequest
		resp := l.Charge(&req)
		logger.Info("charge", "order", req.OrderId, "approved", resp.Approved)
	})
	logger.Info("listening", "addr", cfg.ListenAddr)
	_ = http.ListenAndServe(cfg.ListenAddr, nil)
}
