// @ts-check
/**
 * Fails when a console folder imports a folder it must not (run by `npm run lint`): TypeScript
 * imports, component template and style URLs, and Sass `@use`.
 *
 * `src/app/` holds one folder per feature (contacts, leads, events, …) plus:
 * - `core/`: app-wide services, API clients and models shared by several features; imports only `core/`;
 * - `shared/`: reusable components, pipes and helpers; imports `core/` and `shared/`;
 * - `shell/` and the files at the root of `src/app/` (routes, menu, app): they compose the features
 *   and may import any folder;
 * - `src/testing/`: test helpers, for specs.
 * A feature imports its own folder, `core/` and `shared/`, never another feature: what two features
 * need goes into `core/` or `shared/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const appDir = join(root, process.argv[2] ?? 'src/app');
const srcDir = dirname(appDir);

/** The area of a file: `root` (files in src/app), `testing`, `outside`, or the first folder under src/app. */
function areaOf(file) {
  const inApp = relative(appDir, file);
  if (!inApp.startsWith('..')) {
    const parts = inApp.split(sep);
    return parts.length === 1 ? 'root' : parts[0];
  }
  return relative(srcDir, file).split(sep)[0] === 'testing' ? 'testing' : 'outside';
}

/** Which areas `from` may import (besides its own). */
function allowed(from, to) {
  if (from === to || to === 'outside') {
    return true;
  }
  switch (from) {
    case 'root':
    case 'shell':
    case 'testing':
      return true;
    case 'core':
      return to === 'testing';
    case 'shared':
      return to === 'core' || to === 'testing';
    default:
      return to === 'core' || to === 'shared' || to === 'testing';
  }
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      yield* sourceFiles(path);
    } else if (name.endsWith('.ts') || name.endsWith('.scss')) {
      yield path;
    }
  }
}

// Every relative path in quotes: imports, `import('…')`, `templateUrl`, `styleUrl(s)`.
const SPECIFIER = /['"](\.{1,2}\/[^'"\s]+)['"]/g;

/** The line of `text` holding `index`. */
function lineOf(text, index) {
  return text.slice(text.lastIndexOf('\n', index) + 1, text.indexOf('\n', index) >>> 0 || undefined);
}

const problems = [];
for (const file of sourceFiles(appDir)) {
  const from = areaOf(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(SPECIFIER)) {
    const target = resolve(dirname(file), match[1] ?? '');
    if (file.endsWith('.scss') && !/^\s*@(use|forward|import)\b/m.test(lineOf(text, match.index))) {
      continue;
    }
    const to = areaOf(target);
    if (!allowed(from, to)) {
      const line = text.slice(0, match.index).split('\n').length;
      problems.push(`${relative(root, file)}:${line}: ${from}/ imports ${to}/ ('${match[1]}')`);
    }
  }
}

if (problems.length > 0) {
  console.error(
    'A feature folder may import only itself, core/ and shared/ (shared/ only core/, core/ only itself):',
  );
  for (const problem of problems) {
    console.error(`  ${problem}`);
  }
  console.error(
    'Move what two features need into core/ (services, API clients, models) or shared/ (UI, helpers).',
  );
  process.exit(1);
}
