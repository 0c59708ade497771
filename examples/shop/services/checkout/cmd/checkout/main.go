package main

import (
	"net/http"
	"os"

	"shop.example.com/libs/go-common/config"
	"shop.example.com/libs/go-common/log"
	"shop.example.com/services/checkout/internal/flow"
)

func main() {
	cfg := config.FromEnv()
	logger := log.NewLogger("checkout")
	f := flow.New(os.Getenv("CATALOG_URL"), os.Getenv("PAYMENTS_URL"))
	http.HandleFunc("/orders", f.HandlePlaceOrder)
	logger.Info("listening", "addr", cfg.ListenAddr)
	_ = http.ListenAndServe(cfg.ListenAddr, nil)
}
