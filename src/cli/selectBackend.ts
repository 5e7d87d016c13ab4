import * as tf from '@tensorflow/tfjs';
import type { BackendName } from './cliOptions';

/** Activates a TF.js backend; the wasm backend is imported only when requested, since importing it registers it. */
export async function selectBackend(name: BackendName): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  const started = await tf.setBackend(name);
  if (!started) throw new Error(`The TF.js '${name}' backend failed to start; run again with --backend cpu.`);
  await tf.ready();
}
