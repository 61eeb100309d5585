/**
 * Editor URIs and file names that are not valid UTF-8 (src/lsp/uri.ts, fileUri in src/cli/files.ts): a
 * `file:` URI with percent-encoded bytes names the file discovery found by its bytes, and back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { discover, fileUri, readSourceSync } from '../src/cli/files.js';
import { uriPath } from '../src/lsp/uri.js';
import { LspClient } from './lsp-client.js';

describe('file URIs', () => {
  it('turn percent-encoded bytes that are not UTF-8 into the escaped path, and refuse what is no local path', () => {
    assert.equal(uriPath('file:///srv/app/bad-%FF.yaml'), '/srv/app/bad-\\xff.yaml');
    assert.equal(uriPath('file:///srv/%C3%A9t%C3%A9/x%0Ay.yaml'), '/srv/été/x\ny.yaml');
    assert.equal(uriPath('file:///srv/back%5Cslash.yaml'), '/srv/back\\slash.yaml');
    // Spelled out, `\xff` is shown as discovery shows it, apart from the byte 0xff.
    assert.equal(uriPath('file:///srv/twin%5Cxff.yaml'), '/srv/twin\\x5cxff.yaml');
    assert.equal(uriPath('file:///srv/twin%FF.yaml'), '/srv/twin\\xff.yaml');
    assert.equal(uriPath('file://localhost/srv/a-%E2%82.yaml'), '/srv/a-\\xe2\\x82.yaml');
    assert.equal(uriPath('file:///srv/a%2Fb-%FF.yaml'), undefined);
    assert.equal(uriPath('file://server/share/a-%FF.yaml'), undefined);
    assert.equal(uriPath('untitled:Untitled-1'), undefined);
  });

  it(
    'name a discovered file that is not valid UTF-8 by its bytes, both ways',
    { skip: process.platform !== 'linux' },
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-uri-'));
      try {
        writeFileSync(
          Buffer.from(`${dir}/bad-\xff.yaml`, 'latin1'),
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
        );
        const found = await discover(['.'], { cwd: dir, ignore: [], ignoreBase: dir });
        assert.deepEqual(found.files, ['bad-\\xff.yaml']);
        const absolute = path.join(dir, 'bad-\\xff.yaml');
        const uri = fileUri(absolute);
        assert.equal(uri, `${pathToFileURL(dir).href}/bad-%FF.yaml`);
        assert.equal(uriPath(uri), absolute);
        assert.match(readSourceSync(dir, 'bad-\\xff.yaml').text, /name: x/);
        // A path discovery did not name that way keeps its ordinary URI.
        assert.equal(fileUri(path.join(dir, 'ok.yaml')), pathToFileURL(path.join(dir, 'ok.yaml')).href);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it(
    'reach the language server: diagnostics for a file whose name is not valid UTF-8 come back on its URI',
    {
      skip: process.platform !== 'linux',
    },
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-uri-lsp-'));
      const text =
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: none\n  ports:\n    - port: 80\n';
      writeFileSync(Buffer.from(`${dir}/bad-\xff.yaml`, 'latin1'), text);
      const client = await LspClient.start({ folders: [dir], initializationOptions: { debounceMs: 0 } });
      try {
        const file = `${pathToFileURL(dir).href}/bad-%FF.yaml`;
        await client.open(file, text);
        const d = await client.diagnosticsFor(file, (x) => x.length > 0);
        assert.ok(
          d.some((x) => x.code === 'service-selector-no-pods'),
          JSON.stringify(d),
        );
        assert.equal(await client.stop(), 0);
      } finally {
        client.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
