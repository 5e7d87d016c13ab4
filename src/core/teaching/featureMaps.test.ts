import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch } from '../data/preprocessing';
import { GraphExecutor } from '../executor/graphExecutor';
import type { GraphNode } from '../graph/types';
import { conv, graphOf, randomImages, seededRandom } from '../testing/syntheticModels';
import { channelMap, computeFeatureMaps } from './featureMaps';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function pooledModel() {
  const random = seededRandom(5);
  const pool: GraphNode = { op: 'GlobalAvgPool', name: 'pool', inputs: ['conv1'] };
  return graphOf('pooled', [5, 5, 3], [conv('conv1', 'input', 3, 4, random, { activation: 'relu' }), pool, conv('unused', 'input', 3, 1, random)]);
}

describe('computeFeatureMaps', () => {
  it('returns the tapped node for one image', async () => {
    const graph = pooledModel();
    const [image] = randomImages(1, 5, seededRandom(8));
    const maps = await computeFeatureMaps(graph, image, 'conv1', { kind: 'unit' });
    expect([maps.height, maps.width, maps.channels]).toEqual([5, 5, 4]);

    const executor = new GraphExecutor(graph);
    const batch = imagesToBatch([image], [5, 5, 3], { kind: 'unit' });
    const result = executor.run(batch, ['conv1']);
    const expected = await result.taps.get('conv1')!.data();
    [batch, ...result.outputs, ...result.taps.values()].forEach((tensor) => tensor.dispose());
    executor.dispose();
    expect(Array.from(maps.values)).toEqual(Array.from(expected));
  });

  it('treats a pooled vector as 1 x 1 maps', async () => {
    const [image] = randomImages(1, 5, seededRandom(9));
    const maps = await computeFeatureMaps(pooledModel(), image, 'pool', { kind: 'unit' });
    expect([maps.height, maps.width, maps.channels]).toEqual([1, 1, 4]);
  });

  it('frees every tensor it makes', async () => {
    const [image] = randomImages(1, 5, seededRandom(10));
    const before = tf.memory().numTensors;
    await computeFeatureMaps(pooledModel(), image, 'conv1', { kind: 'unit' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('channelMap', () => {
  it('picks one channel in row-major order', () => {
    const maps = { height: 2, width: 2, channels: 3, values: Float32Array.from({ length: 12 }, (_, i) => i) };
    expect(Array.from(channelMap(maps, 1))).toEqual([1, 4, 7, 10]);
  });

  it('rejects a channel out of range', () => {
    const maps = { height: 1, width: 1, channels: 2, values: new Float32Array(2) };
    expect(() => channelMap(maps, 2)).toThrow(RangeError);
  });
});
