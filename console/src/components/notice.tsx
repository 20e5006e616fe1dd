/**
 * A page's one place for the outcome of what was just done: it takes the focus when it changes,
 * so that a keyboard or screen-reader user hears it and goes on from there, even when the button
 * they pressed is gone (an allocated consignment has no Allocate button).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Reason } from '../actions.ts';
import { ErrorMessage } from './error-message.tsx';

export type Notice = { ok: boolean; message: string; reasons?: Reason[] } | { error: unknown; title?: string };

export function useNotice(): { view: preact.JSX.Element | null; show(notice: Notice): void; clear(): void } {
  const [notice, setNotice] = useState<{ notice: Notice; at: number } | null>(null);
  const area = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice) area.current?.focus();
  }, [notice]);
  const n = notice?.notice;
  const view = n ? (
    <div ref={area} tabIndex={-1} class="notice-area">
      {'error' in n ? (
        <ErrorMessage error={n.error} title={n.title} live={false} />
      ) : (
        <div class={n.ok ? 'notice' : 'error'}>
          <p>{n.message}</p>
          {n.reasons && n.reasons.length > 0 && (
            <ul>
              {n.reasons.map((r, i) => (
                <li key={i}>
                  <span class="code">{r.Code}</span> {r.Message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  ) : null;
  return { view, show: (next) => setNotice({ notice: next, at: Date.now() }), clear: () => setNotice(null) };
}
