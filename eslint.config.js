// ESLint flat config for the whole repository (`npm run lint` = `eslint .`).
//
// Blocks, in order:
//   1. ignores: generated, vendored and local-state folders
//   2. plain JavaScript config files at the root (Node ESM)
//   3. Node-side TypeScript: scripts/ and local-org/ (typescript-eslint recommended)
//   4. Lightning Web Components under force-app/**/lwc/ (owned by the LWC engineer, see below)
//
// No suppression baselines: a rule that does not fit is configured here, with a reason.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';

const nodeTypeScript = ['scripts/**/*.ts', 'local-org/**/*.ts', '*.ts'];
const lwcTypeScript = ['force-app/**/lwc/**/*.ts'];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    'coverage/',
    'test-results/',
    'backups/',
    'dist/',
    '.sfdx/',
    '.sf/',
    '.localdevserver/',
    '.local-org/',
    '.husky/_/',
    // LWC .js is compiled from the .ts beside it (also in fixture copies of the package);
    // lint the source, not the output.
    '**/lwc/**/*.js'
  ]),

  // 2. Root config files (eslint.config.js, jest.config.js, ...): Node ESM.
  {
    files: ['*.js', '*.mjs', '*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node }
    }
  },

  // 3. Node-side TypeScript: the scripts/ CLI and the local-org emulator.
  {
    files: nodeTypeScript,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node }
    },
    rules: {
      // `_`-prefixed names mark parameters kept for a signature (callbacks, interface methods).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off'
    }
  },

  // ───────────────────────────────────────────────────────────────────────────
  // 4. LWC BLOCK — owned by the LWC engineer.
  //    Component sources: @salesforce/eslint-config-lwc recommended (TypeScript flavour: LWC,
  //    Lightning and import rules with the typescript-eslint parser). Their .js is compiled
  //    output and is ignored above. Tests: the same plus eslint-plugin-jest.
  // ───────────────────────────────────────────────────────────────────────────
  {
    files: lwcTypeScript,
    extends: [lwcConfig.configs.recommendedTs],
    rules: {
      // TypeScript itself reports unknown names (tsconfig.lwc.json, strict).
      'no-undef': 'off',
      // The compiler checks unused names (noUnusedLocals/Parameters); this rule misreads type-only uses.
      'no-unused-vars': 'off'
    }
  },
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.ts'],
    extends: [jestPlugin.configs['flat/recommended']],
    languageOptions: {
      globals: { ...globals.node, ...globals.jest }
    },
    rules: {
      // Fixtures and jest.mock factories are loaded with require(), as the LWC Jest docs show.
      '@typescript-eslint/no-require-imports': 'off',
      // Tests are not components: they wait for re-renders with a macrotask.
      '@lwc/lwc/no-async-operation': 'off'
    }
  }
]);
