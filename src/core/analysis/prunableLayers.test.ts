import { describe, expect, it } from 'vitest';
import type { BatchNormNode, GraphNode } from '../graph/types';
import { conv, dense, graphOf, randomTensor, seededRandom } from '../testing/syntheticModels';
import { findPrunableLayers } from './prunableLayers';

const random = seededRandom(4);

function batchNorm(name: string, input: string, channels: number): BatchNormNode {
  const ones = { shape: [channels], values: new Float32Array(channels).fill(1) };
  return { op: 'BatchNorm', name, inputs: [input], epsilon: 1e-3, gamma: ones, beta: randomTensor([channels], random), movingMean: randomTensor([channels], random), movingVariance: ones };
}

function reasonFor(nodes: GraphNode[], layer: string): string | undefined {
  return findPrunableLayers(graphOf('test', [8, 8, 3], nodes)).blocked.find((blocked) => blocked.layer === layer)?.reason;
}

describe('findPrunableLayers', () => {
  it('slices BatchNorm with its producer and taps the consumer input', () => {
    const report = findPrunableLayers(
      graphOf('bn', [8, 8, 3], [
        conv('conv1', 'input', 3, 4, random),
        batchNorm('bn1', 'conv1', 4),
        { op: 'Activation', name: 'relu1', inputs: ['bn1'], activation: 'relu' },
        { op: 'MaxPool2D', name: 'pool1', inputs: ['relu1'], poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
        conv('conv2', 'pool1', 4, 2, random),
      ]),
    );
    const identity = [0, 1, 2, 3];
    const reader = { tap: 'pool1', consumer: 'conv2', consumerKind: 'conv2d', kernelPositions: 9, channelMap: identity };
    const channelMaps = { conv1: identity, bn1: identity, relu1: identity, pool1: identity };
    expect(report.prunable).toEqual([{ producer: 'conv1', channels: 4, writers: ['conv1'], path: ['bn1', 'relu1', 'pool1'], readers: [reader], channelMaps, ...reader }]);
  });

  it('taps before global average pooling', () => {
    const report = findPrunableLayers(
      graphOf('gap', [8, 8, 3], [
        conv('conv1', 'input', 3, 4, random, { activation: 'relu' }),
        { op: 'GlobalAvgPool', name: 'gap', inputs: ['conv1'] },
        dense('logits', 'gap', 4, 3, random),
      ]),
    );
    expect(report.prunable[0].tap).toBe('conv1');
    expect(report.prunable[0].consumerKind).toBe('dense');
    expect(report.prunable[0].kernelPositions).toBe(1);
  });

  it('maps Flatten -> Dense rows by spatial position', () => {
    const report = findPrunableLayers(
      graphOf('flat', [8, 8, 3], [
        conv('conv1', 'input', 3, 4, random, { padding: 'valid' }),
        { op: 'Flatten', name: 'flatten', inputs: ['conv1'] },
        dense('logits', 'flatten', 6 * 6 * 4, 3, random),
      ]),
    );
    expect(report.prunable[0].consumerKind).toBe('flattenDense');
    expect(report.prunable[0].kernelPositions).toBe(36);
  });

  it('never offers a model output', () => {
    expect(reasonFor([conv('conv1', 'input', 3, 4, random)], 'conv1')).toBe("'conv1' is a model output.");
    const throughRelu = [conv('conv1', 'input', 3, 4, random), { op: 'Activation', name: 'relu', inputs: ['conv1'], activation: 'relu' } as GraphNode];
    expect(reasonFor(throughRelu, 'conv1')).toContain("reach the model output 'relu'");
  });

  it('lists a separable convolution as not prunable', () => {
    const separable: GraphNode = {
      op: 'SeparableConv2D', name: 'sep', inputs: ['input'], filters: 4, depthMultiplier: 1, kernelSize: [3, 3], strides: [1, 1], dilation: [1, 1],
      padding: 'same', activation: 'relu', depthwiseKernel: randomTensor([3, 3, 3, 1], random), pointwiseKernel: randomTensor([1, 1, 3, 4], random), bias: null,
    };
    expect(reasonFor([separable, conv('conv2', 'sep', 4, 2, random)], 'sep')).toMatch(/removing SeparableConv2D output channels is not implemented/);
  });

  it('blocks a softmax over channels', () => {
    const nodes: GraphNode[] = [
      conv('conv1', 'input', 3, 4, random),
      { op: 'Activation', name: 'softmax', inputs: ['conv1'], activation: 'softmax' },
      conv('conv2', 'softmax', 4, 2, random),
    ];
    expect(reasonFor(nodes, 'conv1')).toContain('mixes channels non-linearly');
  });

  it('lets two linear layers read one output', () => {
    const nodes: GraphNode[] = [
      conv('conv1', 'input', 3, 4, random),
      conv('conv2', 'conv1', 4, 2, random),
      conv('conv3', 'conv1', 4, 2, random),
    ];
    const graph = graphOf('branch', [8, 8, 3], nodes);
    graph.outputs = ['conv2', 'conv3'];
    const [layer] = findPrunableLayers(graph).prunable;
    expect(layer.producer).toBe('conv1');
    expect(layer.readers.map((reader) => reader.consumer)).toEqual(['conv2', 'conv3']);
  });
});
