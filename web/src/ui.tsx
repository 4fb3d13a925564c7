// Small pieces every page uses.
import { cloneElement } from 'preact';
import type { VNode } from 'preact';
import { useId, useState } from 'preact/hooks';

/** Time shows t in the viewer's time zone, the exact instant on hover. */
export function Time({ t }: { t: string | null | undefined }) {
  if (!t) return <span>—</span>;
  const d = new Date(t);
  return (
    <time dateTime={t} title={d.toString() + ' (' + t + ')'}>
      {d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
    </time>
  );
}

/** Failure shows an error where it happened, in the server's words. */
export function Failure({ error, label }: { error: string | null | undefined; label?: string }) {
  if (!error) return null;
  return (
    <p class="error" role="alert" aria-label={label}>
      {error}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}

/** Secret shows a value once, with a Copy button. */
export function Secret({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div class="secret">
      <label for={id}>{label}</label>
      <div class="row">
        <input id={id} readOnly value={value} class="mono" onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          aria-label="Copy"
          title={'Copy ' + label}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
            } catch {
              // Without clipboard access (an insecure origin), select it for Ctrl+C.
              (document.getElementById(id) as HTMLInputElement | null)?.select();
            }
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          Copy
        </button>
        <span role="status" class="muted">
          {copied ? 'Copied' : ''}
        </span>
      </div>
    </div>
  );
}

/**
 * Field labels one control. The hint describes it (aria-describedby)
 * without becoming part of its name.
 */
export function Field({ label, children, hint }: { label: string; children: VNode<any>; hint?: string }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {cloneElement(children, { id, 'aria-describedby': hint ? id + '-hint' : undefined })}
      {hint && (
        <small id={id + '-hint'} class="muted">
          {hint}
        </small>
      )}
    </div>
  );
}

export function Badge({ value }: { value: string }) {
  return <span class={'badge badge-' + value.toLowerCase()}>{value}</span>;
}

/** pretty formats a JSON body for reading; anything else is left as it is. */
export function pretty(body: string | null | undefined): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * usePages keeps the cursors of the pages before the one shown, so that a
 * list can page back as well as on; reset goes back to the first page.
 */
export function usePages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    reset: () => setCursors([null]),
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    on: (cursor: string | null | undefined) => setCursors((c) => [...c, cursor ?? null]),
  };
}

/** Pager offers the previous and the next page of a list paged by usePages. */
export function Pager({ pages, hasNext, endCursor }: { pages: ReturnType<typeof usePages>; hasNext: boolean; endCursor?: string | null }) {
  if (pages.page <= 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary" disabled={pages.page <= 1} onClick={pages.back}>
        Previous page
      </button>
      <span class="muted">Page {pages.page}</span>
      <button type="button" class="secondary" disabled={!hasNext} onClick={() => pages.on(endCursor)}>
        Next page
      </button>
    </nav>
  );
}

/** FilterSelect is a labelled filter: its options, "All" first. */
export function FilterSelect<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T | '';
  options: [T, string][];
  onChange: (v: T | '') => void;
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as T | '')}>
        <option value="">All</option>
        {options.map(([v, text]) => (
          <option value={v}>{text}</option>
        ))}
      </select>
    </label>
  );
}

/** EventTypeFilter is a filters bar's event type: a name or a pattern, trimmed. */
export function EventTypeFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label>
      {label}{' '}
      <input
        type="search"
        placeholder="contact.* or flow.order_paid"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value.trim())}
      />
    </label>
  );
}

/** count says n of a thing: "1 delivery", "3 deliveries". */
export function count(n: number, one: string, many: string): string {
  return n + ' ' + (n === 1 ? one : many);
}

/**
 * Delete is a "Delete" button whose confirmation names what goes and what
 * goes with it; onDelete answers the server's error, or '' when done.
 */
export function Delete({ name, goesWith, onDelete }: { name: string; goesWith: string; onDelete: () => Promise<string> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();
  return (
    <>
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        Delete
      </button>
      {confirming && (
        <div role="alertdialog" aria-labelledby={id} class="card confirm">
          <h2 id={id}>Delete {name}?</h2>
          <p>{goesWith} This cannot be undone.</p>
          <Failure error={error} />
          <button
            type="button"
            class="danger"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(await onDelete());
              setBusy(false);
            }}
          >
            Delete {name}
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </>
  );
}
