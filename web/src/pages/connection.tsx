// A connection's page: its settings, health and limits, the actions on it,
// its schema versions and variables, its flows and its logs.
import { useEffect, useState } from 'preact/hooks';
import { useMutation, useQuery, useSubscription } from '@urql/preact';
import { graphql } from '../gql';
import type { UpdateWebhookInput, WebhookQuery } from '../gql/graphql';
import { message } from '../api';
import { Badge, Delete, Failure, Field, Loading, Secret, Time, count } from '../ui';
import { go } from '../router';
import { Logs } from './logs';
import { ContactResolutionFields, RetryFields, SendTestButton } from './parts';
import type { Resolution } from './parts';

const Webhook = graphql(`
  query Webhook($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        id
        name
        description
        direction
        status
        schemaVersion
        createdAt
        lastActivityAt
        flowCount
        variables
        inbound {
          url
          capturing
          auth {
            mode
            preset
            secretHint
            toleranceSeconds
          }
          contactResolution {
            match
            path
            createIfMissing
          }
        }
        outbound {
          url
          auth
          events
          maxRetries
          timeoutSeconds
          secretHint
          maxConcurrency
          rateLimitPerSecond
          ordered
          health {
            state
            since
            consecutiveFailures
            lastError
            heldDeliveries
          }
        }
        schemas {
          version
          capturedAt
          fields {
            path
            type
          }
        }
        flows(first: 20) {
          edges {
            node {
              id
              name
              enabled
            }
          }
        }
      }
    }
  }
`);

const Update = graphql(`
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      id
      name
      description
    }
  }
`);
const SetStatus = graphql(`
  mutation SetWebhookStatus($id: ID!, $status: WebhookStatus!) {
    setWebhookStatus(id: $id, status: $status) {
      id
      status
    }
  }
`);
const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);
const Rotate = graphql(`
  mutation RotateWebhookSecret($id: ID!, $grace: Int, $secret: String) {
    rotateWebhookSecret(id: $id, graceSeconds: $grace, secret: $secret) {
      secret
      webhook {
        id
      }
    }
  }
`);
const Capture = graphql(`
  mutation StartSchemaCapture($id: ID!) {
    startSchemaCapture(webhookId: $id) {
      id
      inbound {
        capturing
      }
    }
  }
`);
const Tail = graphql(`
  subscription CaptureTail($id: ID) {
    webhookLogTail(webhookId: $id) {
      id
      outcome
    }
  }
`);

type Hook = Extract<NonNullable<WebhookQuery['node']>, { direction: unknown }>;

export function Connection({ id }: { id: string }) {
  const [res, refetch] = useQuery({ query: Webhook, variables: { id } });
  if (res.error) return <Failure error={message(res.error)} />;
  if (!res.data) return <Loading what="the connection" />;
  const w = res.data.node as Hook | null;
  if (!w || !('direction' in w)) {
    return (
      <p role="alert">
        No connection {id}. <a href="#/">Back to Webhooks &amp; API</a>
      </p>
    );
  }
  return <Page w={w} refetch={() => refetch({ requestPolicy: 'network-only' })} />;
}

function Page({ w, refetch }: { w: Hook; refetch: () => void }) {
  const inbound = w.direction === 'INBOUND';
  return (
    <section aria-labelledby="conn-h">
      <p>
        <a href="#/">← Webhooks &amp; API</a>
      </p>
      <div class="page-head">
        <h1 id="conn-h">{w.name}</h1>
        <Badge value={w.status} />
      </div>
      {inbound && w.inbound && (
        <p>
          URL: <code class="mono">{w.inbound.url}</code>
        </p>
      )}
      <Actions w={w} refetch={refetch} />
      <div class="grid">
        <Settings w={w} />
        {w.outbound && <Health w={w} />}
      </div>
      {inbound && <Schemas w={w} />}
      <section aria-labelledby="flows-h" class="card">
        <h2 id="flows-h">Flows</h2>
        {w.flowCount === 0 ? (
          <p class="muted">No flow uses this connection.</p>
        ) : (
          <ul>
            {w.flows.edges?.map((e) =>
              e?.node ? (
                <li key={e.node.id}>
                  <a href={'#/flows/' + encodeURIComponent(e.node.id)}>{e.node.name}</a> {e.node.enabled ? '' : '(disabled)'}
                </li>
              ) : null,
            )}
          </ul>
        )}
        {inbound && <a href={'#/flows/new?webhook=' + encodeURIComponent(w.id)}>New flow for this connection</a>}
      </section>
      <Logs webhookId={w.id} direction={w.direction} />
    </section>
  );
}

