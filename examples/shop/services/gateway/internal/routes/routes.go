package routes

import (
	"net/http"
	"net/http/httputil"
	"net/url"
)

// Route maps a public path prefix to an internal upstream.
type Route struct {
	Path     string
	Upstream string
}

// Table is the public API surface. The web frontend may only call these paths.
var Table = []Route{
	{Path: "/api/products", Upstream: "http://catalog:8080/products"},
	{Path: "/api/orders", Upstream: "http://checkout:8080/orders"},
	{Path: "/api/health", Upstream: "http://gateway:8080/healthz"},
}

// Proxy forwards requests to upstream.
func Proxy(upstream string) http.Handler {
	u, _ := url.Parse(upstream)
	return httputil.NewSingleHostReverseProxy(u)
}
