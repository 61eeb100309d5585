/** The files whose references to kubewire's repository `npm run docs` derives from package.json. */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function repositoryReferencingFiles(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(root, 'docs', f));
  return [
    path.join(root, 'README.md'),
    ...docs.sort(),
    path.join(root, 'action.yml'),
    path.join(root, 'schemas', 'kubewire-config.schema.json'),
  ];
}
