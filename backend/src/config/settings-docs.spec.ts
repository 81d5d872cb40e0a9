import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_VARIABLE_NAMES } from './env-names';
import { repoRoot } from './repo-root';

/**
 * A setting lives in one place: the schema (env.schema.ts). This test keeps the other places that name settings
 * (.env.example, the README's configuration table, load-config.ts, AppConfig) from drifting away from it.
 */
const ROOT = repoRoot();
const SRC = join(ROOT, 'backend', 'src');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** Documented settings the service itself does not read, and who does. */
const READ_BY_START_SCRIPT = ['DEMO_MODE', 'AMO_SANDBOX_PORT', 'LPTRACKER_SANDBOX_PORT']; // scripts/start.mjs runs the local demo
const COMPOSE_ONLY = [
  'MYSQL_ROOT_PASSWORD',
  'MYSQL_USER',
  'MYSQL_PASSWORD',
  'MYSQL_BUFFER_POOL',
  'NGINX_HTTP_PORT',
  'NGINX_HTTPS_PORT',
  'NGINX_HTTPS_REDIRECT',
];

/** AppConfig values validated and documented but read by no code yet, each with the reason it stays. */
const NOT_READ_YET: Record<string, string> = {};

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

/** `NAME=value` and commented-out `# NAME=value` examples. */
function envExampleNames(): string[] {
  return sorted([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
}

/** The first column of the table under "## Configuration" (a row may name several variables). */
function readmeTableNames(): string[] {
  const section =
    read('README.md')
      .split(/^## Configuration$/m)[1]
      ?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return sorted(
    rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1])),
  );
}

function readmeComposeOnlyNames(): string[] {
  const section =
    read('README.md')
      .split(/^## Configuration$/m)[1]
      ?.split(/^## /m)[0] ?? '';
  const line = section.split(/^Compose-only:/m)[1]?.split('\n\n')[0] ?? '';
  return sorted([...line.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('settings are named in one place (the schema)', () => {
  const schema = sorted(ENVIRONMENT_VARIABLE_NAMES);

  it('derives the names from every property the schema class declares', () => {
    const declared = [...read('backend/src/config/env.schema.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]*)[?!]?:/gm)];
    expect(schema).toEqual(sorted(declared.map((match) => match[1])));
    expect(schema).toContain('PORT');
  });

  it('.env.example lists exactly the schema, the demo settings of npm start and the compose-only ones', () => {
    expect(envExampleNames()).toEqual(sorted([...schema, ...READ_BY_START_SCRIPT, ...COMPOSE_ONLY]));
  });

  it("the README's configuration table lists exactly the schema and the demo settings of npm start", () => {
    expect(readmeTableNames()).toEqual(sorted([...schema, ...READ_BY_START_SCRIPT]));
    expect(readmeComposeOnlyNames()).toEqual(sorted(COMPOSE_ONLY));
  });

  it('the service does not read the settings of the start script or of compose', () => {
    for (const name of [...READ_BY_START_SCRIPT, ...COMPOSE_ONLY]) expect(schema).not.toContain(name);
    const startScripts = ['start', 'start-demo', 'start-env']
      .map((name) => read(`scripts/${name}.mjs`))
      .join('\n');
    for (const name of READ_BY_START_SCRIPT) {
      expect(startScripts).toMatch(new RegExp(`env\\.${name}\\b|portSetting\\(env, '${name}'`));
    }
  });

  it('load-config.ts turns every variable into a value of AppConfig', () => {
    const loader = read('backend/src/config/load-config.ts');
    const unread = schema.filter((name) => !new RegExp(`\\bvars\\.${name}\\b`).test(loader));
    expect(unread).toEqual([]);
  });

  it('every AppConfig value is read by some code, or is listed with the reason it waits', () => {
    const fields = [
      ...read('backend/src/config/app-config.ts').matchAll(/^ {2}readonly ([a-zA-Z]+)[?!]?:/gm),
    ].map((match) => match[1]);
    expect(fields.length).toBeGreaterThan(10);
    const code = sourceFiles(SRC)
      .filter((path) => !path.endsWith(join('config', 'load-config.ts')))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    const unread = fields.filter((field) => !new RegExp(`\\.${field}\\b`).test(code));
    expect(sorted(unread)).toEqual(sorted(Object.keys(NOT_READ_YET)));
  });
});