function Actions({ w, refetch }: { w: Hook; refetch: () => void }) {
  const [status, setStatus] = useMutation(SetStatus);
  const [, remove] = useMutation(DeleteWebhook);
  const [rot, rotate] = useMutation(Rotate);
  const [cap, capture] = useMutation(Capture);
  const [rotating, setRotating] = useState(false);
  const [grace, setGrace] = useState('86400');
  const [newSecret, setNewSecret] = useState('');
  // Shared secrets and outbound HMAC secrets are generated; a provider's,
  // a token or a password is the other side's to give.
  const generated = w.inbound ? w.inbound.auth.mode === 'SHARED_SECRET' : w.outbound?.auth === 'HMAC';
  const capturing = w.inbound?.capturing ?? false;
  // While capturing, the next accepted request becomes a schema version:
  // wait for it live, then show the fields.
  const [tail] = useSubscription({ query: Tail, variables: { id: w.id }, pause: !capturing });
  useEffect(() => {
    if (capturing && tail.data?.webhookLogTail.outcome === 'ACCEPTED') refetch();
  }, [tail.data]);
  // And every 2 s meanwhile: a request that came before the tail was
  // subscribed, or while the socket was down, is captured all the same.
  useEffect(() => {
    if (!capturing) return;
    const every = setInterval(refetch, 2000);
    return () => clearInterval(every);
  }, [capturing]);
  return (
    <div class="actions">
      {w.direction === 'INBOUND' && (
        <button type="button" disabled={capturing || cap.fetching} onClick={() => capture({ id: w.id })}>
          Capture schema
        </button>
      )}
      {capturing && (
        <span role="status" class="warn">
          Waiting for the next request to capture its schema…
        </span>
      )}
      {w.direction === 'OUTBOUND' && <SendTestButton id={w.id} />}
      <button type="button" class="secondary" onClick={() => setRotating(!rotating)}>
        Rotate secret
      </button>
      {w.status === 'ACTIVE' ? (
        <button type="button" class="secondary" disabled={status.fetching} onClick={() => setStatus({ id: w.id, status: 'PAUSED' })}>
          Pause
        </button>
      ) : (
        <button type="button" class="secondary" disabled={status.fetching} onClick={() => setStatus({ id: w.id, status: 'ACTIVE' })}>
          Resume
        </button>
      )}
      <Delete
        name={w.name}
        goesWith="Its logs and deliveries go with it."
        onDelete={async () => {
          const r = await remove({ id: w.id });
          if (!r.error) go('/');
          return message(r.error);
        }}
      />
      <Failure error={message(status.error) || message(cap.error)} />
      {rotating && !rot.data && (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            rotate({ id: w.id, grace: Number(grace), secret: newSecret || null });
          }}
        >
          <Field label="Keep the old secret valid for">
            <select value={grace} onChange={(e) => setGrace(e.currentTarget.value)}>
              <option value="0">No time: refuse it at once</option>
              <option value="3600">1 hour</option>
              <option value="86400">24 hours</option>
              <option value="604800">7 days</option>
            </select>
          </Field>
          <Field
            label={generated ? 'New secret' : "The provider's new secret"}
            hint={generated ? 'Leave empty to generate one.' : undefined}
          >
            <input
              type="password"
              autoComplete="off"
              required={!generated}
              value={newSecret}
              onInput={(e) => setNewSecret(e.currentTarget.value)}
            />
          </Field>
          <Failure error={message(rot.error)} />
          <button type="submit" disabled={rot.fetching}>
            Rotate
          </button>
        </form>
      )}
      {rot.data &&
        (rot.data.rotateWebhookSecret.secret ? (
          <Secret label="Your new secret" value={rot.data.rotateWebhookSecret.secret} />
        ) : (
          <p role="status">Secret rotated.</p>
        ))}
    </div>
  );
}

