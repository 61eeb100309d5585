/**
 * JUnit XML for the test report views of GitLab, Jenkins and Azure DevOps (docs/usage.md#junit): one
 * testsuite per file, one testcase per object in it, and a failure on each object with error or warning
 * findings. Infos do not fail a testcase; they are listed in its system-out. Findings about a file rather
 * than an object go to a testcase named `(file)`.
 */
import type { Finding, ObjectRef } from '../types.js';
import { escapeControl } from './escape.js';
import { objectKey } from './fingerprint.js';
import { plural } from './summary.js';
import type { FormatInput } from './summary.js';

export interface JunitFile {
  path: string;
  /** The objects of the file, in file order. */
  objects: readonly ObjectRef[];
}

const FILE_CASE = '(file)';

/** Text for XML content and attributes; characters XML 1.0 cannot hold become U+FFFD. */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML 1.0 forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
  );
}

function findingLine(f: Finding): string {
  // Escaped for the terminals and CI logs that print the report, beyond what XML requires.
  const related = f.related
    .map((r) => `\n    ↳ ${escapeControl(r.file)}:${r.line}:${r.column} ${escapeControl(r.message)}`)
    .join('');
  return `${escapeControl(f.file)}:${f.line}:${f.column} ${f.severity} ${escapeControl(f.message)} (${f.ruleId})${related}`;
}

function testcase(classname: string, name: string, findings: readonly Finding[]): string {
  const failing = findings.filter((f) => f.severity !== 'info');
  const infos = findings.filter((f) => f.severity === 'info');
  // Control characters escaped as in the messages (`\x1b`), not lost to U+FFFD.
  const attrs = `name="${escapeXml(escapeControl(name))}" classname="${escapeXml(escapeControl(classname))}"`;
  if (findings.length === 0) return `    <testcase ${attrs}/>`;
  const parts = [`    <testcase ${attrs}>`];
  const first = failing[0];
  if (first !== undefined) {
    const type = failing.some((f) => f.severity === 'error') ? 'error' : 'warning';
    const message =
      failing.length === 1
        ? escapeControl(first.message)
        : `${plural(failing.length, 'problem')}; first: ${escapeControl(first.message)}`;
    parts.push(
      `      <failure message="${escapeXml(message)}" type="${type}">` +
        `${escapeXml(failing.map(findingLine).join('\n'))}</failure>`,
    );
  }
  if (infos.length > 0) parts.push(`      <system-out>${escapeXml(infos.map(findingLine).join('\n'))}</system-out>`);
  parts.push('    </testcase>');
  return parts.join('\n');
}

export function formatJunit(input: FormatInput, files: readonly JunitFile[]): string {
  const byFile = new Map<string, Map<string, Finding[]>>();
  for (const f of input.findings) {
    let cases = byFile.get(f.file);
    if (!cases) byFile.set(f.file, (cases = new Map<string, Finding[]>()));
    const key = objectKey(f.object);
    const list = cases.get(key);
    if (list) list.push(f);
    else cases.set(key, [f]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  const known = new Set(files.map((f) => f.path));
  const allFiles = [
    ...files,
    ...[...byFile.keys()].filter((p) => !known.has(p)).map((p) => ({ path: p, objects: [] as ObjectRef[] })),
  ];
  for (const file of allFiles) {
    const found = byFile.get(file.path) ?? new Map<string, Finding[]>();
    const cases: { name: string; findings: Finding[] }[] = [];
    const seen = new Set<string>();
    for (const object of file.objects) {
      const key = objectKey(object);
      if (seen.has(key)) continue; // the same object twice in one file: its findings are listed once
      seen.add(key);
      cases.push({ name: key === '' ? FILE_CASE : key, findings: found.get(key) ?? [] });
    }
    for (const [key, list] of found)
      if (!seen.has(key)) cases.push({ name: key === '' ? FILE_CASE : key, findings: list });
    if (cases.length === 0) continue;
    const failed = cases.filter((c) => c.findings.some((f) => f.severity !== 'info')).length;
    tests += cases.length;
    failures += failed;
    suites.push(
      [
        `  <testsuite name="${escapeXml(escapeControl(file.path))}" tests="${String(cases.length)}" ` +
          `failures="${String(failed)}" errors="0" skipped="0">`,
        ...cases.map((c) => testcase(file.path, c.name, c.findings)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kubewire" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
