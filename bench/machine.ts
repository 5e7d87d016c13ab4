import * as tf from '@tensorflow/tfjs';
import { cpus, platform, release, totalmem } from 'node:os';

/** Describes the hardware and software the numbers were measured on, in one line. */
export function describeMachine(): string {
  const cores = cpus();
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${cores[0]?.model ?? 'unknown CPU'}, ${cores.length} cores, ${memoryGiB} GiB RAM, ${platform()} ${release()}, Node ${process.version}, TF.js ${tf.version.tfjs}`;
}
