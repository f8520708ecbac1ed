/**
 * Parses `--name value` / `--name=value` flags; positional words come back in
 * order. A `switches` flag takes no value: `--name` alone stands for `--name=true`.
 */
export function parseArgs(argv: readonly string[], switches: readonly string[] = []): { words: string[]; flags: Map<string, string> } {
  const words: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    } else if (switches.includes(arg.slice(2))) {
      flags.set(arg.slice(2), 'true');
    } else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      flags.set(arg.slice(2), value);
      i++;
    }
  }
  return { words, flags };
}

export class UsageError extends Error {
  override name = 'UsageError';
}
