import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

/** The budget of the issue: the console's JavaScript, brotli-compressed, at most 250 KB. */
const JS_BROTLI_BUDGET = 250 * 1024;
const OUT_DIR = path.resolve(import.meta.dirname, '..', 'dist', 'console');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * Writes a `.br` and a `.gz` beside every built file, at the highest qualities (the server then
 * serves them as they are, never compressing per request), prints the JavaScript's brotli size and
 * fails the build over the budget.
 */
function precompress(): Plugin {
  return {
    name: 'console-precompress',
    apply: 'build',
    closeBundle() {
      let jsBrotli = 0;
      let jsRaw = 0;
      for (const file of filesUnder(OUT_DIR)) {
        if (/\.(br|gz)$/.test(file)) continue;
        const body = readFileSync(file);
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        writeFileSync(`${file}.br`, br);
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        if (file.endsWith('.js')) {
          jsBrotli += br.length;
          jsRaw += body.length;
        }
      }
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      process.stdout.write(`console: JavaScript ${kb(jsRaw)}, ${kb(jsBrotli)} brotli (budget ${kb(JS_BROTLI_BUDGET)})\n`);
      if (jsBrotli > JS_BROTLI_BUDGET) throw new Error(`the console's JavaScript is ${kb(jsBrotli)} brotli, over the ${kb(JS_BROTLI_BUDGET)} budget`);
    },
  };
}

/** The console: built into dist/console/ at `npm run build`, served by the server at /console/. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react(), precompress()],
  logLevel: 'warn',
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    // No inline script anywhere: the page's CSP is script-src 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
});