function Settings({ w }: { w: Hook }) {
  const [name, setName] = useState(w.name);
  const [description, setDescription] = useState(w.description ?? '');
  const cr = w.inbound?.contactResolution;
  const [resolution, setResolution] = useState<Resolution>({
    match: cr?.match ?? '',
    path: cr?.path ?? '',
    createIfMissing: cr?.createIfMissing ?? false,
  });
  const { match, path, createIfMissing } = resolution;
  const o = w.outbound;
  const [url, setUrl] = useState(o?.url ?? '');
  const [events, setEvents] = useState(o?.events.join(', ') ?? '');
  const [maxRetries, setMaxRetries] = useState(String(o?.maxRetries ?? ''));
  const [timeout, setTimeoutS] = useState(String(o?.timeoutSeconds ?? ''));
  const [maxConcurrency, setMaxConcurrency] = useState(String(o?.maxConcurrency ?? ''));
  const [rate, setRate] = useState(o?.rateLimitPerSecond ? String(o.rateLimitPerSecond) : '');
  const [ordered, setOrdered] = useState(o?.ordered ?? false);
  const [res, update] = useMutation(Update);
  const [saved, setSaved] = useState(false);
  const input: UpdateWebhookInput = {};
  if (name !== w.name) input.name = name;
  if (description !== (w.description ?? '')) input.description = description;
  if (w.inbound) {
    if (!match && cr) input.clearContactResolution = true;
    else if (match && (match !== cr?.match || path !== cr?.path || createIfMissing !== cr?.createIfMissing))
      input.contactResolution = { match, path, createIfMissing };
  }
  if (o) {
    const evs = events
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (url !== o.url) input.url = url;
    if (evs.join(',') !== o.events.join(',')) input.events = evs;
    // An emptied number field changes nothing; only the rate limit's empty
    // means something (no limit).
    if (maxRetries.trim() && Number(maxRetries) !== o.maxRetries) input.maxRetries = Number(maxRetries);
    if (timeout.trim() && Number(timeout) !== o.timeoutSeconds) input.timeoutSeconds = Number(timeout);
    if (maxConcurrency.trim() && Number(maxConcurrency) !== o.maxConcurrency) input.maxConcurrency = Number(maxConcurrency);
    if ((Number(rate) || 0) !== (o.rateLimitPerSecond ?? 0)) input.rateLimitPerSecond = Number(rate) || 0;
    if (ordered !== o.ordered) input.ordered = ordered;
  }
  const changed = Object.keys(input).length > 0;
  return (
    <section aria-labelledby="settings-h" class="card">
      <h2 id="settings-h">Settings</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(false);
          const r = await update({ id: w.id, input });
          if (!r.error) setSaved(true);
        }}
      >
        <Field label="Name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Description">
          <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        {w.inbound && (
          <>
            <ContactResolutionFields value={resolution} onChange={setResolution} />
          </>
        )}
        {o && (
          <>
            <Field label="URL" hint="Query values show as [redacted]; leave them so to keep them.">
              <input type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
            </Field>
            <Field label="Events" hint='Comma-separated: "contact.created", "flow.*", "*".'>
              <input required value={events} onInput={(e) => setEvents(e.currentTarget.value)} />
            </Field>
            <RetryFields retries={maxRetries} timeout={timeout} onRetries={setMaxRetries} onTimeout={setTimeoutS} />
            <div class="row">
              <Field label="Attempts in flight at most">
                <input type="number" min={1} value={maxConcurrency} onInput={(e) => setMaxConcurrency(e.currentTarget.value)} />
              </Field>
              <Field label="Attempts a second at most" hint="Empty: no limit.">
                <input type="number" min={1} value={rate} onInput={(e) => setRate(e.currentTarget.value)} />
              </Field>
            </div>
            <label class="check">
              <input type="checkbox" checked={ordered} onChange={(e) => setOrdered(e.currentTarget.checked)} /> Ordered: one attempt at a
              time, in event order
            </label>
          </>
        )}
        <Failure error={message(res.error)} />
        {saved && !changed && <p role="status">Saved.</p>}
        <button type="submit" disabled={!changed || res.fetching}>
          Save
        </button>
      </form>
      <dl>
        {w.inbound && (
          <>
            <dt>Authentication</dt>
            <dd>
              {w.inbound.auth.mode}
              {w.inbound.auth.preset ? ' (' + w.inbound.auth.preset + ')' : ''}, secret …{w.inbound.auth.secretHint}
            </dd>
          </>
        )}
        {o && (
          <>
            <dt>Authentication</dt>
            <dd>
              {o.auth}
              {o.secretHint ? ', …' + o.secretHint : ''}
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>
          <Time t={w.createdAt} />
        </dd>
        <dt>Last activity</dt>
        <dd>
          <Time t={w.lastActivityAt} />
        </dd>
      </dl>
    </section>
  );
}

