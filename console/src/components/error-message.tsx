import { ApiError } from '../api/client.ts';

/**
 * A refusal as the API worded it: its code, message and every detail, and the correlation id to
 * quote. Announced as an alert, unless `live` is false (where the focus is moved to it instead).
 */
export function ErrorMessage({ error, title, live = true }: { error: unknown; title?: string; live?: boolean }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError(0, 'Error', error instanceof Error ? error.message : String(error));
  return (
    <div class="error" role={live ? 'alert' : undefined}>
      <p>
        {title ? <strong>{title}: </strong> : null}
        {e.message} <span class="code">({e.code})</span>
      </p>
      {e.details.length > 0 && (
        <ul>
          {e.details.map((d, i) => (
            <li key={i}>
              {d.Target ? <span class="code">{d.Target}</span> : null} {d.Message}
            </li>
          ))}
        </ul>
      )}
      {e.correlationId && <p class="muted small">Correlation id {e.correlationId}</p>}
    </div>
  );
}
