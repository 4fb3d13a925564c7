package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// loadConfig is the load every target gets.
type loadConfig struct {
	conns    int
	duration time.Duration
	warmup   time.Duration
	body     []byte
}

// result is one target's measurement window (warm-up excluded), plus the
// total of 2xx answers over the whole run for the row-count check.
type result struct {
	name       string
	ok         int // 2xx answers in the window
	errs       int // non-2xx answers and transport errors in the window
	lat        []time.Duration
	elapsed    time.Duration
	ok2xxTotal int // 2xx answers including the warm-up
	firstErr   string
}

func (r *result) rps() float64 { return float64(r.ok) / r.elapsed.Seconds() }

// add adds the measurement o of another slice to r; sort r.lat once all
// are in.
func (r *result) add(o *result) {
	r.ok += o.ok
	r.errs += o.errs
	r.lat = append(r.lat, o.lat...)
	r.elapsed += o.elapsed
	r.ok2xxTotal += o.ok2xxTotal
	if r.firstErr == "" {
		r.firstErr = o.firstErr
	}
}

// pct is the q-quantile (0..1) of the sorted latencies.
func (r *result) pct(q float64) time.Duration {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(q * float64(len(r.lat)))
	return r.lat[min(i, len(r.lat)-1)]
}

type worker struct {
	ok, errs, total int
	lat             []time.Duration
	firstErr        string
}

// drive runs cfg.conns closed-loop clients against url for warm-up plus
// duration and returns what happened after the warm-up.
func drive(url string, header http.Header, cfg loadConfig) *result {
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.conns, MaxConnsPerHost: cfg.conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	start := time.Now()
	from, until := start.Add(cfg.warmup), start.Add(cfg.warmup+cfg.duration)
	workers := make([]worker, cfg.conns)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			w.lat = make([]time.Duration, 0, 1<<16)
			for {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				status, err := post(client, url, header, cfg.body)
				d := time.Since(t0)
				good := err == nil && status/100 == 2
				if good {
					w.total++
				}
				if t0.Before(from) {
					continue
				}
				if !good {
					w.errs++
					if w.firstErr == "" {
						w.firstErr = fmt.Sprintf("status %d err %v", status, err)
					}
					continue
				}
				w.ok++
				w.lat = append(w.lat, d)
			}
		}(&workers[i])
	}
	wg.Wait()
	r := &result{elapsed: cfg.duration}
	for _, w := range workers {
		r.ok += w.ok
		r.errs += w.errs
		r.ok2xxTotal += w.total
		r.lat = append(r.lat, w.lat...)
		if r.firstErr == "" {
			r.firstErr = w.firstErr
		}
	}
	slices.Sort(r.lat)
	return r
}

// post sends one request and drains the answer so the connection is reused.
func post(c *http.Client, url string, header http.Header, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

// payload is a realistic JSON event (an order with line items) of about n
// bytes: a provider's typical webhook.
func payload(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"id":"evt_1NqX8f2eZvKYlo2C","type":"order.created","created":1767225600,` +
		`"data":{"customer":{"id":"cus_9s6XKzkNRiz8i3","email":"ada@example.com","phone":"+14155550123",` +
		`"name":"Ada Lovelace"},"currency":"usd","items":[`)
	for i := 0; ; i++ {
		item := fmt.Sprintf(`{"sku":"SKU-%05d","name":"Widget model %d","quantity":%d,"unit_amount":%d}`, i, i, i%5+1, 1999+i)
		if i > 0 && b.Len()+len(item)+40 > n {
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item)
	}
	b.WriteString(`],"total":12345,"livemode":false}}`)
	return []byte(b.String())
}
