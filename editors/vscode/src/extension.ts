/**
 * The kubewire extension: starts `kubewire lsp --stdio` for YAML and JSON files and passes it the
 * settings. Everything it shows (diagnostics, hovers, definitions, references, quick fixes, the
 * outline) comes from the language server.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import type { Executable, LanguageClientOptions, NodeModule, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

interface Settings {
  configFile: string | undefined;
  kubernetesVersion: string | undefined;
  clusterFile: string | undefined;
  cache: boolean;
}

function settings(): Settings {
  const c = vscode.workspace.getConfiguration('kubewire');
  const text = (key: string) => {
    const value = c.get<string>(key, '').trim();
    return value === '' ? undefined : value;
  };
  return {
    configFile: text('configFile'),
    kubernetesVersion: text('kubernetesVersion'),
    clusterFile: text('clusterFile'),
    cache: c.get<boolean>('cache', true),
  };
}

/** The server to run: the setting, the workspace's kubewire, or the bundled one. */
function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const args = ['lsp', '--stdio'];
  const configured = vscode.workspace.getConfiguration('kubewire').get<string>('server.path', '').trim();
  if (configured !== '') {
    if (configured.endsWith('.js')) {
      const module: NodeModule = { module: configured, args, transport: TransportKind.stdio };
      return module;
    }
    const executable: Executable = { command: configured, args, transport: TransportKind.stdio };
    return executable;
  }
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, 'node_modules', 'kubewire', 'bin', 'kubewire.js');
    if (existsSync(local)) return { module: local, args, transport: TransportKind.stdio };
  }
  const bundled = context.asAbsolutePath(path.join('node_modules', 'kubewire', 'bin', 'kubewire.js'));
  return { module: bundled, args, transport: TransportKind.stdio };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    initializationOptions: settings(),
    synchronize: {
      configurationSection: 'kubewire',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}'),
        vscode.workspace.createFileSystemWatcher('**/.kubewire.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher('**/.gitignore'),
      ],
    },
  };
  client = new LanguageClient('kubewire', 'kubewire', serverOptions(context), clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('kubewire.server.path') && client) {
        // Another server binary: start it instead.
        await client.stop();
        client = new LanguageClient('kubewire', 'kubewire', serverOptions(context), clientOptions);
        await client.start();
      }
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
