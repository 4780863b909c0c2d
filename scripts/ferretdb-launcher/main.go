// Command ferretdb-launcher runs FerretDB v1 (embedded, PostgreSQL backend) so that
// EnvCase has a MongoDB wire-protocol server from the Go module proxy alone. It lives in its own
// module because FerretDB's own command panics when built outside its repository (it expects a
// version file that only its release build writes).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	postgresURL := flag.String("postgresql-url", "", "PostgreSQL database FerretDB stores into, e.g. postgres://postgres@127.0.0.1:5432/ferretdb")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
	}
	// PostgreSQL only: the SQLite backend pushes no filter down but a lone _id (and does not
	// even use its own _id index), so every list scanned its whole collection.
	if *postgresURL == "" {
		fail("-postgresql-url is required")
	}
	cfg.Handler = "postgresql"
	cfg.PostgreSQLURL = *postgresURL

	server, err := ferretdb.New(&cfg)
	if err != nil {
		fail("cannot configure FerretDB: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	done := make(chan error, 1)
	go func() { done <- server.Run(ctx) }()

	// Run has no readiness callback; the URI is meaningful once the listener is bound, which a
	// short pause covers. Clients still poll ping, so this line is informative only.
	select {
	case err := <-done:
		fail("FerretDB stopped: %v", err)
	case <-time.After(200 * time.Millisecond):
		fmt.Println(server.MongoDBURI())
	}

	if err := <-done; err != nil && ctx.Err() == nil {
		fail("FerretDB stopped: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ferretdb-launcher: "+format+"\n", args...)
	os.Exit(1)
}
