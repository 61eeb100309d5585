/**
 * `kubewire init`: a starter `.kubewire.yaml` for the repository in the working directory, with the
 * folders that hold manifests, the Kubernetes version, every rule commented out at its default, and the
 * next steps. It never overwrites a configuration file.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { Rule } from '../api.js';
import { CONFIG_FILE_NAMES } from '../config.js';
import { lint } from '../engine.js';
import { defaultSeverity } from '../presets.js';
import { NEWEST_BUNDLED } from '../schema/apis.js';
import { discover, readSourceSync } from './files.js';
import type { Io } from './input.js';

/** The top folders (or `.`) of the files that hold Kubernetes objects, and the folders of Helm charts. */
export async function detectRoots(io: Io): Promise<{ roots: string[]; charts: string[] }> {
  const found = await discover(['.'], { cwd: io.cwd, ignore: [], ignoreBase: io.cwd });
  const sources = [];
  for (const file of found.files) sources.push(readSourceSync(io.cwd, file, 4 * 1024 * 1024));
  const result = lint(sources, { rules: [] });
  const roots = new Set<string>();
  for (const o of result.graph.objects) {
    const first = o.source.path.split('/');
    roots.add(first.length > 1 ? `${first[0] ?? '.'}/` : '.');
  }
  const charts = new Set<string>();
  for (const s of sources) {
    const parts = s.path.split('/');
    const i = parts.indexOf('templates');
    if (s.skipped?.reason === 'template' && i > 0) charts.add(`${parts.slice(0, i).join('/')}/**`);
  }
  return { roots: [...roots].sort(), charts: [...charts].sort() };
}

/**
 * The application roots to write: the top folders that hold manifests, each taken as one application.
 * None when manifests sit in this folder itself (then the whole folder is one application) or nowhere.
 */
export function applicationRoots(found: readonly string[]): string[] {
  return found.includes('.') ? [] : found.map((r) => r.replace(/\/$/, ''));
}

export function starterConfig(rules: readonly Rule[], roots: readonly string[], charts: readonly string[]): string {
  const width = Math.max(...rules.map((r) => r.id.length)) + 2;
  const apps = applicationRoots(roots);
  const lines = [
    '# kubewire configuration: docs/usage.md#configuration (schema: schemas/kubewire-config.schema.json).',
    roots.length > 0
      ? `# Manifests were found in: ${roots.join(' ')}`
      : '# No Kubernetes manifests were found below this folder yet.',
    '',
    '# The application roots: folders (or globs such as "apps/*") that each hold one application. `kubewire`',
    '# with no paths lints each root on its own, and the pre-commit hook (--context auto) lints a changed file',
    '# with the rest of its root. Without roots, this whole folder is one application.',
    ...(apps.length > 0 ? ['roots:', ...apps.map((r) => `  - ${JSON.stringify(r)}`)] : ['# roots: ["apps/*"]']),
    '',
    '# The Kubernetes version the manifests target (quote it: 1.30 unquoted is the number 1.3).',
    `kubernetesVersion: "${NEWEST_BUNDLED}"`,
    '',
    '# A preset: kubewire:recommended (the defaults), kubewire:strict (hygiene rules on, Pod Security',
    '# level restricted) or kubewire:all (every rule). The rules below win over it.',
    '# extends: kubewire:strict',
    '',
    '# Severity per rule: off | info | warning | error. Every rule runs at the default shown (off: only',
    '# a preset turns it on); to change some, uncomment `rules:` and their lines.',
    '# rules:',
    ...rules.map((r) => `#   ${`${r.id}:`.padEnd(width)}${defaultSeverity(r).padEnd(8)} # ${r.description}`),
    '',
    '# Files not to lint, relative to this file (.gitignore is honoured already).',
    ...(charts.length > 0
      ? ['ignore:', ...charts.map((c) => `  - "${c}"   # a Helm chart: lint \`helm template\` output instead`)]
      : ['# ignore:', '#   - "vendor/**"']),
    '',
    '# Rule settings for some paths; later entries win.',
    '# overrides:',
    '#   - files: ["staging/**"]',
    '#     rules: {replicas-single-node: off}',
    '',
    '# What exists in the cluster but not in these manifests, so references to it are not reported missing.',
    '# cluster:',
    '#   namespaces: [monitoring]',
    '#   storageClasses: [{name: gp3, default: true}]',
    '#   ingressClasses: [nginx]',
    '#   objects: ["Secret/shop/stripe-api-key"]',
    '',
  ];
  return lines.join('\n');
}

export function initCommand(io: Io, rules: readonly Rule[], setExit: (code: number) => void): Command {
  return new Command('init')
    .description('write a starter .kubewire.yaml in the working directory (never overwrites one)')
    .action(async () => {
      const existing = CONFIG_FILE_NAMES.find((name) => existsSync(path.join(io.cwd, name)));
      if (existing !== undefined) {
        io.stderr.write(`kubewire: ${existing} already exists; not overwriting it\n`);
        setExit(2);
        return;
      }
      const { roots, charts } = await detectRoots(io);
      await writeFile(path.join(io.cwd, CONFIG_FILE_NAMES[0]), starterConfig(rules, roots, charts));
      const apps = applicationRoots(roots);
      const found = roots.length > 0 ? ` (manifests found in ${roots.join(' ')})` : '';
      io.stdout.write(
        [
          `Wrote ${CONFIG_FILE_NAMES[0]}${found}${apps.length > 0 ? `, with ${apps.length === 1 ? 'it as the application root' : 'them as application roots'}` : ''}.`,
          'Next steps:',
          `  1. kubewire                                              # see what it finds`,
          `  2. kubewire --write-baseline .kubewire-baseline.json     # accept today's findings, report only new ones`,
          '  3. add the pre-commit hook or the GitHub Action: docs/ci.md',
          '',
        ].join('\n'),
      );
      setExit(0);
    });
}
