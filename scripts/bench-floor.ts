/**
 * The floor of `npm run bench`: what any JavaScript tool must at least spend to read and parse the
 * same files. Reads every path listed in the file given as the first argument (one per line) and
 * parses all of its documents with js-yaml, in one process; nothing of kubewire is loaded.
 * Files js-yaml rejects are counted, not fatal.
 */
import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';

const list = process.argv[2];
if (list === undefined) throw new Error('usage: bench-floor <file-list>');
let documents = 0;
let failed = 0;
for (const file of readFileSync(list, 'utf8').split('\n')) {
  if (file === '') continue;
  const text = readFileSync(file, 'utf8');
  try {
    documents += loadAll(text).length;
  } catch {
    failed++;
  }
}
process.stdout.write(JSON.stringify({ documents, failed }));