function Health({ w }: { w: Hook }) {
  const h = w.outbound!.health;
  return (
    <section aria-labelledby="health-h" class="card">
      <h2 id="health-h">Health</h2>
      <dl>
        <dt>State</dt>
        <dd>
          <Badge value={h.state} />{' '}
          {h.since && (
            <>
              since <Time t={h.since} />
            </>
          )}
        </dd>
        <dt>Failures in a row</dt>
        <dd>{h.consecutiveFailures}</dd>
        <dt>Held deliveries</dt>
        <dd>{h.heldDeliveries}</dd>
        {h.lastError && (
          <>
            <dt>Last error</dt>
            <dd>{h.lastError}</dd>
          </>
        )}
      </dl>
      <Replay w={w} />
    </section>
  );
}

const ReplayMutation = graphql(`
  mutation ReplayDeliveries($id: ID!, $since: Time!, $until: Time, $statuses: [DeliveryStatus!]) {
    replayDeliveries(webhookId: $id, since: $since, until: $until, statuses: $statuses)
  }
`);

/**
 * Replay resends, once each, the deliveries of events since a time (failed
 * ones by default), through the webhook's limits: after a receiver was down
 * for a day, one action instead of a retry per delivery.
 */
function Replay({ w }: { w: Hook }) {
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [all, setAll] = useState(false);
  const [res, replay] = useMutation(ReplayMutation);
  return (
    <form
      class="replay"
      onSubmit={(e) => {
        e.preventDefault();
        replay({
          id: w.id,
          since: new Date(since).toISOString(),
          until: until ? new Date(until).toISOString() : null,
          statuses: all ? ['FAILED', 'SUCCEEDED'] : ['FAILED'],
        });
      }}
    >
      <h3>Replay deliveries</h3>
      <div class="row">
        <Field label="Events since">
          <input type="datetime-local" required value={since} onInput={(e) => setSince(e.currentTarget.value)} />
        </Field>
        <Field label="Until (optional)">
          <input type="datetime-local" value={until} onInput={(e) => setUntil(e.currentTarget.value)} />
        </Field>
      </div>
      <label class="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} /> Succeeded ones too, not only failed
      </label>
      <Failure error={message(res.error)} />
      {res.data && <p role="status">{count(res.data.replayDeliveries, 'delivery', 'deliveries')} queued again.</p>}
      <button type="submit" class="secondary" disabled={res.fetching}>
        Replay
      </button>
    </form>
  );
}

function Schemas({ w }: { w: Hook }) {
  const [version, setVersion] = useState<number | null>(null);
  const latest = w.schemas.find((s) => s.version === version) ?? w.schemas[0];
  return (
    <section aria-labelledby="schema-h" class="card">
      <h2 id="schema-h">Schema</h2>
      {!latest ? (
        <p class="muted">No schema captured yet: use Capture schema, then send a request.</p>
      ) : (
        <>
          <p>
            Version {latest.version}, captured <Time t={latest.capturedAt} />
          </p>
          {w.schemas.length > 1 && (
            <Field label="Schema version">
              <select value={String(latest.version)} onChange={(e) => setVersion(Number(e.currentTarget.value))}>
                {w.schemas.map((s) => (
                  <option value={String(s.version)}>
                    Version {s.version}
                    {s === w.schemas[0] ? ' (latest)' : ''}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <div class="table-wrap">
            <table>
              <caption>Captured fields</caption>
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Type</th>
                </tr>
              </thead>
              <tbody>
                {latest.fields.map((f) => (
                  <tr key={f.path}>
                    <td class="mono">{f.path}</td>
                    <td>{f.type}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h3>Variables</h3>
      <p class="muted">What a flow's templates can use, as {'{{path}}'}.</p>
      <ul class="vars">
        {w.variables.map((v) => (
          <li key={v} class="mono">
            {v}
          </li>
        ))}
      </ul>
    </section>
  );
}
