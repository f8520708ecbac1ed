#!/usr/bin/env node
// `npm run check:conflicts`: fails when a tracked file still holds a merge conflict.
//
// Flagged: a line that starts with seven `<` or seven `>` followed by a space or the end of the
// line (git's start and end markers), and, between those two, a line of exactly seven `=` or one
// starting with seven `|` (the separator and diff3's base marker). A line of `=` outside a conflict
// is left alone: Markdown underlines headings with it and the first-start banner is drawn with it.
// Plain JavaScript, so it runs straight after `npm ci`, before anything is built.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const START = /^<{7}(?: |$)/;
const END = /^>{7}(?: |$)/;
const SEPARATOR = /^={7}\s*$/;
const BASE = /^\|{7}(?: |$)/;

/** The conflict-marker lines of `text`, as `{ line, marker }` (1-based lines). */
function conflictMarkers(text) {
  const found = [];
  let inConflict = false;
  text.split(/\r?\n/).forEach((line, i) => {
    if (START.test(line)) {
      inConflict = true;
      found.push({ line: i + 1, marker: line.slice(0, 7) });
    } else if (END.test(line)) {
      inConflict = false;
      found.push({ line: i + 1, marker: line.slice(0, 7) });
    } else if (inConflict && (SEPARATOR.test(line) || BASE.test(line))) {
      found.push({ line: i + 1, marker: line.slice(0, 7) });
    }
  });
  return found;
}

function trackedFiles(root) {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter((file) => file !== '');
}

function main() {
  let root;
  try {
    root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    process.stderr.write('check-conflict-markers: not inside a git work tree (it checks the files git tracks)\n');
    return 2;
  }
  const files = trackedFiles(root);
  let problems = 0;
  for (const file of files) {
    let content;
    try {
      content = readFileSync(path.join(root, file));
    } catch {
      continue; // deleted in the work tree, or a submodule's directory
    }
    if (content.includes(0)) continue; // binary
    for (const { line, marker } of conflictMarkers(content.toString('utf8'))) {
      process.stderr.write(`${file}:${line}: merge-conflict marker ${marker}\n`);
      problems++;
    }
  }
  if (problems > 0) {
    process.stderr.write(`${problems} merge-conflict marker line(s) in tracked files: resolve the conflict and commit again\n`);
    return 1;
  }
  process.stdout.write(`no merge-conflict markers in ${files.length} tracked files\n`);
  return 0;
}

process.exitCode = main();
