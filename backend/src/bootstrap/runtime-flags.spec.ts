import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICE_NODE_FLAGS } from './runtime-flags';

const ROOT = join(__dirname, '..', '..', '..');

describe('the service is started with SERVICE_NODE_FLAGS everywhere it is started', () => {
  it('in the Docker image', () => {
    const dockerfile = readFileSync(join(ROOT, 'docker', 'backend.Dockerfile'), 'utf8');
    const cmd = dockerfile.split('\n').find((line) => line.startsWith('CMD '));
    expect(cmd && JSON.parse(cmd.slice(4))).toEqual([
      'node',
      ...SERVICE_NODE_FLAGS,
      'backend/dist/src/main.js',
    ]);
  });

  it('by npm start', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'start.mjs'), 'utf8');
    expect(script).toContain(
      "require(join(root, 'backend', 'dist', 'src', 'bootstrap', 'runtime-flags.js'))",
    );
    expect(script).toMatch(
      /spawn\(process\.execPath, \[\.\.\.SERVICE_NODE_FLAGS, join\(root, 'backend', 'dist', 'src', 'main\.js'\)\]/,
    );
  });
});
