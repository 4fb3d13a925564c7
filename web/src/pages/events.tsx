// Events: what happened in the workspace, with each event's deliveries and
// each delivery's attempts.
import { useEffect, useState } from 'preact/hooks';
import { useQuery } from '@urql/preact';
import { graphql } from '../gql';
import { message } from '../api';
import { Badge, EventTypeFilter, Failure, Loading, Pager, Time, count, usePages } from '../ui';

const EventsQuery = graphql(`
  query Events($first: Int!, $after: Cursor, $where: EventFilter) {
    events(first: $first, after: $after, where: $where) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          type
          occurredAt
          deliveries {
            id
            status
            attempts
            nextAttemptAt
            webhook {
              id
              name
            }
            logs {
              ...LogRow
            }
          }
        }
      }
    }
  }
`);

export function Events() {
  const [type, setType] = useState('');
  const pages = usePages();
  const [open, setOpen] = useState<string | null>(null);
  const [res, refetch] = useQuery({
    query: EventsQuery,
    variables: { first: 50, after: pages.after, where: type ? { type } : null },
  });
  const conn = res.data?.events;
  // While a delivery shown is still pending, the page reads again every
  // 3 s: what happens to it shows without a reload.
  const pending = conn?.edges?.some((e) => e?.node?.deliveries.some((d) => d.status === 'PENDING')) ?? false;
  useEffect(() => {
    if (!pending) return;
    const every = setInterval(() => refetch({ requestPolicy: 'network-only' }), 3000);
    return () => clearInterval(every);
  }, [pending]);
  return (
    <section aria-labelledby="events-h">
      <h1 id="events-h">Events</h1>
      <div class="filters" role="group" aria-label="Filters">
        <EventTypeFilter
          label="Type"
          value={type}
          onChange={(v) => {
            setType(v);
            pages.reset();
          }}
        />
      </div>
      <Failure error={message(res.error)} />
      {res.fetching && !conn && <Loading what="events" />}
      {conn && conn.edges?.length === 0 && <p class="empty">No events{type ? ' of this type' : ' yet'}.</p>}
      {conn && (conn.edges?.length ?? 0) > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {conn.edges?.map((e) => {
                const ev = e?.node;
                if (!ev) return null;
                return (
                  <>
                    <tr key={ev.id}>
                      <td>
                        <Time t={ev.occurredAt} />
                      </td>
                      <td>
                        <button
                          type="button"
                          class="link"
                          aria-expanded={open === ev.id}
                          onClick={() => setOpen(open === ev.id ? null : ev.id)}
                        >
                          {ev.type}
                        </button>
                      </td>
                      <td>
                        {ev.deliveries.length === 0
                          ? 'none'
                          : ev.deliveries.map((d) => (
                              <span key={d.id} title={d.webhook.name}>
                                <Badge value={d.status} />{' '}
                              </span>
                            ))}
                      </td>
                    </tr>
                    {open === ev.id && (
                      <tr key={ev.id + '-d'}>
                        <td colSpan={3}>
                          {ev.deliveries.map((d) => (
                            <div class="delivery" key={d.id}>
                              <h3>
                                <a href={'#/connections/' + encodeURIComponent(d.webhook.id)}>{d.webhook.name}</a>:{' '}
                                <Badge value={d.status} />, {count(d.attempts, 'attempt', 'attempts')}
                                {d.nextAttemptAt && (
                                  <>
                                    , next <Time t={d.nextAttemptAt} />
                                  </>
                                )}
                              </h3>
                              <table>
                                <caption class="sr-only">Attempts to {d.webhook.name}</caption>
                                <thead>
                                  <tr>
                                    <th scope="col">Attempt</th>
                                    <th scope="col">Time</th>
                                    <th scope="col">Outcome</th>
                                    <th scope="col">Status code</th>
                                    <th scope="col">Error</th>
                                  </tr>
                                </thead>
                                <tbody>
                                  {d.logs.map((l) => (
                                    <tr key={l.id}>
                                      <td>{l.attempt}</td>
                                      <td>
                                        <Time t={l.occurredAt} />
                                      </td>
                                      <td>
                                        <Badge value={l.outcome} />
                                      </td>
                                      <td>{l.statusCode ?? '—'}</td>
                                      <td>{l.error ?? ''}</td>
                                    </tr>
                                  ))}
                                </tbody>
                              </table>
                            </div>
                          ))}
                        </td>
                      </tr>
                    )}
                  </>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {conn && <Pager pages={pages} hasNext={conn.pageInfo.hasNextPage} endCursor={conn.pageInfo.endCursor} />}
    </section>
  );
}
