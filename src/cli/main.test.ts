import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import golden from '../../golden/tinyvgg.json';
import { onnxFormat } from '../core/formats/onnx/onnxFormat';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { countParameters } from '../core/graph/graphQueries';
import type { Conv2DNode } from '../core/graph/types';
import { readInputFiles, REALMODELS_DIR } from '../node/files';
import type { CliIo } from './cliIo';
import { EXIT_FAILURE, EXIT_NOTHING_PRUNED, EXIT_OK, EXIT_USAGE } from './exitCodes';
import { main } from './main';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function runCli(argv: string[]): Promise<CliRun> {
  const run = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (text) => void (run.stdout += text), stderr: (text) => void (run.stderr += text), stderrIsTty: false };
  const code = await main(argv, io);
  return { code, ...run };
}

const scratch = mkdtempSync(join(tmpdir(), 'lindeps-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeScratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('usage errors', () => {
  it('prints the help with every option and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(EXIT_OK);
    for (const option of ['--model', '--weights', '--images', '--classes', '--scaling', '--tolerance', '--batch-size', '--backend', '--json', '--out', '--force', '--export-as']) {
      expect(run.stdout).toContain(option);
    }
  });

  it.each([
    [[], 'No command given'],
    [['analyze', '--model', 'm.json', '--images', 'img', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['analyze', '--images', 'img'], 'Missing --model'],
    [['analyze', '--model', 'm.json', '--images', 'img', '--tolerance', '-1'], "--tolerance must be a number from 0 to below 1 such as 1e-5, got '-1'"],
    [['analyze', '--model', 'm.json', '--images', 'img', '--tolerance', '1'], "--tolerance must be a number from 0 to below 1 such as 1e-5, got '1'"],
    [['analyze', '--model', 'm.json', '--images', 'img', '--batch-size', '2.5'], "--batch-size must be a whole number >= 1, got '2.5'"],
    [['analyze', '--model', 'm.json', '--images', 'img', '--scaling', 'meanstd:0.5:0'], 'The std of --scaling meanstd'],
    [['analyze', '--model', 'm.json', '--images', 'img', '--out', 'pruned'], "--out belongs to 'prune'"],
    [['prune', '--model', 'm.json', '--images', 'img'], 'Missing --out'],
    [['analyze', '--model', join(scratch, 'missing.json'), '--images', 'img'], `Model file '${join(scratch, 'missing.json')}' does not exist`],
  ])('rejects %j with exit code 2', async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('--help');
    expect(run.stdout).toBe('');
  });

  it('names a model.json that is not valid JSON and exits 1', async () => {
    const broken = writeScratchFile('broken.json', '{"modelTopology": ');
    const image = writeScratchFile('cat_1.png', '');
    const run = await runCli(['analyze', '--model', broken, '--images', image]);
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.stderr).toContain(`'${broken}' is not valid JSON`);
  });

  it.each([
    ['notes.txt', 'plain text', 'is not a model file the workbench reads'],
    ['net.pth', 'PK', 'is a PyTorch checkpoint'],
  ])('names the unreadable model file %s and exits 1', async (name, content, message) => {
    const path = writeScratchFile(name, content);
    const run = await runCli(['analyze', '--model', path, '--images', writeScratchFile('cat_2.png', '')]);
    expect(run.code).toBe(EXIT_FAILURE);
    expect(run.stderr).toContain(message);
  });

  it('rejects --weights with a single-file model', async () => {
    const path = writeScratchFile('model.onnx', 'not really');
    const run = await runCli(['analyze', '--model', path, '--weights', 'shard.bin', '--images', 'img']);
    expect(run.code).toBe(EXIT_USAGE);
    expect(run.stderr).toContain('--weights applies to TF.js shards only');
  });
});

const modelDir = join(REALMODELS_DIR, 'cnn-explainer-tinyvgg');
const available = existsSync(join(modelDir, 'model.json'));
if (!available) console.warn(`SKIPPED Tiny VGG CLI tests: ${modelDir} not found (set LINDEPS_REALMODELS).`);

