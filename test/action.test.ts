/**
 * The GitHub Action without GitHub: action.yml's lint step is run as the runner would (its `env:` block
 * evaluated into INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_WORKSPACE as temporary
 * files) on a fixture repository, and the annotations, outputs, summary and SARIF file are checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import type * as Sarif from 'sarif';
import { annotations, readInputs, runAction } from '../src/cli/action.js';
import { formatJobSummary, tableCell } from '../src/format/job-summary.js';
import type { Finding } from '../src/types.js';
import { FIXTURES, ROOT } from './helpers.js';

interface ActionYaml {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; run?: string; uses?: string; env?: Record<string, string> }[] };
}

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
const lintStep = action.runs.steps.find((s) => s.id === 'lint')!;

/** The lint step's environment as the runner evaluates `${{ inputs.x }}`: the given value or the default. */
function stepEnv(given: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, expression] of Object.entries(lintStep.env ?? {})) {
    const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)?.[1];
    assert.ok(input !== undefined, `${name} maps one input`);
    env[name] = given[input] ?? action.inputs[input]?.default ?? '';
  }
  return env;
}

describe('action.yml', () => {
  it('is a composite action whose inputs reach the code through the environment only', () => {
    assert.equal(action.runs.using, 'composite');
    for (const step of action.runs.steps)
      if (step.run !== undefined) assert.doesNotMatch(step.run, /\$\{\{/, 'no expression in a shell line');
    const mapped = Object.values(lintStep.env ?? {}).map((e) => /inputs\.([a-z-]+)/.exec(e)?.[1]);
    assert.deepEqual(mapped.sort(), Object.keys(action.inputs).sort(), 'every input is passed, and only inputs');
    for (const name of ['errors', 'warnings', 'infos', 'sarif-file'])
      assert.equal(action.outputs[name]?.value, `\${{ steps.lint.outputs.${name} }}`);
    assert.match(lintStep.run ?? '', /bin\/kubewire\.js" --github-action$/);
  });

  it('rejects invalid inputs with a clear message', () => {
    assert.throws(() => readInputs({ INPUT_FAIL_ON: 'sometimes' }), /fail-on must be error, warning or never/);
    assert.throws(() => readInputs({ INPUT_ANNOTATIONS: 'maybe' }), /annotations must be true or false/);
    assert.deepEqual(readInputs({ 'INPUT_MAX-WARNINGS': '3', INPUT_PATHS: 'a.yaml\n b/ ' }).paths, ['a.yaml', 'b/']);
  });
});

/** Run the action's entry point in `workspace`, with the runner's files in `runner`. */
async function runIn(workspace: string, runner: string, given: Record<string, string>) {
  const files = { output: path.join(runner, 'output'), summary: path.join(runner, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  let stdout = '';
  const code = await runAction(
    {
      ...stepEnv(given),
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: 'abc123',
      RUNNER_TEMP: runner,
    },
    { write: (s: string) => (stdout += s) },
  );
  return { code, stdout, output: readFileSync(files.output, 'utf8'), summary: readFileSync(files.summary, 'utf8') };
}

describe('the action in a simulated runner', () => {
  const workspace = mkdtempSync(path.join(tmpdir(), 'kubewire-action-'));
  cpSync(path.join(FIXTURES, 'demo'), path.join(workspace, 'deploy'), { recursive: true });
  const runner = mkdtempSync(path.join(tmpdir(), 'kubewire-runner-'));
  after(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(runner, { recursive: true, force: true });
  });

  const run = (given: Record<string, string>) => runIn(workspace, runner, given);

  it('annotates, writes outputs, SARIF and a summary, and fails on errors', async () => {
    const result = await run({ 'working-directory': 'deploy', 'sarif-file': 'results/kubewire.sarif' });
    assert.equal(result.code, 1);
    const commands = result.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    assert.equal(commands.length, 16);
    assert.match(
      commands[0]!,
      /^::error file=deploy\/cart\.yaml,line=53,col=17,endLine=53,endColumn=25,title=kubewire\(readiness-probe-missing\)::/,
      'paths from the repository root, errors first',
    );
    assert.match(result.stdout, /::group::kubewire report\n[\s\S]*✖ 16 problems[\s\S]*::endgroup::/);
    const sarifPath = path.join(workspace, 'deploy', 'results', 'kubewire.sarif');
    assert.equal(result.output, `errors=4\nwarnings=3\ninfos=9\nsarif-file=${sarifPath}\n`);
    const log = JSON.parse(readFileSync(sarifPath, 'utf8')) as Sarif.Log;
    const uris = log.runs[0]!.results!.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri);
    assert.ok(
      uris.every((u) => u!.startsWith('deploy/')),
      uris.join(' '),
    );
    assert.match(result.summary, /^## kubewire: ❌ failed\n\n4 errors, 3 warnings, 9 info in 9 files \(19 objects\)\./);
    assert.ok(
      result.summary.includes(
        '| 🔴 error | [deploy/cart.yaml:53](https://github.com/acme/shop/blob/abc123/deploy/cart.yaml#L53) | [readiness-probe-missing](',
      ),
    );
  });

  it('keeps the cache of repeated runs in the runner temporary folder that actions/cache saves', async () => {
    const step = action.runs.steps.find((s) => s.uses?.startsWith('actions/cache@') === true);
    assert.ok(step !== undefined, 'an actions/cache step');
    const { if: condition, with: options } = step as { if?: string; with?: Record<string, string> };
    assert.equal(options?.path, '${{ runner.temp }}/kubewire-cache');
    assert.equal(condition, "inputs.cache == 'true'");
    const folder = path.join(runner, 'kubewire-cache');
    rmSync(folder, { recursive: true, force: true });
    const off = await run({ 'working-directory': 'deploy', cache: 'false' });
    assert.equal(existsSync(folder), false, 'cache: false writes no cache');
    const first = await run({ 'working-directory': 'deploy' });
    assert.equal(readdirSync(folder).length, 1, 'one cache file');
    const again = await run({ 'working-directory': 'deploy' });
    for (const result of [first, again]) {
      assert.equal(result.code, off.code);
      assert.equal(result.stdout, off.stdout);
      assert.equal(result.output, off.output);
    }
  });

  it('fail-on never passes; annotations and summary can be turned off', async () => {
    const result = await run({
      'working-directory': 'deploy',
      'fail-on': 'never',
      annotations: 'false',
      summary: 'false',
    });
    assert.equal(result.code, 0);
    assert.doesNotMatch(result.stdout, /^::(error|warning|notice) /m);
    assert.equal(result.summary, '');
    assert.equal(result.output, 'errors=4\nwarnings=3\ninfos=9\nsarif-file=\n');
  });

  it('max-warnings fails a run without errors', async () => {
    const result = await run({
      paths: 'deploy/storefront.yaml deploy/app-config.yaml',
      'fail-on': 'error',
      'max-warnings': '0',
    });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /::error title=kubewire::2 warnings, more than the maximum of 0 \(max-warnings\)/);
    assert.match(result.summary, /❌ failed/);
  });

  it('an invalid configuration is an error annotation and exit code 2', async () => {
    writeFileSync(path.join(workspace, 'bad.yaml'), 'rulez: {}\n');
    const result = await run({ config: 'bad.yaml' });
    assert.equal(result.code, 2);
    assert.match(result.stdout, /::error title=kubewire::kubewire: bad\.yaml:1:1: unknown setting `rulez`/);
  });

  it('runs as a process through the launcher (the bundle), as action.yml starts it', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kubewire.js'), '--github-action'], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        GITHUB_WORKSPACE: workspace,
        INPUT_PATHS: 'deploy/namespace.yaml',
        KUBEWIRE_DEBUG_START: '1',
      },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /started from the bundle/);
    assert.match(result.stdout, /no problems \(1 file, 1 object\)/);
  });
});

