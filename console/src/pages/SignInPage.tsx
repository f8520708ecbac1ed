import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Me } from '../App';
import { ErrorMessage } from '../components/ErrorMessage';
import { ConsoleMeDocument } from '../generated/graphql';
import { execute, signIn } from '../lib/api';
import { safeNext } from '../lib/keys';
import { BASE, navigate } from '../lib/router';

/** Username and password (the agent's), through `POST /auth/login`; then back to where the user was. */
export function SignInPage({ next, onSignedIn }: { readonly next: string | null; readonly onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      const { me } = await execute(ConsoleMeDocument, {});
      onSignedIn(me);
      navigate(safeNext(next, BASE), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page narrow" id="main">
      <h1>Sign in</h1>
      {next && next !== BASE && <p className="muted">Sign in to go on where you were.</p>}
      <form onSubmit={(event) => void submit(event)} className="stack">
        <label>
          Username
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
