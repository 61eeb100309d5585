// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** Modules the pure core may never import: the file system, the process, the network. */
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'process',
  'node:process',
  'child_process',
  'node:child_process',
  'http',
  'node:http',
  'https',
  'node:https',
  'net',
  'node:net',
  'globby',
];

const noIo = (extra = []) => ({
  'no-restricted-imports': [
    'error',
    {
      // Type-only imports carry no code, so they cannot break the layering.
      paths: IO_MODULES.map((name) => ({ name, message: 'The core is pure: only src/cli and src/lsp may do I/O.' })),
      patterns: [
        { group: ['**/cli/**', '**/lsp/**'], message: 'The core may not depend on the I/O shells.' },
        {
          group: ['**/rules/**', '**/rules/index.js'],
          message: 'The core receives rules as data; only the shells import rules/.',
        },
        ...extra,
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'The core is pure: pass values in instead.' },
    { name: 'console', message: 'The core never prints.' },
    { name: 'fetch', message: 'kubewire is offline.' },
  ],
});

export default tseslint.config(
  // editors/vscode is its own package (own dependencies and tsconfig): `npm run build` there type-checks it.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'editors/vscode/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/lsp/**'],
    rules: noIo(),
  },
  {
    files: ['src/format/**/*.ts'],
    rules: noIo([
      {
        group: ['**/engine.js', '**/load/**', '**/model/**', '**/resolve/**', '**/schema/**', '**/schedule/**'],
        message: 'Formatters only turn a result into a string.',
        allowTypeImports: true,
      },
    ]),
  },
  {
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./src/api\\.js$|\\./[a-z0-9-]+\\.js$)',
              message: 'Rules import only the rule API (../src/api.js).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'console', 'fetch'],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The launcher is CommonJS (bin/package.json): Node starts a CommonJS entry point faster.
    files: ['bin/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Formatting belongs to Prettier (`npm run format`); turn off every stylistic rule that would overlap.
  prettier,
);
