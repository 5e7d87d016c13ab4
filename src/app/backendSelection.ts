import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendTiming {
  backend: BackendName;
  /** Milliseconds for the probe convolution, or null when the backend is unavailable. */
  milliseconds: number | null;
  note: string;
}

export interface BackendChoice {
  backend: BackendName;
  reason: string;
  timings: BackendTiming[];
}

// The threaded WASM build hangs in minified production bundles, so the single-threaded one is forced.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

interface AdapterLike {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
}

/** Describes the WebGPU adapter, or null when the browser has none. */
async function webGpuAdapter(): Promise<{ software: boolean; label: string } | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  const adapter = (await gpu.requestAdapter().catch(() => null)) as AdapterLike | null;
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const label = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || /swiftshader|llvmpipe|software/i.test(label);
  return { software, label };
}

/** Times one conv2d the size of an early CNN layer, after a warm-up run that compiles shaders. */
async function probeConvolution(): Promise<number> {
  const input = tf.randomUniform([4, 32, 32, 16]) as tf.Tensor4D;
  const kernel = tf.randomUniform([3, 3, 16, 16]) as tf.Tensor4D;
  try {
    const once = async (): Promise<void> => {
      const output = tf.conv2d(input, kernel, 1, 'same');
      await output.data();
      output.dispose();
    };
    await once();
    const start = performance.now();
    for (let i = 0; i < 3; i++) await once();
    return (performance.now() - start) / 3;
  } finally {
    input.dispose();
    kernel.dispose();
  }
}

async function timeBackend(backend: BackendName): Promise<BackendTiming> {
  try {
    if (!(await tf.setBackend(backend))) return { backend, milliseconds: null, note: 'failed to initialise' };
    await tf.ready();
    return { backend, milliseconds: await probeConvolution(), note: '' };
  } catch (error) {
    return { backend, milliseconds: null, note: (error as Error).message };
  }
}

/**
 * Picks the TensorFlow.js backend for feature maps: WebGPU on a real GPU;
 * otherwise the fastest of WASM and WebGL by a measured probe convolution
 * (software WebGPU and WebGL can be far slower than WASM); CPU as the last resort.
 */
export async function chooseBackend(): Promise<BackendChoice> {
  const adapter = await webGpuAdapter();
  const timings: BackendTiming[] = [];
  if (adapter && !adapter.software) {
    const timing = await timeBackend('webgpu');
    timings.push({ ...timing, note: adapter.label });
    if (timing.milliseconds !== null) return { backend: 'webgpu', reason: `WebGPU on a hardware adapter (${adapter.label})`, timings };
  } else {
    timings.push({ backend: 'webgpu', milliseconds: null, note: adapter ? `skipped: software adapter (${adapter.label})` : 'not available in this browser' });
  }
  for (const backend of ['wasm', 'webgl'] as const) timings.push(await timeBackend(backend));
  const measured = timings.filter((timing) => timing.milliseconds !== null);
  measured.sort((a, b) => a.milliseconds! - b.milliseconds!);
  const fastest = measured[0]?.backend ?? 'cpu';
  await tf.setBackend(fastest);
  await tf.ready();
  const reason = measured.length > 0 ? `fastest in a probe convolution (${measured.map((t) => `${t.backend} ${t.milliseconds!.toFixed(1)} ms`).join(', ')})` : 'no other backend initialised';
  return { backend: fastest, reason, timings };
}
