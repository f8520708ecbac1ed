import fs from 'node:fs';
import path from 'node:path';
import { docPages, headingAnchors, parseMarkdown, slug } from '../helpers/markdown';
import { ROOT } from '../helpers/process';

// Every link between README.md and docs/*.md leads somewhere: the file exists and the #anchor is a heading there.
const pages = docPages();
const byFile = new Map(pages.map((page) => [page.file, page]));

/** The broken relative links of the pages, as `file:line → target (why)`. */
function brokenLinks(): string[] {
  const broken: string[] = [];
  for (const page of pages) {
    for (const { target, line } of page.links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: …
      const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
      const file = pathPart === '' ? page.file : path.posix.normalize(path.posix.join(path.posix.dirname(page.file), decodeURI(pathPart)));
      const where = `${page.file}:${line} → ${target}`;
      if (file.startsWith('..')) broken.push(`${where} (outside the repository)`);
      else if (!fs.existsSync(path.join(ROOT, file))) broken.push(`${where} (no such file)`);
      else if (anchor !== undefined) {
        const linked = byFile.get(file) ?? (file.endsWith('.md') ? parseMarkdown(file, fs.readFileSync(path.join(ROOT, file), 'utf8')) : null);
        if (!linked) broken.push(`${where} (an anchor into a file that is not Markdown)`);
        else if (!headingAnchors(linked).has(anchor)) broken.push(`${where} (no heading with this anchor)`);
      }
    }
  }
  return broken;
}

describe('links in README.md and docs/', () => {
  it('finds the pages and their links', () => {
    expect(pages.map((p) => p.file)).toEqual(expect.arrayContaining(['README.md', 'docs/configuration.md', 'docs/operations.md']));
    expect(pages.flatMap((p) => p.links).length).toBeGreaterThan(50);
  });

  it('every relative link names an existing file, and every #anchor a heading of its page', () => {
    expect(brokenLinks()).toEqual([]);
  });

  it('every page under docs/ is linked from the README', () => {
    const linked = new Set(byFile.get('README.md')!.links.map((l) => path.posix.normalize(l.target.split('#')[0])));
    expect(pages.filter((p) => p.file !== 'README.md' && !linked.has(p.file)).map((p) => p.file)).toEqual([]);
  });

  it('no page repeats a heading anchor (a link could only reach the first)', () => {
    const repeated = pages.flatMap((page) => {
      const slugs = page.headings.map((h) => slug(h.text));
      return slugs.filter((s, i) => slugs.indexOf(s) !== i).map((s) => `${page.file}#${s}`);
    });
    expect(repeated).toEqual([]);
  });
});

describe('the anchor rules', () => {
  it('derives anchors as GitHub does', () => {
    const page = parseMarkdown('x.md', '# REST API (`/v1.0`)\n## Examples (from a real run)\n## [Linked](a.md) **bold** DB_POOL_MAX\n## Examples (from a real run)\n```\n# not a heading\n```\n');
    expect([...headingAnchors(page)]).toEqual(['rest-api-v10', 'examples-from-a-real-run', 'linked-bold-db_pool_max', 'examples-from-a-real-run-1']);
  });

  it('reads links outside code only', () => {
    const page = parseMarkdown('x.md', 'See [a](b.md#c) and `[not](a-link.md)`, ![img](p.png).\n```\n[nor](this.md)\n```\n[`code` text](d.md)\n');
    expect(page.links.map((l) => l.target)).toEqual(['b.md#c', 'p.png', 'd.md']);
  });
});
