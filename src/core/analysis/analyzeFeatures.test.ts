import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv, graphOf, randomImages, seededRandom } from '../testing/syntheticModels';
import { analyzeFeatures } from './analyzeFeatures';
import { findPrunableLayers } from './prunableLayers';
import { LocalRAccumulator } from './rAccumulator';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function smallModel() {
  const random = seededRandom(21);
  return graphOf('small', [6, 6, 3], [conv('conv1', 'input', 3, 4, random, { activation: 'relu' }), conv('conv2', 'conv1', 4, 2, random)]);
}

describe('analyzeFeatures', () => {
  it('counts rows and reports progress per batch', async () => {
    const graph = smallModel();
    const { prunable } = findPrunableLayers(graph);
    const progress: number[] = [];
    const analysis = await analyzeFeatures(graph, prunable, randomImages(5, 6, seededRandom(1)), new LocalRAccumulator([4]), {
      scaling: { kind: 'unit' },
      batchSize: 2,
      onProgress: ({ imagesDone }) => progress.push(imagesDone),
    });
    expect(progress).toEqual([2, 4, 5]);
    expect(analysis.rows).toEqual([5 * 6 * 6]);
    expect(analysis.outputSize).toBe(6 * 6 * 2);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('stops with an AbortError when cancelled', async () => {
    const graph = smallModel();
    const { prunable } = findPrunableLayers(graph);
    const controller = new AbortController();
    const run = analyzeFeatures(graph, prunable, randomImages(6, 6, seededRandom(2)), new LocalRAccumulator([4]), {
      scaling: { kind: 'unit' },
      batchSize: 2,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(0);
  });

  it('rejects an empty image list', async () => {
    const graph = smallModel();
    const { prunable } = findPrunableLayers(graph);
    await expect(analyzeFeatures(graph, prunable, [], new LocalRAccumulator([4]), { scaling: { kind: 'unit' }, batchSize: 2 })).rejects.toThrow(
      /No images were provided/,
    );
  });
});
