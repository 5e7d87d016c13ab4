import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeAndPrune } from '../../testing/pruneHarness';
import type { ModelFormat } from '../modelFormat';
import { kerasH5Format } from './kerasH5Format';
import { kerasV3Format } from './kerasV3Format';

const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));
// Debian's python3-h5py installs into the system Python, which a version manager's python3 may hide.
const candidates = [process.env.LINDEPS_PYTHON, 'python3', '/usr/bin/python3'].filter((path): path is string => Boolean(path));
const python = candidates.find((path) => spawnSync(path, ['-c', 'import h5py'], { stdio: 'ignore' }).status === 0);
if (!python) console.warn(`SKIPPED h5py check of Keras exports: none of ${candidates.join(', ')} imports h5py (apt-get install python3-h5py, or set LINDEPS_PYTHON).`);

const fixtures: [string, ModelFormat][] = [
  ['residual_functional.keras', kerasV3Format],
  ['plain_sequential.keras', kerasV3Format],
  ['nested_functional.keras', kerasV3Format],
  ['keras2_functional.h5', kerasH5Format],
  ['keras3_legacy_sequential.h5', kerasH5Format],
];

describe.skipIf(!python)('Keras exports read by h5py', () => {
  it('finds every weight where Keras looks', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lindeps-keras-'));
    try {
      const paths: string[] = [];
      for (const [name, format] of fixtures) {
        const bytes = new Uint8Array(readFileSync(join(repositoryRoot, 'golden/keras', name)));
        const model = format.import([{ name, path: name, bytes }]);
        const { pruned } = await analyzeAndPrune(model.graph);
        const [file] = await format.export(model, pruned);
        paths.push(join(folder, `pruned_${file.name}`));
        writeFileSync(paths[paths.length - 1], file.bytes);
      }
      const check = spawnSync(python!, [join(repositoryRoot, 'golden/check_keras_exports.py'), ...paths], { encoding: 'utf8' });
      expect(check.stdout + check.stderr).not.toContain('FAILED');
      expect(check.status).toBe(0);
      expect(check.stdout.trim().split('\n')).toHaveLength(fixtures.length);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
