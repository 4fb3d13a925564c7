// New connection: an inbound URL to receive webhooks, or an outbound
// webhook to send events to; then the URL and the secret, shown once.
import { useMemo, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { InboundAuthMode, OutboundAuthMode } from '../gql/graphql';
import { message } from '../api';
import { Failure, Field, Secret } from '../ui';
import { ContactResolutionFields, RetryFields, SendTestButton } from './parts';
import type { Resolution } from './parts';

const Presets = graphql(`
  query AuthPresets {
    authPresets {
      key
      name
      mode
      secretLabel
      docsUrl
    }
  }
`);

const CreateInbound = graphql(`
  mutation CreateInbound($input: CreateInboundWebhookInput!) {
    createInboundWebhook(input: $input) {
      secret
      webhook {
        id
        name
        inbound {
          url
        }
      }
    }
  }
`);

const CreateOutbound = graphql(`
  mutation CreateOutbound($input: CreateOutboundWebhookInput!) {
    createOutboundWebhook(input: $input) {
      secret
      webhook {
        id
        name
      }
    }
  }
`);

/** What the picker offers: the fixed event types, then each flow.<name> this workspace's flows emit. */
const EventTypes = graphql(`
  query EventTypes {
    eventTypes
  }
`);

const NATIVE: { mode: InboundAuthMode; label: string; secret: string }[] = [
  { mode: 'SHARED_SECRET', label: 'Shared secret', secret: 'Secret (leave empty to generate one)' },
  { mode: 'STRIPE', label: 'Stripe', secret: 'Signing secret (whsec_…)' },
  { mode: 'SLACK', label: 'Slack', secret: 'Signing secret' },
  { mode: 'SVIX', label: 'Svix / Standard Webhooks', secret: 'Signing secret (whsec_…)' },
  { mode: 'PADDLE', label: 'Paddle', secret: 'Secret key (pdl_ntfset_…)' },
  { mode: 'REVOLUT', label: 'Revolut', secret: 'Signing secret' },
  { mode: 'GENERIC_HMAC', label: 'Generic HMAC', secret: 'Secret' },
  { mode: 'PRESET', label: 'A provider preset', secret: 'Secret' },
];

export function NewConnection() {
  const [direction, setDirection] = useState<'INBOUND' | 'OUTBOUND'>('INBOUND');
  return (
    <section aria-labelledby="new-h">
      <h1 id="new-h">New connection</h1>
      <fieldset class="radios">
        <legend>Direction</legend>
        <div>
          <label>
            <input
              type="radio"
              name="direction"
              aria-describedby="dir-in"
              checked={direction === 'INBOUND'}
              onChange={() => setDirection('INBOUND')}
            />{' '}
            Inbound
          </label>{' '}
          <small id="dir-in" class="muted">
            receive webhooks from another system
          </small>
        </div>
        <div>
          <label>
            <input
              type="radio"
              name="direction"
              aria-describedby="dir-out"
              checked={direction === 'OUTBOUND'}
              onChange={() => setDirection('OUTBOUND')}
            />{' '}
            Outbound
          </label>{' '}
          <small id="dir-out" class="muted">
            send this workspace's events to a URL
          </small>
        </div>
      </fieldset>
      {direction === 'INBOUND' ? <NewInbound /> : <NewOutbound />}
    </section>
  );
}

function NewInbound() {
  const [name, setName] = useState('');
  const [mode, setMode] = useState<InboundAuthMode>('SHARED_SECRET');
  const [preset, setPreset] = useState('');
  const [search, setSearch] = useState('');
  const [secret, setSecret] = useState('');
  const [hmac, setHmac] = useState({ header: 'X-Signature', algorithm: 'SHA256', encoding: 'HEX', prefix: '', signedPayload: '{body}' });
  const [resolution, setResolution] = useState<Resolution>({ match: '', path: '', createIfMissing: false });
  const [presets] = useQuery({ query: Presets, pause: mode !== 'PRESET' });
  const [res, create] = useMutation(CreateInbound);
  const chosen = presets.data?.authPresets.find((p) => p.key === preset);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (presets.data?.authPresets ?? []).filter((p) => !q || p.name.toLowerCase().includes(q) || p.key.includes(q));
  }, [presets.data, search]);
  const done = res.data?.createInboundWebhook;
  if (done) {
    return (
      <div class="card" aria-live="polite">
        <h2>{done.webhook.name} is ready</h2>
        <p>Point the other system at this URL. The secret is shown only now: keep it somewhere safe.</p>
        <Secret label="URL" value={done.webhook.inbound?.url ?? ''} />
        {done.secret && <Secret label="Secret" value={done.secret} />}
        <p>
          <a href={'#/connections/' + encodeURIComponent(done.webhook.id)}>Open {done.webhook.name}</a>
        </p>
      </div>
    );
  }
  const secretLabel = mode === 'PRESET' ? (chosen?.secretLabel ?? 'Secret') : (NATIVE.find((n) => n.mode === mode)?.secret ?? 'Secret');
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        create({
          input: {
            name,
            auth: {
              mode,
              ...(mode === 'PRESET' ? { preset } : {}),
              ...(secret ? { secret } : {}),
              ...(mode === 'GENERIC_HMAC'
                ? {
                    hmac: {
                      header: hmac.header,
                      algorithm: hmac.algorithm as 'SHA256',
                      encoding: hmac.encoding as 'HEX',
                      signedPayload: hmac.signedPayload,
                      ...(hmac.prefix ? { prefix: hmac.prefix } : {}),
                    },
                  }
                : {}),
            },
            ...(resolution.match
              ? { contactResolution: { match: resolution.match, path: resolution.path, createIfMissing: resolution.createIfMissing } }
              : {}),
          },
        });
      }}
    >
      <Field label="Name">
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="Authentication">
        <select value={mode} onChange={(e) => setMode(e.currentTarget.value as InboundAuthMode)}>
          {NATIVE.map((n) => (
            <option value={n.mode}>{n.label}</option>
          ))}
        </select>
      </Field>
      {mode === 'PRESET' && (
        <div class="presets">
          <Field label="Search presets">
            <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          </Field>
          <Failure error={message(presets.error)} />
          <div role="radiogroup" aria-label="Preset" class="preset-list">
            {shown.map((p) => (
              <label>
                <input type="radio" name="preset" value={p.key} checked={preset === p.key} onChange={() => setPreset(p.key)} /> {p.name}
              </label>
            ))}
          </div>
          {chosen && (
            <p class="muted">
              Paste {chosen.secretLabel}.{' '}
              {chosen.docsUrl && (
                <a href={chosen.docsUrl} target="_blank" rel="noreferrer noopener">
                  {chosen.name}'s documentation
                </a>
              )}
            </p>
          )}
        </div>
      )}
      <Field label={secretLabel}>
        <input
          type="password"
          autoComplete="off"
          required={mode !== 'SHARED_SECRET'}
          value={secret}
          onInput={(e) => setSecret(e.currentTarget.value)}
        />
      </Field>
      {mode === 'GENERIC_HMAC' && (
        <fieldset>
          <legend>HMAC</legend>
          <Field label="Signature header">
            <input value={hmac.header} onInput={(e) => setHmac({ ...hmac, header: e.currentTarget.value })} />
          </Field>
          <Field label="Algorithm">
            <select value={hmac.algorithm} onChange={(e) => setHmac({ ...hmac, algorithm: e.currentTarget.value })}>
              <option>SHA256</option>
              <option>SHA512</option>
              <option>SHA1</option>
            </select>
          </Field>
          <Field label="Encoding">
            <select value={hmac.encoding} onChange={(e) => setHmac({ ...hmac, encoding: e.currentTarget.value })}>
              <option>HEX</option>
              <option>BASE64</option>
            </select>
          </Field>
          <Field label="Prefix" hint='e.g. "sha256="'>
            <input value={hmac.prefix} onInput={(e) => setHmac({ ...hmac, prefix: e.currentTarget.value })} />
          </Field>
          <Field label="Signed payload" hint='"{body}" or "{timestamp}.{body}"'>
            <input value={hmac.signedPayload} onInput={(e) => setHmac({ ...hmac, signedPayload: e.currentTarget.value })} />
          </Field>
        </fieldset>
      )}
      <fieldset>
        <legend>Contact resolution</legend>
        <ContactResolutionFields value={resolution} onChange={setResolution} />
      </fieldset>
      <Failure error={message(res.error)} />
      <button type="submit" disabled={res.fetching}>
        Create
      </button>
    </form>
  );
}

