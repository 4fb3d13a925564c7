// Flows: the list, and the editor of a Webhook Received flow with its three
// cards (emit an event, update the contact, send a message) and the
// variable picker that fills their template fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { FlowStepInput } from '../gql/graphql';
import { message } from '../api';
import { Delete, Failure, Field, Loading, Time } from '../ui';
import { go } from '../router';

const FlowsQuery = graphql(`
  query Flows($first: Int!, $after: Cursor) {
    flows(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          enabled
          updatedAt
          trigger {
            webhook {
              id
              name
            }
          }
        }
      }
    }
  }
`);

const FlowQuery = graphql(`
  query Flow($id: ID!) {
    node(id: $id) {
      ... on Flow {
        id
        name
        enabled
        trigger {
          webhook {
            id
          }
        }
        steps {
          type
          config
        }
      }
    }
  }
`);

const InboundHooks = graphql(`
  query InboundHooks {
    webhooks(first: 500, where: { direction: INBOUND }, orderBy: { field: NAME, direction: ASC }) {
      edges {
        node {
          id
          name
          variables
        }
      }
    }
  }
`);

const CreateFlow = graphql(`
  mutation CreateFlow($input: CreateFlowInput!) {
    createFlow(input: $input) {
      id
    }
  }
`);
const DeleteFlow = graphql(`
  mutation DeleteFlow($id: ID!) {
    deleteFlow(id: $id)
  }
`);

const UpdateFlow = graphql(`
  mutation UpdateFlow($id: ID!, $input: UpdateFlowInput!) {
    updateFlow(id: $id, input: $input) {
      id
      name
      enabled
    }
  }
`);

