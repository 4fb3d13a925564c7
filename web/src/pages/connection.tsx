// A connection's page: its settings, health and limits, the actions on it,
// its schema versions and variables, its flows and its logs.
import { useEffect, useState } from 'preact/hooks';
import { useMutation, useQuery, useSubscription } from '@urql/preact';
import { graphql } from '../gql';
import type { WebhookQuery } from '../gql/graphql';
import { message } from '../api';
import { Badge, Failure, Field, Loading, Secret, Time } from '../ui';
import { go } from '../router';
import { Logs } from './logs';

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
const Delete = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);
const Rotate = graphql(`
  mutation RotateWebhookSecret($id: ID!, $grace: Int) {
    rotateWebhookSecret(id: $id, graceSeconds: $grace) {
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
const Test = graphql(`
  mutation SendTest($id: ID!) {
    sendTestEvent(webhookId: $id) {
      id
      status
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
  const [del, remove] = useMutation(Delete);
  const [rot, rotate] = useMutation(Rotate);
  const [test, sendTest] = useMutation(Test);
  const [cap, capture] = useMutation(Capture);
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [grace, setGrace] = useState('86400');
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
      {w.direction === 'OUTBOUND' && (
        <button type="button" disabled={test.fetching} onClick={() => sendTest({ id: w.id })}>
          Send test event
        </button>
      )}
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
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
      {test.data && <p role="status">Test event queued: delivery {test.data.sendTestEvent.id}.</p>}
      <Failure error={message(test.error) || message(status.error) || message(cap.error)} />
      {rotating && !rot.data && (
        <form
          class="card"
          onSubmit={(e) => {
            e.preventDefault();
            rotate({ id: w.id, grace: Number(grace) });
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
          <Failure error={message(rot.error)} />
          <button type="submit" disabled={rot.fetching}>
            Rotate
          </button>
        </form>
      )}
      {rot.data?.rotateWebhookSecret.secret && <Secret label="New secret" value={rot.data.rotateWebhookSecret.secret} />}
      {confirming && (
        <div role="alertdialog" aria-modal="false" aria-labelledby="del-h" class="card confirm">
          <h2 id="del-h">Delete {w.name}?</h2>
          <p>Its logs and deliveries go with it. This cannot be undone.</p>
          <Failure error={message(del.error)} />
          <button
            type="button"
            class="danger"
            disabled={del.fetching}
            onClick={async () => {
              const r = await remove({ id: w.id });
              if (!r.error) go('/');
            }}
          >
            Delete {w.name}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

function Settings({ w }: { w: Hook }) {
  const [name, setName] = useState(w.name);
  const [description, setDescription] = useState(w.description ?? '');
  const [res, update] = useMutation(Update);
  const changed = name !== w.name || description !== (w.description ?? '');
  return (
    <section aria-labelledby="settings-h" class="card">
      <h2 id="settings-h">Settings</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          update({ id: w.id, input: { name, description } });
        }}
      >
        <Field label="Name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Description">
          <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <Failure error={message(res.error)} />
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
            <dt>Contact resolution</dt>
            <dd>
              {w.inbound.contactResolution
                ? `${w.inbound.contactResolution.match} at ${w.inbound.contactResolution.path}` +
                  (w.inbound.contactResolution.createIfMissing ? ', created when missing' : '')
                : 'None'}
            </dd>
          </>
        )}
        {w.outbound && (
          <>
            <dt>URL</dt>
            <dd class="mono">{w.outbound.url}</dd>
            <dt>Authentication</dt>
            <dd>
              {w.outbound.auth}
              {w.outbound.secretHint ? ', …' + w.outbound.secretHint : ''}
            </dd>
            <dt>Events</dt>
            <dd>{w.outbound.events.join(', ')}</dd>
            <dt>Retries, timeout</dt>
            <dd>
              {w.outbound.maxRetries} retries, {w.outbound.timeoutSeconds} s
            </dd>
            <dt>Limits</dt>
            <dd>
              {w.outbound.maxConcurrency} in flight at most,{' '}
              {w.outbound.rateLimitPerSecond ? w.outbound.rateLimitPerSecond + ' a second' : 'no rate limit'}
              {w.outbound.ordered ? ', ordered' : ''}
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
          <Badge value={h.state} /> {h.since && <>since <Time t={h.since} /></>}
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
    </section>
  );
}

function Schemas({ w }: { w: Hook }) {
  const latest = w.schemas[0];
  return (
    <section aria-labelledby="schema-h" class="card">
      <h2 id="schema-h">Schema</h2>
      {!latest ? (
        <p class="muted">No schema captured yet: use Capture schema, then send a request.</p>
      ) : (
        <>
          <p>
            Version {latest.version}, captured <Time t={latest.capturedAt} />
            {w.schemas.length > 1 && <> ({w.schemas.length} versions)</>}
          </p>
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
