import readline from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Reads a secret from standard input (never from argv, where `ps` and shell
 * history would show it). Piped input: everything up to the first line break.
 * A terminal: a prompt on stderr, with the typing not echoed.
 */
export async function readSecret(prompt: string): Promise<string> {
  if (process.stdin.isTTY) {
    const muted = new Writable({ write: (_chunk, _enc, done) => done() });
    const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
    process.stderr.write(prompt);
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    process.stderr.write('\n');
    return answer;
  }
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.split(/\r?\n/)[0] ?? '';
}