describe.skipIf(!available)('Tiny VGG through the CLI', () => {
  const classes = writeScratchFile('classes.txt', golden.classNames.join('\n'));
  const withClasses = (classList: string): string[] => ['--model', join(modelDir, 'model.json'), '--images', join(modelDir, 'img'), '--classes', classList, '--backend', 'cpu'];
  const common = withClasses(classes);
  const conv12 = golden.layers[1];
  const expected = conv12.byTolerance['1e-2'];
  const reference = golden.pruned['1e-2'];

  it('reports conv_1_2 at rank 9 of 10 at tolerance 1e-2 (JSON)', async () => {
    const run = await runCli(['analyze', ...common, '--tolerance', '1e-2', '--json']);
    expect(run.code).toBe(EXIT_OK);
    const report = JSON.parse(run.stdout);
    expect(report.images).toMatchObject({ count: 20, labelled: 20, labelProblems: [] });
    expect(report.layers.map((layer: { producer: string }) => layer.producer)).toEqual(golden.layers.map((layer) => layer.name));
    const layer = report.layers[1];
    expect(layer).toMatchObject({ producer: 'conv_1_2', channels: 10, rank: expected.rank, rows: 20 * 30 * 30 });
    expect(layer.dependent.map((filter: { channel: number }) => filter.channel)).toEqual(expected.dependentChannels);
    expect(layer.dependent[0].diagRatio).toBeCloseTo(expected.dependentDiagRatios[0], 5);
    expect(layer.dependent[0].relativeResidual).toBeCloseTo(expected.dependentRelativeResiduals[0], 4);
    expect(report.dependentFilters).toBe(1);
  });

  it('prints the rank and the dependent filter in the text report', async () => {
    const run = await runCli(['analyze', ...common, '--tolerance', '1e-2']);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain('conv_1_2: 10 channels, rank 9 of 10, 1 dependent filter');
    expect(run.stdout).toContain('Result: 1 of 40 filters in 4 prunable layers would be removed at tolerance 0.01.');
    expect(run.stderr).toContain('extracting features: 20/20 images');
  });

  it('says loudly that nothing would be removed at the default tolerance', async () => {
    const run = await runCli(['analyze', ...common]);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain('*** 0 FILTERS WOULD BE REMOVED at tolerance 1e-5. ***');
    expect(run.stdout).toContain('filter 6 of conv_1_2');
  });

  it('prunes, reports the reference figures and writes files that import back', async () => {
    const out = join(scratch, 'pruned');
    const run = await runCli(['prune', ...common, '--tolerance', '1e-2', '--out', out, '--json']);
    expect(run.code).toBe(EXIT_OK);
    const { prune } = JSON.parse(run.stdout);
    expect(prune.removedFilters).toBe(1);
    expect(prune.before).toEqual({ params: reference.paramsBefore, flops: reference.flopsBefore, accuracy: { correct: golden.original.top1Correct, labelled: 20 } });
    expect(prune.after).toEqual({ params: reference.paramsAfter, flops: reference.flopsAfter, accuracy: { correct: reference.top1Correct, labelled: 20 } });
    expect(prune.comparison.top1Agreement).toBe(reference.top1Unchanged);
    expect(prune.comparison.maxAbsDifference).toBeCloseTo(reference.maxAbsProbDiff, 5);
    expect(readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);

    const reloaded = tfjsLayersFormat.import(readInputFiles([out]));
    const conv = reloaded.graph.nodes.find((node) => node.name === 'conv_1_2');
    expect(conv?.op).toBe('Conv2D');
    expect((conv as Conv2DNode).filters).toBe(reference.channelsAfter.conv_1_2);
  });

  it('writes nothing and exits 3 when prune removes 0 filters', async () => {
    const out = join(scratch, 'not-pruned');
    const run = await runCli(['prune', ...common, '--out', out]);
    expect(run.code).toBe(EXIT_NOTHING_PRUNED);
    expect(run.stdout).toContain('*** 0 FILTERS REMOVED at tolerance 1e-5. ***');
    expect(run.stdout).toContain('Nothing written');
    expect(existsSync(out)).toBe(false);
  });

  it('reports labels that match no class', async () => {
    const withoutPanda = writeScratchFile('no-panda.txt', golden.classNames.filter((name) => name !== 'red panda').join('\n'));
    const run = await runCli(['analyze', ...withClasses(withoutPanda)]);
    expect(run.code).toBe(EXIT_OK);
    expect(run.stdout).toContain('16 of 20 images matched a class');
    expect(run.stdout).toContain("unmatched label 'panda': 4 images");
  });

  it('gives the same rank on the wasm backend', async () => {
    const wasm = common.map((value) => (value === 'cpu' ? 'wasm' : value));
    const run = await runCli(['analyze', ...wasm, '--tolerance', '1e-2', '--json']);
    expect(run.code).toBe(EXIT_OK);
    const layer = JSON.parse(run.stdout).layers[1];
    expect(layer.rank).toBe(expected.rank);
    expect(layer.dependent[0].relativeResidual).toBeCloseTo(expected.dependentRelativeResiduals[0], 4);
  });
});

const wonnxDir = join(REALMODELS_DIR, 'onnx-wonnx-mnist');
const wonnxAvailable = existsSync(join(wonnxDir, 'opt-mnist.onnx'));
if (!wonnxAvailable) console.warn(`SKIPPED CLI ONNX test: ${wonnxDir} not found (set LINDEPS_REALMODELS).`);

describe.skipIf(!wonnxAvailable)('CLI on an ONNX model', () => {
  it('prunes opt-mnist.onnx and writes an .onnx file that imports back', async () => {
    const out = join(scratch, 'pruned-onnx');
    const run = await runCli(['prune', '--model', join(wonnxDir, 'opt-mnist.onnx'), '--images', join(wonnxDir, 'images'), '--tolerance', '0.3', '--out', out, '--backend', 'cpu', '--json']);
    expect(run.code).toBe(EXIT_OK);
    const report = JSON.parse(run.stdout);
    expect(report.model.format).toBe('onnx');
    expect(report.prune.removedFilters).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual(['opt-mnist.onnx']);
    const reloaded = onnxFormat.import(readInputFiles([join(out, 'opt-mnist.onnx')]));
    expect(countParameters(reloaded.graph)).toBe(report.prune.after.params);
    expect(report.prune.after.params).toBeLessThan(report.prune.before.params);
  });
});
