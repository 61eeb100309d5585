/**
 * `npm run docs`: regenerate rule doc headers and the README rule table from rule metadata, the
 * output of every example of the rule docs from a real run, and the references to kubewire's repository
 * (from package.json's `repository` and `version`) in the docs, action.yml and the configuration schema.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';
import { exampleOutput } from '../src/doc-examples.js';
import { renderReadme, renderRuleDoc, replaceExampleOutputs } from '../src/format/rule-docs.js';
import { pointAtRepository } from '../src/format/repository.js';
import { REPOSITORY_URL, VERSION } from '../src/cli/version.js';
import { repositoryReferencingFiles } from './repository-files.js';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
let changed = 0;
function write(file: string, next: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === next) return;
  writeFileSync(file, next);
  changed++;
  console.log(`wrote ${path.relative(root, file)}`);
}
for (const rule of rules) {
  const file = path.join(root, 'docs', 'rules', `${rule.id}.md`);
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const ids = rules.map((r) => r.id);
  write(
    file,
    replaceExampleOutputs(renderRuleDoc(rule, existing), (example) => exampleOutput(rule, example, ids)),
  );
}
const readme = path.join(root, 'README.md');
if (existsSync(readme)) write(readme, renderReadme(rules, readFileSync(readme, 'utf8')));
// The references to kubewire's repository, from `repository` and `version` in package.json.
const ref = { url: REPOSITORY_URL, version: VERSION };
for (const file of repositoryReferencingFiles(root)) write(file, pointAtRepository(readFileSync(file, 'utf8'), ref));
console.log(changed === 0 ? 'docs are up to date' : `${changed} file(s) updated`);
