/**
 * The language server inside a real editor: headless Neovim runs test/nvim/lsp-check.lua, which opens
 * two manifests, waits for diagnostics, edits a buffer and checks that the cross-file diagnostic
 * appears and clears. Skipped where Neovim is not installed, except in CI (CI=true), where .ci/run
 * installs it and a missing Neovim is a failure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { it } from 'node:test';
import { FIXTURES, ROOT } from './helpers.js';

const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0;
const inCi = process.env.CI === 'true';

it(
  'Neovim shows and clears cross-file diagnostics from kubewire lsp',
  { skip: !available && !inCi ? 'nvim is not installed' : false },
  () => {
    assert.ok(
      available,
      `CI=true but Neovim cannot run (${probe.error?.message ?? probe.stderr}); .ci/run installs it`,
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-nvim-'));
    try {
      cpSync(path.join(FIXTURES, 'lsp', 'app'), dir, { recursive: true });
      const result = spawnSync(
        'nvim',
        ['--headless', '--clean', '-c', `luafile ${path.join(ROOT, 'test', 'nvim', 'lsp-check.lua')}`],
        {
          encoding: 'utf8',
          timeout: 120_000,
          env: {
            ...process.env,
            KW_WORKSPACE: dir,
            KW_NODE: process.execPath,
            KW_BIN: path.join(ROOT, 'bin', 'kubewire.js'),
            KW_TIMEOUT: '60000',
          },
        },
      );
      const output = `${result.stdout}${result.stderr}`;
      assert.equal(result.status, 0, output);
      assert.match(result.stdout, /seen: service-target-port on the Service/);
      assert.match(result.stdout, /seen: service-target-port cleared/);
      assert.match(result.stdout, /kubewire-nvim: ok/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
