// A small, strict rule set: bugs the type checker cannot see (promises nobody awaits,
// switches that miss a case), plus a few habits from DESIGN.md. Zero warnings in CI.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-artifacts/**', 'examples/generated/**', 'console/src/generated/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  // The console's build config is TypeScript in an ES module (console/tsconfig.json covers it).
  { ignores: ['!console/vite.config.mts'] },
  {
    files: ['**/*.ts', '**/*.tsx', 'console/vite.config.mts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      '@typescript-eslint/prefer-optional-chain': 'error',
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-debugger': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'migrations/**/*.ts', 'bench/**/*.ts', 'console/src/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'error', 'no-console': 'error' },
  },
);
