// The logs panel: a connection's history, newest first, filtered, with
// more rows on scroll; "Live" streams webhookLogTail into the top.
import { memo } from 'preact/compat';
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useClient, useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { Direction, LogOutcome, LogRowFragment } from '../gql/graphql';
import { SocketContext, message } from '../api';
import { Badge, EventTypeFilter, Failure, FilterSelect, Loading, Time, pretty } from '../ui';

/** LIVE_CAP bounds the rows the live tail keeps: at 1,000 rows a second the page stays as fast and as small as at one. */
export const LIVE_CAP = 500;

/** FLUSH_MS is how often live rows reach the page. */
const FLUSH_MS = 200;

graphql(`
  fragment LogRow on WebhookLog {
    id
    occurredAt
    outcome
    statusCode
    durationMs
    attempt
    error
  }
`);

const LogsQuery = graphql(`
  query Logs($first: Int!, $after: Cursor, $where: WebhookLogFilter!) {
    webhookLogs(first: $first, after: $after, where: $where) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...LogRow
        }
      }
    }
  }
`);

const TailSub = graphql(`
  subscription LogTail($id: ID) {
    webhookLogTail(webhookId: $id) {
      ...LogRow
    }
  }
`);

const LogDetail = graphql(`
  query LogDetail($id: ID!) {
    node(id: $id) {
      ... on WebhookLog {
        id
        direction
        error
        nextRetryAt
        request {
          method
          url
          headers
          body
        }
        response {
          headers
          body
        }
        webhook {
          id
        }
        event {
          id
          type
          deliveries {
            id
            status
            webhook {
              id
            }
          }
        }
      }
    }
  }
`);

const Retry = graphql(`
  mutation RetryDelivery($id: ID!) {
    retryDelivery(id: $id) {
      id
      status
    }
  }
`);

const OUTCOMES: LogOutcome[] = ['ACCEPTED', 'REJECTED', 'DUPLICATE', 'SUCCEEDED', 'FAILED'];

