package main

import (
	"net/http"

	"shop.example.com/libs/go-common/config"
	"shop.example.com/libs/go-common/log"
	"shop.example.com/services/gateway/internal/routes"
)

func main() {
	cfg := config.FromEnv()
	logger := log.NewLogger("gateway")
	mux := http.NewServeMux()
	for _, r := range routes.Table {
		mux.Handle(r.Path, routes.Proxy(r.Upstream))
	}
	logger.Info("listening", "addr", cfg.ListenAddr, "routes", len(routes.Table))
	_ = http.ListenAndServe(cfg.ListenAddr, mux)
}
