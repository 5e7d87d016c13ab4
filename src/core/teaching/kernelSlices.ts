import type { PrunableLayer } from '../analysis/prunableLayers';
import type { WeightTensor } from '../graph/types';

/** A consumer kernel seen as [positions, inChannels, outChannels], the view the surgery uses. */
export interface ConsumerKernel {
  positions: number;
  inChannels: number;
  outChannels: number;
  values: Float32Array;
}

/** Views the consumer's kernel as [positions, inChannels, outChannels], and throws when it does not read the layer's channels. */
export function consumerKernel(kernel: WeightTensor, layer: PrunableLayer): ConsumerKernel {
  const outChannels = kernel.shape[kernel.shape.length - 1];
  const positions = layer.kernelPositions;
  const inChannels = kernel.values.length / (positions * outChannels);
  if (inChannels !== layer.channels) {
    throw new Error(`Consumer '${layer.consumer}' kernel [${kernel.shape.join(', ')}] does not read ${layer.channels} channels at ${positions} positions.`);
  }
  return { positions, inChannels, outChannels, values: kernel.values };
}

function checkChannel(value: number, count: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= count) throw new RangeError(`${name} ${value} is out of range 0..${count - 1}.`);
}

/**
 * Returns the weights with which output channel `output` reads input channel
 * `input`, one per position: W[:, :, input, output] for a Conv2D (kh * kw
 * values), or the Dense rows of that channel for Flatten -> Dense (H * W values).
 */
export function kernelSlice(kernel: ConsumerKernel, input: number, output: number): Float32Array {
  checkChannel(input, kernel.inChannels, 'Input channel');
  checkChannel(output, kernel.outChannels, 'Output channel');
  const slice = new Float32Array(kernel.positions);
  for (let p = 0; p < kernel.positions; p++) slice[p] = kernel.values[(p * kernel.inChannels + input) * kernel.outChannels + output];
  return slice;
}

/** Returns `base + scale * added`, element by element. */
export function addScaled(base: Float32Array, added: Float32Array, scale: number): Float32Array {
  return base.map((value, i) => value + scale * added[i]);
}

/** Finds the output channel that reads input channel `input` with the largest weights (sum of squares). */
export function strongestReader(kernel: ConsumerKernel, input: number): number {
  let best = 0;
  let bestEnergy = -1;
  for (let output = 0; output < kernel.outChannels; output++) {
    const energy = kernelSlice(kernel, input, output).reduce((sum, value) => sum + value * value, 0);
    if (energy > bestEnergy) [best, bestEnergy] = [output, energy];
  }
  return best;
}
