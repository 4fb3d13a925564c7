// The Webhooks & API list: every connection, newest first, filtered by
// direction and status, a page at a time.
import { useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { Direction, WebhookStatus } from '../gql/graphql';
import { message } from '../api';
import { Badge, Failure, Loading, Time } from '../ui';
import { go } from '../router';

export const PAGE_SIZE = 50;

const WebhooksQuery = graphql(`
  query Webhooks($first: Int!, $after: Cursor, $where: WebhookWhereInput) {
    webhooks(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          direction
          status
          schemaVersion
          flowCount
          createdAt
          lastActivityAt
        }
      }
    }
  }
`);

export function Webhooks() {
  const [direction, setDirection] = useState<Direction | ''>('');
  const [status, setStatus] = useState<WebhookStatus | ''>('');
  // Cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const where = { ...(direction ? { direction } : {}), ...(status ? { status } : {}) };
  const [res] = useQuery({ query: WebhooksQuery, variables: { first: PAGE_SIZE, after, where } });
  const conn = res.data?.webhooks;
  const reset = () => setCursors([null]);
  return (
    <section aria-labelledby="webhooks-h">
      <div class="page-head">
        <h1 id="webhooks-h">Webhooks &amp; API</h1>
        <button type="button" onClick={() => go('/new')}>
          New connection
        </button>
      </div>
      <div class="filters" role="group" aria-label="Filters">
        <label>
          Direction{' '}
          <select
            value={direction}
            onChange={(e) => {
              setDirection(e.currentTarget.value as Direction | '');
              reset();
            }}
          >
            <option value="">All</option>
            <option value="INBOUND">Inbound</option>
            <option value="OUTBOUND">Outbound</option>
          </select>
        </label>
        <label>
          Status{' '}
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as WebhookStatus | '');
              reset();
            }}
          >
            <option value="">All</option>
            <option value="ACTIVE">Active</option>
            <option value="PAUSED">Paused</option>
            <option value="DISABLED">Disabled</option>
          </select>
        </label>
        {conn && <span class="muted">{conn.totalCount} connections</span>}
      </div>
      <Failure error={message(res.error)} />
      {res.fetching && !conn && <Loading what="connections" />}
      {conn && conn.totalCount === 0 && (
        <p class="empty">
          No connections {direction || status ? 'match these filters' : 'yet'}. Use <b>New connection</b> to receive webhooks from another
          system or to send events to one.
        </p>
      )}
      {conn && conn.totalCount > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Direction</th>
                <th scope="col">Status</th>
                <th scope="col">Schema</th>
                <th scope="col">Flows</th>
                <th scope="col">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {conn.edges?.map((e) =>
                e?.node ? (
                  <tr key={e.node.id}>
                    <td>
                      <a href={'#/connections/' + encodeURIComponent(e.node.id)}>{e.node.name}</a>
                    </td>
                    <td>{e.node.direction === 'INBOUND' ? 'Inbound' : 'Outbound'}</td>
                    <td>
                      <Badge value={e.node.status} />
                    </td>
                    <td>{e.node.schemaVersion > 0 ? 'v' + e.node.schemaVersion : '—'}</td>
                    <td>{e.node.flowCount}</td>
                    <td>
                      <Time t={e.node.lastActivityAt} />
                    </td>
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </div>
      )}
      {conn && (cursors.length > 1 || conn.pageInfo.hasNextPage) && (
        <nav class="pager" aria-label="Pages">
          <button type="button" class="secondary" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Previous page
          </button>
          <span class="muted">Page {cursors.length}</span>
          <button
            type="button"
            class="secondary"
            disabled={!conn.pageInfo.hasNextPage}
            onClick={() => setCursors([...cursors, conn.pageInfo.endCursor ?? null])}
          >
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
