// The Webhooks & API list: every connection, newest first, filtered by
// direction and status, a page at a time.
import { useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { Direction, WebhookStatus } from '../gql/graphql';
import { message } from '../api';
import { Badge, Failure, FilterSelect, Loading, Pager, Time, count, usePages } from '../ui';
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
          outbound {
            health {
              state
            }
          }
        }
      }
    }
  }
`);

export function Webhooks() {
  const [direction, setDirection] = useState<Direction | ''>('');
  const [status, setStatus] = useState<WebhookStatus | ''>('');
  const pages = usePages();
  const where = { ...(direction ? { direction } : {}), ...(status ? { status } : {}) };
  const [res] = useQuery({ query: WebhooksQuery, variables: { first: PAGE_SIZE, after: pages.after, where } });
  const conn = res.data?.webhooks;
  return (
    <section aria-labelledby="webhooks-h">
      <div class="page-head">
        <h1 id="webhooks-h">Webhooks &amp; API</h1>
        <button type="button" onClick={() => go('/new')}>
          New connection
        </button>
      </div>
      <div class="filters" role="group" aria-label="Filters">
        <FilterSelect
          label="Direction"
          value={direction}
          options={[
            ['INBOUND', 'Inbound'],
            ['OUTBOUND', 'Outbound'],
          ]}
          onChange={(v) => {
            setDirection(v);
            pages.reset();
          }}
        />
        <FilterSelect
          label="Status"
          value={status}
          options={[
            ['ACTIVE', 'Active'],
            ['PAUSED', 'Paused'],
            ['DISABLED', 'Disabled'],
          ]}
          onChange={(v) => {
            setStatus(v);
            pages.reset();
          }}
        />
        {conn && <span class="muted">{count(conn.totalCount, 'connection', 'connections')}</span>}
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
                      {e.node.outbound?.health.state === 'FAILING' && (
                        <>
                          {' '}
                          <Badge value="FAILING" />
                        </>
                      )}
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
      {conn && <Pager pages={pages} hasNext={conn.pageInfo.hasNextPage} endCursor={conn.pageInfo.endCursor} />}
    </section>
  );
}
