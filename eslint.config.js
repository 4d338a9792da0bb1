// ESLint flat config: type-aware typescript-eslint everywhere, react-hooks for the web app,
// eslint-config-prettier last so formatting is left to Prettier.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    'dist-server/',
    'node_modules/',
    'data/',
    'test-results/',
    'playwright-report/',
    '.tmp/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // `void promise` marks a promise that is deliberately not awaited.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // `onClick={async () => ...}` in JSX is fine; everything else must not pass a promise where void is expected.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      // Fastify handlers and hooks are async by contract (returning a value / not calling done), with or
      // without an await inside.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },

  // Plain JavaScript files (this config, scripts/*.mjs) are not part of the TypeScript project.
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  // Browser scripts served as they are (public/picker.js, loaded by other sites).
  {
    files: ['public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },

  // Node code: server, contract, tooling, end-to-end tests, benchmarks.
  {
    files: [
      'src/server/**/*.ts',
      'src/contract/**/*.ts',
      'e2e/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
      '*.config.ts',
    ],
    languageOptions: { globals: globals.node },
  },

  // The React app.
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
    },
  },

  // Tests read JSON bodies (typed `any`) and poke at them; type-safety rules about `any` only add noise there.
  {
    files: ['**/*.test.{ts,tsx}', 'src/server/testing/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  prettier,
);
