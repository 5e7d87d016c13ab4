import type { KerasLayerConfig } from '../tfjs/modelJson';

/**
 * Lists the variables a Keras layer creates, in creation order (trainable
 * ones first, then the rest), named as TF.js and Keras 2 name them. Keras 3 stores
 * them under `vars/0`, `vars/1`, ... in this order. Null for classes whose
 * variables the workbench does not know; those are taken as stored.
 */
export function layerVariableRoles(layer: KerasLayerConfig): string[] | null {
  const config = layer.config;
  const bias = config.use_bias === false ? [] : ['bias'];
  switch (layer.class_name) {
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
    case 'Convolution2D':
    case 'Conv2DTranspose':
    case 'Dense':
      return ['kernel', ...bias];
    case 'DepthwiseConv2D':
      return ['depthwise_kernel', ...bias];
    case 'SeparableConv2D':
    case 'SeparableConvolution2D':
      return ['depthwise_kernel', 'pointwise_kernel', ...bias];
    case 'BatchNormalization':
      return [...(config.scale === false ? [] : ['gamma']), ...(config.center === false ? [] : ['beta']), 'moving_mean', 'moving_variance'];
    case 'LayerNormalization':
      return [...(config.scale === false ? [] : ['gamma']), ...(config.center === false ? [] : ['beta'])];
    case 'PReLU':
      return ['alpha'];
    case 'Embedding':
      return ['embeddings'];
    case 'InputLayer':
    case 'Activation':
    case 'ReLU':
    case 'LeakyReLU':
    case 'Softmax':
    case 'Add':
    case 'Concatenate':
    case 'Reshape':
    case 'Flatten':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'MaxPooling2D':
    case 'AveragePooling2D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'ZeroPadding2D':
      return [];
    default:
      return null;
  }
}

/** Converts a class name to the name Keras stores it under (`Conv2D` -> `conv2d`, `ReLU` -> `re_lu`), as its naming utility spells it. */
export function snakeCaseClassName(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Tells whether a layer is a model (Sequential, Functional) whose config nests a list of layers. */
export function isNestedModel(layer: KerasLayerConfig): boolean {
  return ['Sequential', 'Functional', 'Model'].includes(layer.class_name) && Array.isArray(layer.config.layers);
}
