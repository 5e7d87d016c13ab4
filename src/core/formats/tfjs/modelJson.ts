/**
 * The parts of a TF.js LayersModel `model.json` the workbench reads. Every
 * other field is kept untouched by the exporter.
 * Format: tfjs-core/src/io/types.ts (ModelJSON, WeightsManifestConfig), TF.js 4.x.
 */

export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface WeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  quantization?: WeightQuantization;
  [key: string]: unknown;
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightsManifestEntry[];
}

export interface KerasLayerConfig {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
  [key: string]: unknown;
}

export interface KerasModelConfig {
  class_name: string;
  config: Record<string, unknown> | KerasLayerConfig[];
  [key: string]: unknown;
}

export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightsManifestGroup[];
  [key: string]: unknown;
}

/**
 * Returns the Keras model config inside `modelTopology`. Newer converters nest
 * it as `modelTopology.model_config`; older `model.save` output stores the
 * model config itself as the topology.
 */
export function kerasModelConfig(modelJson: TfjsModelJson): KerasModelConfig {
  const topology = modelJson.modelTopology;
  const nested = topology.model_config;
  const config = (nested ?? topology) as KerasModelConfig;
  if (typeof config.class_name !== 'string' || config.config === undefined) {
    throw new Error(
      "model.json has no Keras model config (expected modelTopology.model_config.class_name). " +
        'Only TF.js LayersModel files are supported; a graph model (converted SavedModel) cannot be pruned.',
    );
  }
  return config;
}
