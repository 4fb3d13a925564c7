// Command loadbench is the reproducible load benchmark of the inbound
// endpoint. In one process run, with the same load settings, it measures:
//
//	bare         a net/http handler that drains the body and answers 202
//	groupcommit  a handler inserting one inbound-shaped log row through the
//	             group-commit writer, answering 202 after the commit
//	full         the real inbound handler (inbound.New, wired as internal/app
//	             does) on a SHARED_SECRET webhook
//	pgbare       with -database-url only: checks the secret and the JSON body,
//	             answers 202 once one pgx writer has COPYed its row (up to
//	             256 a transaction) into a narrow log table of its own
//	pgsame       pgbare's handler and writer COPYing the server's own row
//	             (webhook_logs, with the schema's indexes, foreign keys and
//	             counting triggers): a bare handler writing the same row
//
// Each target gets a fresh SQLite file in a temp dir, or with
// -database-url postgres://... (a throwaway database: its public schema is
// dropped and recreated before each target) that database, and a real net/http
// server on 127.0.0.1:0; the load generator (c keep-alive connections in a
// closed loop) runs in the same process. Only 2xx answers count as success.
// The targets (issue requirement): full >= 0.8 x groupcommit in req/s, and
// p99(full) < 15 ms at 64 connections; on PostgreSQL, full >= 0.7 x pgsame
// (the same log row into the same database) and p99(full) <= 20 ms;
// full/pgbare is printed too.
//
//	go run ./cmd/loadbench                     # all three, 64 conns, 10 s each
//	go run ./cmd/loadbench -c 64 -d 10s -warmup 2s -body 1024 -cpuprofile cpu.out
//	go run ./cmd/loadbench -run full -cpuprofile cpu.out   # profile one target
//	go run ./cmd/loadbench -database-url postgres://... -run pgbare,pgsame,full -d 8s
//
// To drive a target from another process (wrk), serve it alone:
//
//	go run ./cmd/loadbench -target full -addr 127.0.0.1:8089
//	wrk -t2 -c64 -d10s -s <printed post.lua> http://127.0.0.1:8089/in/<token>
//
// The printed post.lua sets the method, body, Content-Type and secret.
package main
