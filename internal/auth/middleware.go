package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Middleware authenticates every GraphQL request over HTTP. A WebSocket
// upgrade passes through: its key arrives in connection_init (see
// WebsocketInit), because browsers cannot set headers on a WebSocket.
func (s *Service) Middleware(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		key, _ := BearerToken(r.Header.Get("Authorization"))
		ctx, err := s.Authenticate(r.Context(), key)
		switch {
		case errors.Is(err, ErrUnauthenticated):
			writeUnauthenticated(w)
			return
		case err != nil:
			// Our fault, not the key's: a 401 would tell the client to
			// change a key that is fine.
			log.ErrorContext(r.Context(), "authenticating request", "err", err)
			writeError(w, http.StatusServiceUnavailable, "INTERNAL_SERVER_ERROR", "could not check the API key; try again")
			return
		}
		if s.limiter != nil {
			if ok, wait := s.limiter.Allow(KeyID(ctx)); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1)))
				writeError(w, http.StatusTooManyRequests, CodeRateLimited,
					"rate limit of this API key reached; retry after the Retry-After seconds")
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// CodeRateLimited is the extensions.code of a request past its key's rate.
const CodeRateLimited = "RATE_LIMITED"

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// writeUnauthenticated answers 401 with a GraphQL error response, so GraphQL
// clients can read extensions.code.
func writeUnauthenticated(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="wexio"`)
	writeError(w, http.StatusUnauthorized, "UNAUTHENTICATED", ErrUnauthenticated.Error())
}

// writeError answers status with a GraphQL error response.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{
			"message":    msg,
			"extensions": map[string]any{"code": code},
		}},
		"data": nil,
	})
}

// WebsocketInit authenticates a WebSocket connection from its
// connection_init payload: {"Authorization": "Bearer <key>"}, key name
// case-insensitive.
func (s *Service) WebsocketInit(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	var header string
	for k, v := range payload {
		if strings.EqualFold(k, "Authorization") {
			header, _ = v.(string)
		}
	}
	key, _ := BearerToken(header)
	authed, err := s.Authenticate(ctx, key)
	if err != nil {
		// 4403 Forbidden is what graphql-ws clients expect for a refused
		// connection_init; gqlgen would otherwise close with 1000.
		ctx = transport.WithWebsocketCloseCode(ctx, 4403)
		ctx = transport.AppendCloseReason(ctx, "Forbidden: a valid API key is required")
		return ctx, nil, ErrUnauthenticated
	}
	// No ack payload: it would echo the key back over the socket.
	return authed, nil, nil
}
