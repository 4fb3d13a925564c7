import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Provider } from '@urql/preact';
import { SocketContext, createApi, isUnauthenticated, message, session } from './api';
import type { SocketState } from './api';
import { graphql } from './gql';
import { useRoute, match, go } from './router';
import { Webhooks } from './pages/webhooks';
import { NewConnection } from './pages/new';
import { Connection } from './pages/connection';
import { Events } from './pages/events';
import { Flows, FlowEditor } from './pages/flows';
import { Failure } from './ui';
import './styles.css';

const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      workspace {
        id
        name
      }
    }
  }
`);

function SignIn({ onSignedIn, notice }: { onSignedIn: (key: string) => void; notice: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <h1>Wexio Webhooks</h1>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError('');
          const api = createApi(
            key.trim(),
            () => {},
            () => {},
          );
          const res = await api.client.query(ViewerQuery, {}, { requestPolicy: 'network-only' }).toPromise();
          api.dispose();
          setBusy(false);
          if (isUnauthenticated(res.error)) setError('The server refused this API key.');
          else if (res.error) setError(message(res.error));
          else onSignedIn(key.trim());
        }}
      >
        {notice && <p role="status">{notice}</p>}
        <label class="field">
          <span>API key</span>
          <input
            type="password"
            autoComplete="off"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby="signin-error"
          />
        </label>
        <div id="signin-error">
          <Failure error={error} />
        </div>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function Shell({ onSignOut, socket }: { onSignOut: () => void; socket: SocketState }) {
  const route = useRoute();
  const section = route.startsWith('/events') ? 'events' : route.startsWith('/flows') ? 'flows' : 'webhooks';
  let page;
  let m: Record<string, string> | null;
  if (route === '/' || route.startsWith('/?')) page = <Webhooks />;
  else if (route === '/new') page = <NewConnection />;
  else if ((m = match('/connections/:id', route))) page = <Connection id={m.id} />;
  else if (route.startsWith('/events')) page = <Events />;
  else if (route === '/flows') page = <Flows />;
  else if (route === '/flows/new') page = <FlowEditor />;
  else if ((m = match('/flows/:id', route))) page = <FlowEditor id={m.id} />;
  else
    page = (
      <p>
        Nothing here. <a href="#/">Back to Webhooks &amp; API</a>
      </p>
    );
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          Wexio
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={section === 'webhooks' ? 'page' : undefined}>
            Webhooks &amp; API
          </a>
          <a href="#/events" aria-current={section === 'events' ? 'page' : undefined}>
            Events
          </a>
          <a href="#/flows" aria-current={section === 'flows' ? 'page' : undefined}>
            Flows
          </a>
        </nav>
        {socket === 'reconnecting' && (
          <span role="status" class="warn">
            Live connection lost; reconnecting…
          </span>
        )}
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </>
  );
}

function App() {
  const [key, setKey] = useState(session.key());
  const [notice, setNotice] = useState('');
  const [socket, setSocket] = useState<SocketState>('idle');
  const api = useMemo(
    () =>
      key
        ? createApi(
            key,
            () => {
              session.clear();
              setNotice('Your API key was refused; sign in again.');
              setKey(null);
            },
            setSocket,
          )
        : null,
    [key],
  );
  useEffect(() => () => api?.dispose(), [api]);
  if (!api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(k) => {
          session.save(k);
          setNotice('');
          setKey(k);
          go('/');
        }}
      />
    );
  }
  return (
    <Provider value={api.client}>
      <SocketContext.Provider value={socket}>
        <Shell
          socket={socket}
          onSignOut={() => {
            session.clear();
            setKey(null);
          }}
        />
      </SocketContext.Provider>
    </Provider>
  );
}

render(<App />, document.getElementById('app')!);
