import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './process';

/** What the docs checks read from a Markdown page; code spans and fenced blocks are never taken for links or headings. */
export interface MarkdownPage {
  /** Relative to the repository root, e.g. `docs/operations.md`. */
  readonly file: string;
  readonly headings: readonly { readonly text: string; readonly line: number }[];
  readonly links: readonly { readonly target: string; readonly line: number }[];
  readonly codeBlocks: readonly { readonly lang: string; readonly body: string }[];
  /** Inline code spans outside fenced blocks. */
  readonly codeSpans: readonly string[];
}

/** README.md and every page under docs/. */
export function docPages(): MarkdownPage[] {
  const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
  return files.map((file) => parseMarkdown(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
}

const CODE_SPAN = /(`+)([\s\S]*?[^`])\1(?!`)/g;
const LINK = /!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

export function parseMarkdown(file: string, text: string): MarkdownPage {
  const headings: { text: string; line: number }[] = [];
  const links: { target: string; line: number }[] = [];
  const codeBlocks: { lang: string; body: string }[] = [];
  const codeSpans: string[] = [];
  let fence: { marker: string; lang: string; body: string[] } | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/.exec(raw);
    if (fence) {
      const closing = raw.trim();
      if (/^(`+|~+)$/.test(closing) && closing[0] === fence.marker[0] && closing.length >= fence.marker.length) {
        codeBlocks.push({ lang: fence.lang, body: fence.body.join('\n') });
        fence = null;
      } else fence.body.push(raw);
      return;
    }
    if (fenceMatch) {
      fence = { marker: fenceMatch[1], lang: fenceMatch[2], body: [] };
      return;
    }
    // Links inside code spans are text; the spans themselves are kept for the path and command checks.
    for (const m of raw.matchAll(CODE_SPAN)) codeSpans.push(m[2].trim());
    for (const m of raw.replace(CODE_SPAN, 'code').matchAll(LINK)) links.push({ target: m[1], line });
    const heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) headings.push({ text: heading[2], line });
  });
  return { file, headings, links, codeBlocks, codeSpans };
}

/**
 * The anchor GitHub gives a heading: its text as rendered (links and code
 * marks gone), lower-cased, without punctuation, spaces as hyphens; a repeated
 * heading gets `-1`, `-2`, … in order of appearance.
 */
export function headingAnchors(page: MarkdownPage): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of page.headings) {
    const base = slug(text);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

export function slug(headingText: string): string {
  const rendered = headingText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|__|\*/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
