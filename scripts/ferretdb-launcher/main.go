// Command ferretdb-launcher runs FerretDB v1 (embedded, SQLite or PostgreSQL backend) so that
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
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	sqliteDir := flag.String("sqlite-dir", ".data/ferretdb", "directory holding one SQLite file per database")
	postgresURL := flag.String("postgresql-url", "", "use the PostgreSQL backend at this URL instead of SQLite")
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
	if *postgresURL != "" {
		cfg.Handler = "postgresql"
		cfg.PostgreSQLURL = *postgresURL
	} else {
		dir, err := filepath.Abs(*sqliteDir)
		if err != nil {
			fail("bad -sqlite-dir: %v", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			fail("cannot create %s: %v", dir, err)
		}
		cfg.Handler = "sqlite"
		cfg.SQLiteURL = "file:" + dir + "/"
		// No in-memory mode on purpose: with mode=memory FerretDB caps SQLite at one connection,
		// and an update that matches a document then waits forever for a second one.
	}

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