export function Flows() {
  const [after, setAfter] = useState<string | null>(null);
  const [res] = useQuery({ query: FlowsQuery, variables: { first: 50, after } });
  const conn = res.data?.flows;
  return (
    <section aria-labelledby="flows-h">
      <div class="page-head">
        <h1 id="flows-h">Flows</h1>
        <button type="button" onClick={() => go('/flows/new')}>
          New flow
        </button>
      </div>
      <Failure error={message(res.error)} />
      {res.fetching && !conn && <Loading what="flows" />}
      {conn && conn.edges?.length === 0 && <p class="empty">No flows yet. A flow runs when its connection receives a webhook.</p>}
      {conn && (conn.edges?.length ?? 0) > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connection</th>
              <th scope="col">Enabled</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {conn.edges?.map((e) =>
              e?.node ? (
                <tr key={e.node.id}>
                  <td>
                    <a href={'#/flows/' + encodeURIComponent(e.node.id)}>{e.node.name}</a>
                  </td>
                  <td>{e.node.trigger.webhook?.name ?? '—'}</td>
                  <td>{e.node.enabled ? 'Yes' : 'No'}</td>
                  <td>
                    <Time t={e.node.updatedAt} />
                  </td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      )}
      {conn?.pageInfo.hasNextPage && (
        <button type="button" class="secondary" onClick={() => setAfter(conn.pageInfo.endCursor ?? null)}>
          Next page
        </button>
      )}
    </section>
  );
}

interface Cards {
  emit: boolean;
  emitName: string;
  emitData: string;
  update: boolean;
  updateSet: string;
  send: boolean;
  channel: string;
  text: string;
}

const EMPTY: Cards = {
  emit: true,
  emitName: '',
  emitData: '{\n  "id": "{{data.id}}"\n}',
  update: false,
  updateSet: '{\n  "name": "{{data.name}}"\n}',
  send: false,
  channel: 'whatsapp',
  text: '',
};

function cardsOf(steps: { type: string; config: unknown }[]): Cards {
  const c: Cards = { ...EMPTY, emit: false };
  for (const s of steps) {
    const cfg = (s.config ?? {}) as Record<string, unknown>;
    if (s.type === 'EMIT_EVENT')
      Object.assign(c, { emit: true, emitName: String(cfg.name ?? ''), emitData: JSON.stringify(cfg.data ?? {}, null, 2) });
    if (s.type === 'UPDATE_CONTACT') Object.assign(c, { update: true, updateSet: JSON.stringify(cfg.set ?? {}, null, 2) });
    if (s.type === 'SEND_MESSAGE') Object.assign(c, { send: true, channel: String(cfg.channel ?? ''), text: String(cfg.text ?? '') });
  }
  return c;
}

export function FlowEditor({ id }: { id?: string }) {
  const [flow] = useQuery({ query: FlowQuery, variables: { id: id ?? '' }, pause: !id });
  const f = flow.data?.node && 'steps' in flow.data.node ? flow.data.node : null;
  if (id && flow.error) return <Failure error={message(flow.error)} />;
  if (id && !flow.data) return <Loading what="the flow" />;
  if (id && !f) return <p role="alert">No flow {id}.</p>;
  const preset = new URLSearchParams(location.hash.split('?')[1] ?? '').get('webhook') ?? '';
  return (
    <Editor
      key={id ?? 'new'}
      id={id}
      initial={{
        name: f?.name ?? '',
        enabled: f?.enabled ?? true,
        webhook: f?.trigger.webhook?.id ?? preset,
        cards: f ? cardsOf(f.steps) : EMPTY,
      }}
    />
  );
}

function Editor({ id, initial }: { id?: string; initial: { name: string; enabled: boolean; webhook: string; cards: Cards } }) {
  const [name, setName] = useState(initial.name);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [webhook, setWebhook] = useState(initial.webhook);
  const [cards, setCards] = useState(initial.cards);
  const [jsonError, setJsonError] = useState('');
  const [saved, setSaved] = useState(false);
  const [hooks] = useQuery({ query: InboundHooks });
  const [created, create] = useMutation(CreateFlow);
  const [updated, update] = useMutation(UpdateFlow);
  const [, remove] = useMutation(DeleteFlow);
  // The template field the variable picker writes into: the last one focused.
  const target = useRef<{ key: keyof Cards; el: HTMLInputElement | HTMLTextAreaElement } | null>(null);
  const variables = hooks.data?.webhooks.edges?.find((e) => e?.node?.id === webhook)?.node?.variables ?? [];
  useEffect(() => setSaved(false), [name, enabled, webhook, cards]);
  const field = (key: keyof Cards) => ({
    value: cards[key] as string,
    onFocus: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => (target.current = { key, el: e.currentTarget }),
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setCards({ ...cards, [key]: e.currentTarget.value }),
  });
  const insert = (v: string) => {
    const t = target.current;
    if (!t) return;
    const cur = cards[t.key] as string;
    const at = t.el.selectionStart ?? cur.length;
    const end = t.el.selectionEnd ?? at;
    const text = '{{' + v + '}}';
    setCards({ ...cards, [t.key]: cur.slice(0, at) + text + cur.slice(end) });
    requestAnimationFrame(() => {
      t.el.focus();
      t.el.setSelectionRange(at + text.length, at + text.length);
    });
  };
  const error = message(created.error) || message(updated.error);
  return (
    <section aria-labelledby="flow-h">
      <p>
        <a href="#/flows">← Flows</a>
      </p>
      <h1 id="flow-h">{id ? 'Edit flow' : 'New flow'}</h1>
      <form
        class="flow"
        onSubmit={async (e) => {
          e.preventDefault();
          const steps: FlowStepInput[] = [];
          try {
            if (cards.emit) steps.push({ type: 'EMIT_EVENT', config: { name: cards.emitName, data: JSON.parse(cards.emitData || '{}') } });
            if (cards.update) steps.push({ type: 'UPDATE_CONTACT', config: { set: JSON.parse(cards.updateSet || '{}') } });
          } catch {
            setJsonError('The data and the fields to set must be JSON objects.');
            return;
          }
          if (cards.send) steps.push({ type: 'SEND_MESSAGE', config: { channel: cards.channel, text: cards.text } });
          setJsonError('');
          const trigger = { type: 'WEBHOOK_RECEIVED' as const, webhookId: webhook || null };
          if (id) {
            const r = await update({ id, input: { name, enabled, trigger, steps } });
            if (!r.error) setSaved(true);
          } else {
            const r = await create({ input: { name, enabled, trigger, steps } });
            if (r.data) go('/flows/' + encodeURIComponent(r.data.createFlow.id));
          }
        }}
      >
        <Field label="Name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <label class="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} /> Enabled
        </label>
        <div class="card">
          <h2>When a webhook is received</h2>
          <Field label="Connection">
            <select value={webhook} onChange={(e) => setWebhook(e.currentTarget.value)}>
              <option value="">Choose an inbound connection</option>
              {hooks.data?.webhooks.edges?.map((e) => e?.node && <option value={e.node.id}>{e.node.name}</option>)}
            </select>
          </Field>
        </div>
        <div class="cards">
          <div class="card">
            <label class="check">
              <input type="checkbox" checked={cards.emit} onChange={(e) => setCards({ ...cards, emit: e.currentTarget.checked })} />{' '}
              <b>Emit an event</b>
            </label>
            {cards.emit && (
              <>
                <Field label="Event name" hint="sent as flow.<name>">
                  <input {...field('emitName')} required />
                </Field>
                <Field label="Event data (JSON template)">
                  <textarea rows={5} class="mono" {...field('emitData')} />
                </Field>
              </>
            )}
          </div>
          <div class="card">
            <label class="check">
              <input type="checkbox" checked={cards.update} onChange={(e) => setCards({ ...cards, update: e.currentTarget.checked })} />{' '}
              <b>Update the contact</b>
            </label>
            {cards.update && (
              <Field label="Fields to set (JSON template)" hint='e.g. {"email": "{{data.email}}", "attributes.plan": "{{data.plan}}"}'>
                <textarea rows={5} class="mono" {...field('updateSet')} />
              </Field>
            )}
          </div>
          <div class="card">
            <label class="check">
              <input type="checkbox" checked={cards.send} onChange={(e) => setCards({ ...cards, send: e.currentTarget.checked })} />{' '}
              <b>Send a message</b>
            </label>
            {cards.send && (
              <>
                <Field label="Channel">
                  <input {...field('channel')} required />
                </Field>
                <Field label="Message text (template)">
                  <textarea rows={3} {...field('text')} required />
                </Field>
              </>
            )}
          </div>
        </div>
        <div class="card" role="region" aria-label="Variables">
          <h2>Variables</h2>
          {!webhook ? (
            <p class="muted">Choose a connection to see its variables.</p>
          ) : variables.length === 0 ? (
            <p class="muted">Capture the connection's schema to see its payload's fields here.</p>
          ) : (
            <>
              <p class="muted">Focus a template field, then pick a variable to insert it.</p>
              <ul class="vars">
                {variables.map((v) => (
                  <li key={v}>
                    <button type="button" class="chip mono" onMouseDown={(e) => e.preventDefault()} onClick={() => insert(v)}>
                      {v}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
        <Failure error={jsonError || error} />
        {saved && <p role="status">Saved.</p>}
        <button type="submit" disabled={created.fetching || updated.fetching}>
          {id ? 'Save' : 'Create'}
        </button>{' '}
        {id && (
          <Delete
            name={initial.name}
            goesWith="Its runs go with it."
            onDelete={async () => {
              const r = await remove({ id });
              if (!r.error) go('/flows');
              return message(r.error);
            }}
          />
        )}
      </form>
    </section>
  );
}