describe('the action with application roots', () => {
  const workspace = mkdtempSync(path.join(tmpdir(), 'kubewire-action-roots-'));
  const runner = mkdtempSync(path.join(tmpdir(), 'kubewire-runner-'));
  const shop = path.join(FIXTURES, 'context', 'shop');
  cpSync(shop, path.join(workspace, 'apps', 'shop'), { recursive: true });
  mkdirSync(path.join(workspace, 'apps', 'billing'));
  // billing's Deployment needs a ConfigMap that only the shop defines.
  cpSync(path.join(shop, 'dep.yaml'), path.join(workspace, 'apps', 'billing', 'dep.yaml'));
  cpSync(path.join(shop, 'pdb.yaml'), path.join(workspace, 'apps', 'billing', 'pdb.yaml'));
  writeFileSync(path.join(workspace, '.kubewire.yaml'), 'roots: ["apps/*"]\nrules:\n  configmap-ref-missing: error\n');
  after(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(runner, { recursive: true, force: true });
  });

  it('without paths, lints each root of the configuration as its own application', async () => {
    const result = await runIn(workspace, runner, {});
    assert.equal(result.code, 1);
    const commands = result.stdout.split('\n').filter((l) => /^::(error|warning|notice) /.test(l));
    assert.equal(commands.length, 1, result.stdout);
    assert.match(commands[0]!, /^::error file=apps\/billing\/dep\.yaml,line=27,col=23,.*configmap-ref-missing/);
    assert.equal(result.output, 'errors=1\nwarnings=0\ninfos=0\nsarif-file=\n');
  });
});

describe('annotation cap and summary table', () => {
  const finding = (severity: Finding['severity'], n: number): Finding => ({
    ruleId: 'r',
    category: 'wiring',
    severity,
    message: `m${n} | a <b>\nline`,
    file: 'f.yaml',
    line: n,
    column: 1,
    endLine: n,
    endColumn: 2,
    object: null,
    related: [],
  });

  it('keeps 10 errors, 10 warnings and 9 notices, then one notice with the rest', () => {
    const many = [...Array.from({ length: 12 }, (_, i) => finding('warning', i)), finding('error', 99)];
    const lines = annotations([...many, ...Array.from({ length: 11 }, (_, i) => finding('info', i))]);
    assert.equal(lines.filter((l) => l.startsWith('::error')).length, 1);
    assert.equal(lines.filter((l) => l.startsWith('::warning')).length, 10);
    assert.equal(lines.filter((l) => l.startsWith('::notice')).length, 10);
    assert.equal(
      lines.at(-1),
      '::notice title=kubewire::4 more findings not annotated: see the job summary or the log',
    );
  });

  it('escapes table cells and caps the rows', () => {
    assert.equal(tableCell('a|b\nc <x>'), 'a\\|b c &lt;x&gt;');
    const findings = Array.from({ length: 5 }, (_, i) => finding('error', i));
    const md = formatJobSummary(
      findings,
      { files: 1, objects: 0, errors: 5, warnings: 0, infos: 0 },
      { ruleDocsUrl: (id) => `https://x/${id}`, maxRows: 3, failed: true },
    );
    assert.equal(md.split('\n').filter((l) => l.startsWith('| 🔴')).length, 3);
    assert.match(md, /…and 2 more findings: see the step's log or the SARIF file\.\n$/);
  });
});
