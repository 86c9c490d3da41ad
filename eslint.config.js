// One lint config for src, test and bench: the recommended rules with type information off
// (typecheck already runs tsc), plus the project's own style rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'examples/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript already checks that every name exists (and knows Node's globals).
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a union of string literals instead of an enum.' }],
      'prefer-const': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // The pure core takes its inputs as arguments: no environment, no network, no file system.
    files: ['src/terraform/**', 'src/drift/**', 'src/risk/**', 'src/cost/**', 'src/patch/**', 'src/report/**', 'src/resources/**', 'src/surfaces/**', 'src/store/lifecycle.ts'],
    ignores: ['src/terraform/backend-*.ts', 'src/terraform/load-*.ts', 'src/terraform/disk-file-source.ts', 'src/resources/*/collect*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:fs', 'fs', 'node:fs/*', 'fs/*', 'node:child_process', 'node:net', 'node:http', 'node:https'], message: 'The pure core does no I/O: take the data as an argument.' },
        { group: ['@aws-sdk/*', 'probot', '@octokit/*'], allowTypeImports: true, message: 'The pure core imports no SDK (types only): adapters are passed in.' },
      ] }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'The pure core reads no environment: take settings as arguments.' }],
    },
  },
);
