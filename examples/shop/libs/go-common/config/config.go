package config

import "os"

// Config is read once at start-up from the environment.
type Config struct {
	ListenAddr string
	Env        string
}

// FromEnv reads SHOP_LISTEN_ADDR and SHOP_ENV, with defaults.
func FromEnv() Config {
	return Config{
		ListenAddr: getenv("SHOP_LISTEN_ADDR", ":8080"),
		Env:        getenv("SHOP_ENV", "dev"),
	}
}

func getenv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