export function Logs({ webhookId, direction }: { webhookId: string; direction: Direction }) {
  const [outcome, setOutcome] = useState<LogOutcome | ''>('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [eventType, setEventType] = useState('');
  const [live, setLive] = useState(false);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [liveRows, setLiveRows] = useState<LogRowFragment[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [ended, setEnded] = useState('');
  const socket = useContext(SocketContext);
  // Each switch-on reads the list again, so that what arrived before the
  // tail began is there too; the pages' keys carry it.
  const [generation, setGeneration] = useState(0);
  const where = useMemo(
    () => ({
      webhookId,
      ...(outcome ? { outcomes: [outcome] } : {}),
      ...(since ? { since: new Date(since).toISOString() } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
      ...(eventType ? { eventType } : {}),
    }),
    [webhookId, outcome, since, until, eventType],
  );
  const more = useCallback((cursor: string | null) => setPages((p) => [...p, cursor]), []);
  const reset = () => {
    setPages([null]);
    setLiveRows([]);
  };
  // Live on: the list is read again (what came before the tail began, or
  // while it was down, is there too) and the tail's rows go on top.
  const startLive = () => {
    setLive(true);
    setLiveRows([]);
    setPages([null]);
    setGeneration((g) => g + 1);
  };
  const client = useClient();
  useEffect(() => {
    if (!live) return;
    // Rows are buffered and reach the page every FLUSH_MS, newest first, at
    // most LIVE_CAP of them: a flood costs one render per batch, not one
    // per row.
    let buffer: LogRowFragment[] = [];
    const flush = setInterval(() => {
      if (buffer.length === 0) return;
      const fresh = buffer.reverse();
      buffer = [];
      setLiveRows((rows) => [...fresh, ...rows].slice(0, LIVE_CAP));
    }, FLUSH_MS);
    const sub = client.subscription(TailSub, { id: webhookId }).subscribe((r) => {
      if (r.error) {
        // The server ends a tail that cannot keep up (SLOW_SUBSCRIBER): say
        // so, and subscribe again, reading the gap back with the list.
        const slow = r.error.graphQLErrors.some((e) => e.extensions?.code === 'SLOW_SUBSCRIBER');
        setEnded(
          slow
            ? 'The live tail fell behind and the server ended it; it was resumed and the rows missed meanwhile were read again.'
            : message(r.error),
        );
        setLive(false);
        setTimeout(startLive, 500);
        return;
      }
      const row = r.data?.webhookLogTail;
      if (row && (!outcome || row.outcome === outcome)) {
        buffer.push(row);
        if (buffer.length > LIVE_CAP) buffer = buffer.slice(-LIVE_CAP);
      }
    });
    return () => {
      sub.unsubscribe();
      clearInterval(flush);
    };
  }, [live, generation, webhookId, outcome]);
  // The tail's rows are every new row (of the outcome chosen): a list cut
  // at a time, or to one event type, has no live end.
  const liveBlocked = Boolean(until || eventType);
  useEffect(() => {
    if (liveBlocked && live) {
      setLive(false);
      setLiveRows([]);
    }
  }, [liveBlocked]);
  // The pages below leave out what the tail showed: the first page, read
  // again at the switch, can hold the tail's first rows.
  const liveIds = useMemo(() => new Set(liveRows.map((r) => r.id)), [liveRows]);
  return (
    <section aria-labelledby="logs-h" class="card" role="region" aria-label="Logs">
      <div class="page-head">
        <h2 id="logs-h">Logs</h2>
        <label
          class="switch"
          title={liveBlocked ? 'Live shows the rows logged from now on: clear Until and Event type to use it.' : undefined}
        >
          <input
            type="checkbox"
            role="switch"
            disabled={liveBlocked}
            checked={live}
            onChange={(e) => {
              setEnded('');
              if (e.currentTarget.checked) startLive();
              else {
                setLive(false);
                setLiveRows([]);
              }
            }}
          />{' '}
          Live
        </label>
      </div>
      {live && (
        <p role="status" class={socket === 'connected' ? 'ok' : 'warn'}>
          {socket === 'connected'
            ? `Streaming new rows as they are logged (the newest ${LIVE_CAP} are kept).`
            : 'Connecting the live tail…'}
        </p>
      )}
      {ended && <p role="status">{ended}</p>}
      <div class="filters" role="group" aria-label="Log filters">
        <FilterSelect
          label="Outcome"
          value={outcome}
          options={OUTCOMES.map((o) => [o, o])}
          onChange={(v) => {
            setOutcome(v);
            reset();
          }}
        />
        <label>
          Since{' '}
          <input
            type="datetime-local"
            value={since}
            onChange={(e) => {
              setSince(e.currentTarget.value);
              reset();
            }}
          />
        </label>
        <label>
          Until{' '}
          <input
            type="datetime-local"
            value={until}
            onChange={(e) => {
              setUntil(e.currentTarget.value);
              reset();
            }}
          />
        </label>
        {direction === 'OUTBOUND' && (
          <EventTypeFilter
            label="Event type"
            value={eventType}
            onChange={(v) => {
              setEventType(v);
              reset();
            }}
          />
        )}
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Outcome</th>
              <th scope="col">Status code</th>
              <th scope="col">Duration</th>
              {direction === 'OUTBOUND' && <th scope="col">Attempt</th>}
            </tr>
          </thead>
          {liveRows.length > 0 && <Rows rows={liveRows} open={open} setOpen={setOpen} direction={direction} />}
          {pages.map((after, i) => (
            <Page
              key={generation + ':' + String(after) + i}
              fresh={generation > 0 && i === 0}
              where={where}
              after={after}
              skip={i === 0 ? liveIds : NONE}
              open={open}
              setOpen={setOpen}
              direction={direction}
              last={i === pages.length - 1}
              more={more}
            />
          ))}
        </table>
      </div>
    </section>
  );
}

const NONE = new Set<string>();

const Page = memo(function Page(props: {
  where: Record<string, unknown>;
  after: string | null;
  fresh: boolean;
  skip: Set<string>;
  open: string | null;
  setOpen: (id: string | null) => void;
  direction: Direction;
  last: boolean;
  more: (cursor: string | null) => void;
}) {
  const [res] = useQuery({
    query: LogsQuery,
    variables: { first: 50, after: props.after, where: props.where as never },
    requestPolicy: props.fresh ? 'network-only' : 'cache-and-network',
  });
  const sentinel = useRef<HTMLButtonElement>(null);
  const conn = res.data?.webhookLogs;
  const hasNext = props.last && conn?.pageInfo.hasNextPage;
  useEffect(() => {
    // More rows on scroll: the next page loads as the button comes into view.
    if (!hasNext || !sentinel.current || typeof IntersectionObserver === 'undefined') return;
    const o = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && props.more(conn!.pageInfo.endCursor ?? null));
    o.observe(sentinel.current);
    return () => o.disconnect();
  }, [hasNext, conn?.pageInfo.endCursor]);
  const rows = (conn?.edges ?? []).flatMap((e) => (e?.node && !props.skip.has(e.node.id) ? [e.node] : []));
  const cols = props.direction === 'OUTBOUND' ? 5 : 4;
  return (
    <>
      <Rows rows={rows} open={props.open} setOpen={props.setOpen} direction={props.direction} />
      <tbody>
        {res.error && (
          <tr>
            <td colSpan={cols}>
              <Failure error={message(res.error)} />
            </td>
          </tr>
        )}
        {res.fetching && !conn && (
          <tr>
            <td colSpan={cols}>
              <Loading what="logs" />
            </td>
          </tr>
        )}
        {conn && rows.length === 0 && props.after === null && props.skip.size === 0 && (
          <tr>
            <td colSpan={cols} class="empty">
              No requests logged{Object.keys(props.where).length > 1 ? ' that match these filters' : ' yet'}.
            </td>
          </tr>
        )}
        {hasNext && (
          <tr>
            <td colSpan={cols}>
              <button type="button" class="secondary" ref={sentinel} onClick={() => props.more(conn!.pageInfo.endCursor ?? null)}>
                More
              </button>
            </td>
          </tr>
        )}
      </tbody>
    </>
  );
});

function Rows({
  rows,
  open,
  setOpen,
  direction,
}: {
  rows: LogRowFragment[];
  open: string | null;
  setOpen: (id: string | null) => void;
  direction: Direction;
}) {
  return (
    <tbody>
      {rows.map((r) => (
        <Row key={r.id} r={r} open={open === r.id} setOpen={setOpen} direction={direction} />
      ))}
    </tbody>
  );
}

// Row is memoized: a batch of live rows renders the new rows, not the 500
// already shown.
const Row = memo(function Row({
  r,
  open,
  setOpen,
  direction,
}: {
  r: LogRowFragment;
  open: boolean;
  setOpen: (id: string | null) => void;
  direction: Direction;
}) {
  return (
    <>
      <tr class="clickable">
        <td>
          <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(open ? null : r.id)}>
            <Time t={r.occurredAt} />
          </button>
        </td>
        <td>
          <Badge value={r.outcome} />
        </td>
        <td>{r.statusCode ?? '—'}</td>
        <td>{r.durationMs} ms</td>
        {direction === 'OUTBOUND' && <td>{r.attempt ?? ''}</td>}
      </tr>
      {open && (
        <tr>
          <td colSpan={direction === 'OUTBOUND' ? 5 : 4}>
            <Detail id={r.id} />
          </td>
        </tr>
      )}
    </>
  );
});

function Detail({ id }: { id: string }) {
  const [res] = useQuery({ query: LogDetail, variables: { id } });
  const [retry, doRetry] = useMutation(Retry);
  if (res.error) return <Failure error={message(res.error)} />;
  const l = res.data?.node;
  if (!l || !('request' in l)) return <Loading what="the request" />;
  const delivery = l.event?.deliveries.find((d) => d.webhook.id === l.webhook.id);
  return (
    <div class="detail">
      {l.error && <p class="error">{l.error}</p>}
      <div class="grid">
        <div>
          <h3>Request</h3>
          <p class="mono">
            {l.request.method} {l.request.url}
          </p>
          <Headers h={l.request.headers} />
          <pre class="body">{pretty(l.request.body)}</pre>
        </div>
        <div>
          <h3>Response</h3>
          {l.response ? (
            <>
              <Headers h={l.response.headers} />
              <pre class="body">{pretty(l.response.body)}</pre>
            </>
          ) : (
            <p class="muted">No answer.</p>
          )}
        </div>
      </div>
      {l.direction === 'OUTBOUND' && delivery && (
        <p>
          <button type="button" disabled={retry.fetching} onClick={() => doRetry({ id: delivery.id })}>
            Retry
          </button>{' '}
          {retry.data && <span role="status">Retry queued: the delivery is {retry.data.retryDelivery.status}.</span>}
          <Failure error={message(retry.error)} />
        </p>
      )}
    </div>
  );
}

function Headers({ h }: { h: unknown }) {
  const entries = Object.entries((h ?? {}) as Record<string, string | string[]>);
  if (entries.length === 0) return null;
  return (
    <table class="headers">
      <caption class="sr-only">Headers</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td class="mono">{Array.isArray(v) ? v.join(', ') : String(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
