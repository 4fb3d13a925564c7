package auth

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
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
		if err != nil {
			if !errors.Is(err, ErrUnauthenticated) {
				log.ErrorContext(r.Context(), "authenticating request", "err", err)
			}
			writeUnauthenticated(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// writeUnauthenticated answers 401 with a GraphQL error response, so GraphQL
// clients can read extensions.code.
func writeUnauthenticated(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="wexio"`)
	w.WriteHeader(http.StatusUnauthorized)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{
			"message":    ErrUnauthenticated.Error(),
			"extensions": map[string]any{"code": "UNAUTHENTICATED"},
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
