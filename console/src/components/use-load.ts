import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
  /** The answer for the current `deps` (during a reload, the one before it). */
  data?: T;
  /** The error for the current `deps`, once their request has failed. */
  error?: unknown;
  /** The answer of the `deps` before, while the current ones' is awaited: to show dimmed, never as theirs. */
  previous?: T;
  loading: boolean;
  /** Loads again (after a change the page made); the data shown stays until the new one arrives. */
  reload(): void;
}

interface Settled<T> {
  key: string;
  version: number;
  data?: T;
  error?: unknown;
}

/**
 * Loads what a page shows, again whenever `deps` change (they are compared as JSON). An answer is
 * shown only for the request it answers: one that arrives after the page moved on (a newer filter,
 * another consignment) is dropped and its request aborted, and while the new one is awaited the
 * page is told it is loading, from the very first frame.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const key = JSON.stringify(deps);
  const [version, setVersion] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => controller.signal.aborted || setSettled({ key, version, data }),
      // A failed reload keeps what was shown, beside its error.
      (error: unknown) => controller.signal.aborted || setSettled((s) => ({ key, version, error, data: s?.key === key ? s.data : undefined })),
    );
    return () => controller.abort();
  }, [key, version]);
  const current = settled?.key === key;
  return {
    data: current ? settled.data : undefined,
    error: current && settled.version === version ? settled.error : undefined,
    previous: current ? undefined : settled?.data,
    loading: !current || settled.version !== version,
    reload: () => setVersion((v) => v + 1),
  };
}

/** Sets the page's title (what a screen reader announces and the tab shows). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Switchyard`;
  }, [title]);
}