function NewOutbound() {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [auth, setAuth] = useState<OutboundAuthMode>('HMAC');
  const [token, setToken] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [events, setEvents] = useState<string[]>(['contact.created']);
  const [pattern, setPattern] = useState('');
  const [headers, setHeaders] = useState('');
  const [maxRetries, setMaxRetries] = useState('5');
  const [timeout, setTimeoutS] = useState('15');
  const [headersError, setHeadersError] = useState('');
  const [res, create] = useMutation(CreateOutbound);
  const [types] = useQuery({ query: EventTypes });
  const catalogue = types.data?.eventTypes ?? [];
  const done = res.data?.createOutboundWebhook;
  if (done) {
    return (
      <div class="card" aria-live="polite">
        <h2>{done.webhook.name} is ready</h2>
        {done.secret && (
          <>
            <p>Verify each request's Webhook-Signature with this secret (Standard Webhooks). It is shown only now.</p>
            <Secret label="Secret" value={done.secret} />
          </>
        )}
        <SendTestButton id={done.webhook.id} />
        <p>
          <a href={'#/connections/' + encodeURIComponent(done.webhook.id)}>Open {done.webhook.name}</a>
        </p>
      </div>
    );
  }
  const toggle = (ev: string) => setEvents(events.includes(ev) ? events.filter((x) => x !== ev) : [...events, ev]);
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        let parsed: unknown = undefined;
        if (headers.trim()) {
          try {
            parsed = JSON.parse(headers);
          } catch {
            setHeadersError('Headers must be a JSON object, e.g. {"X-Team": "billing"}.');
            return;
          }
        }
        setHeadersError('');
        create({
          input: {
            name,
            url,
            events,
            auth: auth === 'BEARER' ? { mode: auth, token } : auth === 'BASIC' ? { mode: auth, username, password } : { mode: auth },
            ...(parsed !== undefined ? { headers: parsed } : {}),
            // An emptied field is the default, not zero.
            ...(maxRetries.trim() ? { maxRetries: Number(maxRetries) } : {}),
            ...(timeout.trim() ? { timeoutSeconds: Number(timeout) } : {}),
          },
        });
      }}
    >
      <Field label="Name">
        <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Field label="URL">
        <input type="url" required placeholder="https://" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </Field>
      <Field label="Authentication">
        <select value={auth} onChange={(e) => setAuth(e.currentTarget.value as OutboundAuthMode)}>
          <option value="HMAC">Signed (Standard Webhooks HMAC)</option>
          <option value="BEARER">Bearer token</option>
          <option value="BASIC">Basic auth</option>
          <option value="NONE">None</option>
        </select>
      </Field>
      {auth === 'BEARER' && (
        <Field label="Token">
          <input type="password" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </Field>
      )}
      {auth === 'BASIC' && (
        <>
          <Field label="Username">
            <input required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </Field>
          <Field label="Password">
            <input type="password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </Field>
        </>
      )}
      <fieldset>
        <legend>Events</legend>
        <p class="muted">
          "contact.created" is that event; "flow.*" every event a flow emits; "contact.*" every contact event; "*" everything.
        </p>
        <div class="checks">
          {[...catalogue, 'flow.*', '*'].map((ev) => (
            <label class="check">
              <input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} /> {ev}
            </label>
          ))}
          {events
            .filter((ev) => !catalogue.includes(ev) && ev !== 'flow.*' && ev !== '*')
            .map((ev) => (
              <label class="check">
                <input type="checkbox" checked onChange={() => toggle(ev)} /> {ev}
              </label>
            ))}
        </div>
        <Failure error={message(types.error)} />
        <div class="row">
          <Field label="Another event or pattern">
            <input value={pattern} placeholder="flow.order_paid" onInput={(e) => setPattern(e.currentTarget.value)} />
          </Field>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              const p = pattern.trim();
              if (p && !events.includes(p)) setEvents([...events, p]);
              setPattern('');
            }}
          >
            Add
          </button>
        </div>
      </fieldset>
      <Field label="Static headers (JSON)" hint='e.g. {"X-Team": "billing"}'>
        <textarea rows={3} value={headers} onInput={(e) => setHeaders(e.currentTarget.value)} />
      </Field>
      <Failure error={headersError} />
      <RetryFields retries={maxRetries} timeout={timeout} onRetries={setMaxRetries} onTimeout={setTimeoutS} />
      <Failure error={message(res.error)} />
      <button type="submit" disabled={res.fetching}>
        Create
      </button>
    </form>
  );
}
