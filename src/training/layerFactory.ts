import * as tf from '@tensorflow/tfjs';

export interface LayerOptions {
  /** First initializer seed. Each layer with weights takes the next one, so every run starts from the same weights. */
  seed: number;
  /** L2 penalty on conv and dense kernels (coupled weight decay, as Keras' kernel_regularizer). */
  weightDecay: number;
  /** L1 penalty on batch norm scales (gamma), as in network slimming. Offsets (beta) have no penalty. */
  scaleL1: number;
}

/**
 * Factory of named, seeded layers. Convolutions have no bias because batch norm
 * follows each one. A separate ReLU layer follows batch norm, so the workbench
 * imports Conv2D -> BatchNormalization -> ReLU.
 */
export class LayerFactory {
  private nextSeed: number;

  constructor(private readonly options: LayerOptions) {
    this.nextSeed = options.seed;
  }

  private seed(): number {
    return this.nextSeed++;
  }

  private kernelRegularizer(): ReturnType<typeof tf.regularizers.l2> | undefined {
    return this.options.weightDecay > 0 ? tf.regularizers.l2({ l2: this.options.weightDecay }) : undefined;
  }

  private scaleRegularizer(): ReturnType<typeof tf.regularizers.l1> | undefined {
    return this.options.scaleL1 > 0 ? tf.regularizers.l1({ l1: this.options.scaleL1 }) : undefined;
  }

  conv(name: string, filters: number, kernelSize: number): tf.layers.Layer {
    return tf.layers.conv2d({
      name,
      filters,
      kernelSize,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: this.seed() }),
      kernelRegularizer: this.kernelRegularizer(),
    });
  }

  batchNorm(name: string): tf.layers.Layer {
    return tf.layers.batchNormalization({ name, axis: -1, gammaRegularizer: this.scaleRegularizer() });
  }

  relu(name: string): tf.layers.Layer {
    return tf.layers.reLU({ name });
  }

  maxPool(name: string): tf.layers.Layer {
    return tf.layers.maxPooling2d({ name, poolSize: 2, strides: 2 });
  }

  classifier(name: string, classes: number): tf.layers.Layer {
    return tf.layers.dense({
      name,
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: this.seed() }),
      kernelRegularizer: this.kernelRegularizer(),
    });
  }

  /** Applies conv -> batch norm -> ReLU, named `${prefix}_conv${index}`, `_bn${index}` and `_relu${index}`. */
  convBnRelu(input: tf.SymbolicTensor, prefix: string, index: number, filters: number): tf.SymbolicTensor {
    const conv = this.conv(`${prefix}_conv${index}`, filters, 3).apply(input) as tf.SymbolicTensor;
    const normalized = this.batchNorm(`${prefix}_bn${index}`).apply(conv) as tf.SymbolicTensor;
    return this.relu(`${prefix}_relu${index}`).apply(normalized) as tf.SymbolicTensor;
  }
}
