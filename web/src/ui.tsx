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
  const id = 'secret-' + label.replace(/\W+/g, '-').toLowerCase();
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
