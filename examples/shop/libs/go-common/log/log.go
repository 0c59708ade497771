package log

import (
	"fmt"
	"os"
	"time"
)

// Logger writes structured key=value lines to stderr.
type Logger struct {
	Service string
}

// NewLogger returns a logger tagged with the service name.
func NewLogger(service string) *Logger {
	return &Logger{Service: service}
}

// Info logs an informational message with key/value pairs.
func (l *Logger) Info(msg string, kv ...any) {
	fmt.Fprintf(os.Stderr, "ts=%s svc=%s level=info msg=%q %v\n",
		time.Now().UTC().Format(time.RFC3339), l.Service, msg, kv)
}
