package store

import (
	"sync"

	shopv1 "shop.example.com/libs/proto/shop/v1"
)

// Store is an in-memory product table.
type Store struct {
	mu       sync.Mutex
	products map[string]*shopv1.Product
}

// Seeded returns a store with a few demo products.
func Seeded() *Store {
	return &Store{products: map[string]*shopv1.Product{
		"MUG-01": {Sku: "MUG-01", Title: "Ripple mug", PriceCents: 1200, Stock: 40},
		"TEE-02": {Sku: "TEE-02", Title: "Monorepo tee", PriceCents: 2500, Stock: 12},
	}}
}

func (s *Store) List() []*shopv1.Product {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*shopv1.Product, 0, len(s.products))
	for _, p := range s.products {
		out = append(out, p)
	}
	return out
}

// Reserve takes quantity items out of stock if enough are left.
func (s *Store) Reserve(sku string, quantity int32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[sku]
	if !ok || p.Stock < quantity {
		return false
	}
	p.Stock -= quantity
	return true
}
