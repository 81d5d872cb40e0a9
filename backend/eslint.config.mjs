import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A module path into backend/sandbox or backend/bench (for the esquery selectors below). */
const FAKES = '/(^|\\/)(sandbox|bench)(\\/|$)/';

/** src/ never imports its test doubles or benchmarks: they are not in the production build or image. */
const NO_FAKES = {
  regex: '(^|/)(sandbox|bench)(/|$)',
  message: 'src/ must not import backend/sandbox or backend/bench (they are not in the production build)',
};

/**
 * The allowed directions between the folders of src/ (docs/backend-conventions.md, "Folders and directions"):
 * an import leaving a folder (`../`) into one it must not depend on. CRM folders: amocrm*, lptracker*.
 */
const leaving = (folders) => `^(\\.\\./)+(${folders})(/|$)`;
const DIRECTIONS = [
  {
    files: ['src/contacts/**/*.ts', 'src/leads/**/*.ts'],
    patterns: [
      {
        regex: leaving('sync|inbox|amocrm[^/]*|lptracker[^/]*'),
        message:
          'the mirror (src/contacts, src/leads) imports no engine (src/sync), inbox or CRM folder: the engine calls the mirror, never the reverse',
      },
    ],
  },
  {
    files: ['src/inbox/**/*.ts'],
    patterns: [
      {
        regex: leaving('amocrm[^/]*|lptracker[^/]*'),
        message:
          'the inbox knows no CRM: amoCRM/LPTracker code lives in their folders and plugs in as a source adapter',
      },
      {
        regex: leaving('engine-inbound'),
        message: 'the inbox knows no source: the engine-write sources (api, import) plug in as adapters',
      },
    ],
  },
  {
    files: ['src/sync/**/*.ts'],
    patterns: [
      {
        regex: leaving('inbox|amocrm-inbound|lptracker-inbound|engine-inbound'),
        message:
          'the engine (src/sync) does not import the inbox or the inbound side of a CRM: they call the engine',
      },
    ],
  },
  {
    files: ['src/imports/**/*.ts'],
    patterns: [
      {
        regex: leaving('amocrm-inbound|lptracker-inbound|engine-inbound|amocrm|lptracker'),
        message:
          'imports (src/imports) go through the engine (src/sync), the mirror and the shared parts: never a CRM client or inbound side',
      },
      {
        regex: '^(\\.\\./)+inbox/(?!(inbox\\.module|inbox-events\\.service|dto/event-query\\.dto)$)',
        message:
          'imports read the inbox only through InboxEventsService (the events export) and its list DTO, never its internals',
      },
    ],
  },
  {
    files: ['src/rule-trials/**/*.ts'],
    patterns: [
      {
        regex: leaving('imports|engine-inbound'),
        message:
          'rule dry runs (src/rule-trials) read the inbox and evaluate and plan with the engine: never imports or an engine-write source',
      },
      {
        regex: '^(\\.\\./)+(amocrm|lptracker)/client/',
        message: 'rule dry runs send nothing: never a CRM client (the engine plans the requests, pure)',
      },
    ],
  },
  {
    files: ['src/engine-inbound/**/*.ts'],
    patterns: [
      {
        regex: leaving('amocrm[^/]*|lptracker[^/]*|imports'),
        message:
          "the inbound side of the engine's own writes (src/engine-inbound) uses the inbox, the engine and the mirror: never a CRM client, a CRM's inbound side or imports",
      },
    ],
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', '*.config.js', 'eslint.config.mjs', 'test/support/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The product never imports its test doubles or benchmarks: they are not in the production build or image.
    // (Unit tests beside the code may drive the sandbox: they are not built into the service.)
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [NO_FAKES] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: `ImportExpression[source.value=${FAKES}], CallExpression[callee.name='require'][arguments.0.value=${FAKES}]`,
          message:
            'src/ must not load backend/sandbox or backend/bench (they are not in the production build)',
        },
      ],
    },
  },
  // The directions between folders (specs beside the code too). ESLint does not merge a rule's options across
  // blocks, so each block repeats the no-fakes pattern for the product files it covers.
  ...DIRECTIONS.flatMap(({ files, patterns }) => [
    { files, rules: { 'no-restricted-imports': ['error', { patterns: [NO_FAKES, ...patterns] }] } },
    {
      files: files.map((glob) => glob.replace(/\.ts$/, '.spec.ts')),
      rules: { 'no-restricted-imports': ['error', { patterns }] },
    },
  ]),
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.browser-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
