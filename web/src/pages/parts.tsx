// Pieces the connection pages share: contact resolution's fields and the
// "Send test event" action.
import { useMutation } from '@urql/preact';
import { graphql } from '../gql';
import type { ContactMatch } from '../gql/graphql';
import { message } from '../api';
import { Failure, Field } from '../ui';

/** Resolution is contact resolution as a form holds it: no match, none. */
export interface Resolution {
  match: ContactMatch | '';
  path: string;
  createIfMissing: boolean;
}

export function ContactResolutionFields({ value, onChange }: { value: Resolution; onChange: (r: Resolution) => void }) {
  return (
    <>
      <Field label="Match contacts by">
        <select value={value.match} onChange={(e) => onChange({ ...value, match: e.currentTarget.value as ContactMatch | '' })}>
          <option value="">Do not resolve contacts</option>
          <option value="EMAIL">Email</option>
          <option value="PHONE">Phone</option>
          <option value="CHAT_ID">Chat id</option>
          <option value="CHANNEL_USER_ID">Channel user id</option>
        </select>
      </Field>
      {value.match && (
        <>
          <Field label="Path in the payload" hint="e.g. data.customer.email">
            <input required value={value.path} onInput={(e) => onChange({ ...value, path: e.currentTarget.value })} />
          </Field>
          <label class="check">
            <input
              type="checkbox"
              checked={value.createIfMissing}
              onChange={(e) => onChange({ ...value, createIfMissing: e.currentTarget.checked })}
            />{' '}
            Create the contact when none matches
          </label>
        </>
      )}
    </>
  );
}

const SendTest = graphql(`
  mutation SendTestEvent($id: ID!) {
    sendTestEvent(webhookId: $id) {
      id
      status
    }
  }
`);

/** SendTestButton sends a webhook.test event to outbound webhook id alone. */
export function SendTestButton({ id }: { id: string }) {
  const [test, send] = useMutation(SendTest);
  return (
    <>
      <button type="button" disabled={test.fetching} onClick={() => send({ id })}>
        Send test event
      </button>
      {test.data && <p role="status">Test event queued: delivery {test.data.sendTestEvent.id}.</p>}
      <Failure error={message(test.error)} />
    </>
  );
}

/** RetryFields are an outbound webhook's retries and per-attempt timeout. */
export function RetryFields(props: { retries: string; timeout: string; onRetries: (v: string) => void; onTimeout: (v: string) => void }) {
  return (
    <div class="row">
      <Field label="Retries">
        <input type="number" min={0} max={20} value={props.retries} onInput={(e) => props.onRetries(e.currentTarget.value)} />
      </Field>
      <Field label="Timeout (seconds)">
        <input type="number" min={1} max={300} value={props.timeout} onInput={(e) => props.onTimeout(e.currentTarget.value)} />
      </Field>
    </div>
  );
}
