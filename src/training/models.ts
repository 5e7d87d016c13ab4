import * as tf from '@tensorflow/tfjs';
import { FASHION_MNIST_CLASSES, IMAGE_SIZE } from './fashionMnist';
import { LayerFactory, type LayerOptions } from './layerFactory';

export const INPUT_SHAPE = [IMAGE_SIZE, IMAGE_SIZE, 1];

export interface VggWidths {
  /** Filter counts of the convolutions of each block. A 2x2 max pool ends every block. */
  blocks: number[][];
}

/**
 * Builds a VGG-style net for 28x28x1 inputs: blocks of conv-BN-ReLU, a max pool
 * after each block, then Flatten and a softmax Dense. It uses only layers that
 * the workbench imports (Conv2D, BatchNormalization, ReLU, MaxPooling2D,
 * Flatten, Dense).
 */
export function buildVgg(widths: VggWidths, options: LayerOptions): tf.LayersModel {
  const layers = new LayerFactory(options);
  const input = tf.input({ shape: INPUT_SHAPE, name: 'input' });
  let x = input;
  widths.blocks.forEach((filters, b) => {
    const prefix = `block${b + 1}`;
    filters.forEach((count, c) => {
      x = layers.convBnRelu(x, prefix, c + 1, count);
    });
    x = layers.maxPool(`${prefix}_pool`).apply(x) as tf.SymbolicTensor;
  });
  const flat = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const output = layers.classifier('predictions', FASHION_MNIST_CLASSES.length).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'fashion_vgg' });
}

export interface ResnetWidths {
  /** Filter count of the stem convolution, which a 2x2 max pool follows. */
  stem: number;
  /** Filter count of each stage of basic blocks. A 2x2 max pool comes before every stage after the first. */
  stages: number[];
  /** Number of basic blocks per stage. */
  blocksPerStage: number;
}

/**
 * Builds a small ResNet for 28x28x1 inputs. It has a conv stem and stages of
 * basic blocks (two 3x3 conv-BN with a residual Add, ReLU after the Add). A
 * 1x1 conv-BN projection sits where the width changes, and global average
 * pooling and a softmax Dense end it. Stages shrink the maps with max pooling rather than stride-2
 * convolutions, whose gradients run several times slower on wasm.
 */
export function buildResnet(widths: ResnetWidths, options: LayerOptions): tf.LayersModel {
  const layers = new LayerFactory(options);
  const input = tf.input({ shape: INPUT_SHAPE, name: 'input' });
  let x = layers.convBnRelu(input, 'stem', 1, widths.stem);
  x = layers.maxPool('stem_pool').apply(x) as tf.SymbolicTensor;
  let block = 1;
  widths.stages.forEach((filters, stage) => {
    if (stage > 0) x = layers.maxPool(`stage${stage + 1}_pool`).apply(x) as tf.SymbolicTensor;
    for (let i = 0; i < widths.blocksPerStage; i++) x = basicBlock(layers, x, `block${block++}`, filters);
  });
  const pooled = tf.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tf.SymbolicTensor;
  const output = layers.classifier('predictions', FASHION_MNIST_CLASSES.length).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'fashion_resnet' });
}

function basicBlock(layers: LayerFactory, input: tf.SymbolicTensor, prefix: string, filters: number): tf.SymbolicTensor {
  const inner = layers.convBnRelu(input, prefix, 1, filters);
  const conv2 = layers.conv(`${prefix}_conv2`, filters, 3).apply(inner) as tf.SymbolicTensor;
  const residual = layers.batchNorm(`${prefix}_bn2`).apply(conv2) as tf.SymbolicTensor;
  let shortcut = input;
  if (input.shape[input.shape.length - 1] !== filters) {
    const projected = layers.conv(`${prefix}_shortcut_conv`, filters, 1).apply(input) as tf.SymbolicTensor;
    shortcut = layers.batchNorm(`${prefix}_shortcut_bn`).apply(projected) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${prefix}_add` }).apply([residual, shortcut]) as tf.SymbolicTensor;
  return layers.relu(`${prefix}_relu2`).apply(sum) as tf.SymbolicTensor;
}
