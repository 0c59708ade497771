package main

import (
	"encoding/json"
	"net/http"

	"shop.example.com/libs/go-common/config"
	"shop.example.com/libs/go-common/log"
	"shop.example.com/services/catalog/internal/store"
)

func main() {
	cfg := config.FromEnv()
	logger := log.NewLogger("catalog")
	s := store.Seeded()
	http.HandleFunc("/products", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(s.List())
	})
	logger.Info("listening", "addr", cfg.ListenAddr)
	_ = http.ListenAndServe(cfg.ListenAddr, nil)
}
