import { useState } from 'preact/hooks';
import { ErrorMessage } from '../components/error-message.tsx';
import { useTitle } from '../components/use-load.ts';

/** The API key is typed here and kept in this tab's sessionStorage only; the API checks it. */
export function SignInPage({ onSignIn, problem }: { onSignIn(key: string): Promise<void>; problem: unknown }) {
  useTitle('Sign in');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSignIn(key.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>Switchyard console</h1>
      <p>Sign in with your subscription’s API key. It is kept in this browser tab only, until you sign out or close it.</p>
      <ErrorMessage error={busy ? null : (error ?? problem)} />
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        {/* Not offered to the browser's password manager, which may keep it beyond this tab. */}
        <input id="api-key" type="password" autocomplete="off" spellcheck={false} required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
        <button type="submit" disabled={busy || key.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="muted small">
        The demo subscription’s key is printed in the server’s start-up log while it still works. The API itself is described at <a href="/docs">/docs</a>.
      </p>
    </main>
  );
}
