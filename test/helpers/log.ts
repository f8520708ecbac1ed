import { Writable } from 'node:stream';

/** A pino destination that keeps every line, for asserting on log output. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }

  get text(): string {
    return this.lines.join('\n');
  }

  records(): Array<Record<string, any>> {
    return this.lines.map((l) => JSON.parse(l));
  }
}
