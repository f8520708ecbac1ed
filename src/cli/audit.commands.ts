import fs from 'node:fs';
import readline from 'node:readline';
import type { AuditLog, ChainVerdict } from '../audit/audit.log';
import { chainOf } from '../audit/audit.log';
import { ChainVerifier, eventFromExport, exportLine } from '../audit/chain';
import type { ExportHeader } from '../audit/chain';
import { notFound } from '../errors';
import { Instant } from '../time';
import { parseUuid } from '../validation';
import { UsageError } from './args';

/** What an audit command needs: the audit trail, opened on demand (`verify --file` needs no database). */
export interface AuditCommandContext {
  readonly flags: Map<string, string>;
  openAudit(): Promise<AuditLog>;
  /** `AUDIT_RETENTION_DAYS` from the environment. */
  readonly retentionDays: number | null;
  /** Writes to standard output; resolves when the text may be followed (backpressure on a large export). */
  write(text: string): void | Promise<void>;
}

const print = async (ctx: AuditCommandContext, value: unknown): Promise<void> => ctx.write(`${JSON.stringify(value, null, 2)}\n`);

/** Prints the verdicts; exit 0 when every chain holds, 1 when one is broken. */
async function report(ctx: AuditCommandContext, verdicts: readonly ChainVerdict[]): Promise<number> {
  const ok = verdicts.every((v) => v.ok);
  await print(ctx, { ok, chains: verdicts });
  return ok ? 0 : 1;
}

/** `audit verify --file F`: checks an export offline, against the head recorded in its first line. */
async function verifyFile(ctx: AuditCommandContext, file: string): Promise<number> {
  if (!fs.existsSync(file)) throw new UsageError(`--file: ${file} does not exist`);
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: ExportHeader | null = null;
  let verifier: ChainVerifier | null = null;
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--file: line ${n} is not JSON`);
    }
    if (!header) {
      if (line.type !== 'chain' || typeof line.chain !== 'string') throw new UsageError('--file: the first line must be the chain header that audit export writes');
      header = line as unknown as ExportHeader;
      verifier = new ChainVerifier(header.chain, { seq: header.checkpoint_seq, hash: header.checkpoint_hash });
      continue;
    }
    const event = eventFromExport(line, Instant.parse);
    if (!event) throw new UsageError(`--file: line ${n} is not an audit event`);
    verifier!.push(event);
  }
  if (!header || !verifier) throw new UsageError('--file: the file is empty');
  return report(ctx, [{ chain: header.chain, ...verifier.finish({ seq: header.head_seq, hash: header.head_hash }) }]);
}

/** `audit export --customer ID`: the customer's chain as JSON lines (a header, then each event oldest first). */
async function exportChain(ctx: AuditCommandContext, rawCustomerId: string): Promise<number> {
  const customerId = parseUuid(rawCustomerId, 'customer');
  const audit = await ctx.openAudit();
  const [record] = await audit.chains(customerId);
  if (!record) throw notFound('An audit trail for this customer');
  const header: ExportHeader = {
    type: 'chain',
    chain: record.chain,
    checkpoint_seq: record.checkpoint.seq,
    checkpoint_hash: record.checkpoint.hash,
    head_seq: record.head.seq,
    head_hash: record.head.hash,
  };
  await ctx.write(`${JSON.stringify(header)}\n`);
  // Up to the head read above: events written meanwhile belong to a later export.
  for await (const event of audit.events(chainOf(customerId), record.checkpoint.seq)) {
    if (event.seq > record.head.seq) break;
    await ctx.write(`${exportLine(event)}\n`);
  }
  return 0;
}

/** Runs `audit verify|export|prune`; returns the exit code. */
export async function runAuditCommand(word: string | undefined, ctx: AuditCommandContext): Promise<number> {
  const { flags } = ctx;
  switch (word) {
    case 'verify': {
      const file = flags.get('file');
      if (file !== undefined) {
        if (flags.has('customer')) throw new UsageError('audit verify takes --file or --customer, not both');
        return verifyFile(ctx, file);
      }
      const customer = flags.get('customer');
      return report(ctx, await (await ctx.openAudit()).verify(customer === undefined ? undefined : parseUuid(customer, 'customer')));
    }
    case 'export': {
      const customer = flags.get('customer');
      if (customer === undefined || customer === '') throw new UsageError('--customer is required');
      return exportChain(ctx, customer);
    }
    case 'prune': {
      const text = flags.get('days');
      if (text !== undefined && !/^[1-9]\d{0,4}$/.test(text)) throw new UsageError('--days must be a whole number from 1 to 36500');
      const days = text !== undefined ? Number(text) : ctx.retentionDays;
      if (days === null) throw new UsageError('audit prune needs --days N or AUDIT_RETENTION_DAYS');
      await print(ctx, { deleted: await (await ctx.openAudit()).prune(days), retention_days: days });
      return 0;
    }
    default:
      throw new UsageError(`unknown command: audit ${word ?? ''}`.trim());
  }
}
