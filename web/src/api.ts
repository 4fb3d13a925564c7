// The console's GraphQL client: urql over HTTP for queries and mutations,
// graphql-ws for subscriptions, both with the API key the person signed in
// with. A key the server refuses (HTTP 401, or the socket closed with
// 4401/4403) signs the person out; a lost socket reconnects with backoff,
// and the state is reported so the page can say so.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import type { CombinedError } from '@urql/core';
import { createClient as createWSClient } from 'graphql-ws';
import { createContext } from 'preact';

const KEY = 'wexio.apiKey';

/** The API key lives in sessionStorage: gone when the tab closes, never in a URL. */
export const session = {
  key: (): string | null => sessionStorage.getItem(KEY),
  save: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export type SocketState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

/** SocketContext tells pages how the subscriptions' WebSocket is doing. */
export const SocketContext = createContext<SocketState>('idle');

export interface Api {
  client: Client;
  dispose: () => void;
}

/** isUnauthenticated: the server refused the key. */
export function isUnauthenticated(err: CombinedError | undefined): boolean {
  if (!err) return false;
  const res = err.response as Response | undefined;
  if (res && res.status === 401) return true;
  return err.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/** message is what a person is shown for err: the server's own words. */
export function message(err: CombinedError | Error | undefined | null): string {
  if (!err) return '';
  if ('graphQLErrors' in err && err.graphQLErrors.length > 0) {
    return err.graphQLErrors.map((e) => e.message).join('; ');
  }
  if ('networkError' in err && err.networkError) return 'The server could not be reached: ' + err.networkError.message;
  return err.message;
}

export function createApi(key: string, onUnauthenticated: () => void, onSocket: (s: SocketState) => void): Api {
  const auth = 'Bearer ' + key;
  let everConnected = false;
  const ws = createWSClient({
    url: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/query',
    connectionParams: { Authorization: auth },
    lazy: true,
    retryAttempts: Infinity,
    // Refused keys are not retried: the person signs in again.
    shouldRetry: (e) => !(isCloseEvent(e) && (e.code === 4401 || e.code === 4403)),
    // 1 s doubling to 30 s, with jitter so that many consoles do not return at once.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    on: {
      connecting: () => onSocket(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        everConnected = true;
        onSocket('connected');
      },
      closed: (e) => {
        if (isCloseEvent(e) && (e.code === 4401 || e.code === 4403)) onUnauthenticated();
        // 1000: the client closed it, its last subscription done (lazy).
        else if (isCloseEvent(e) && e.code === 1000) onSocket('idle');
        else onSocket(everConnected ? 'reconnecting' : 'idle');
      },
    },
  });
  const client = new Client({
    url: '/query',
    fetchOptions: () => ({ headers: { Authorization: auth } }),
    requestPolicy: 'cache-and-network',
    exchanges: [
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query || '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void ws.dispose() };
}

function isCloseEvent(e: unknown): e is CloseEvent {
  return typeof e === 'object' && e !== null && 'code' in e;
}
