import { findPrunableLayers } from '../core/analysis/prunableLayers';
import type { DemoManifest } from '../core/data/demoManifest';
import { decodeSampleSet, parseSampleSetDescription } from '../core/data/sampleSet';
import type { InputFile } from '../core/formats/inputFile';
import type { WeightsManifestGroup } from '../core/formats/tfjs/modelJson';
import { tfjsLayersFormat } from '../core/formats/tfjs/tfjsLayersFormat';
import { IDLE_TASK, STALE_RESULTS, useWorkbench } from './store';

const DEMO_ROOT = `${import.meta.env.BASE_URL}demo/`;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Demo file '${url}' could not be loaded (HTTP ${response.status}); run npm run train:demo to create it.`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchJson(url: string): Promise<unknown> {
  const text = new TextDecoder().decode(await fetchBytes(url));
  try {
    return JSON.parse(text);
  } catch {
    // A dev server returns its index.html for a missing file.
    throw new Error(`Demo file '${url}' is missing or not JSON; run npm run train:demo to create it.`);
  }
}

async function fetchModelFiles(modelJsonUrl: string): Promise<InputFile[]> {
  const folder = modelJsonUrl.slice(0, modelJsonUrl.lastIndexOf('/') + 1);
  const modelJsonBytes = await fetchBytes(modelJsonUrl);
  const manifest = (JSON.parse(new TextDecoder().decode(modelJsonBytes)) as { weightsManifest: WeightsManifestGroup[] }).weightsManifest;
  const shardPaths = manifest.flatMap((group) => group.paths);
  const shards = await Promise.all(shardPaths.map(async (path) => ({ name: path.split('/').pop()!, path, bytes: await fetchBytes(folder + path) })));
  return [{ name: 'model.json', path: 'model.json', bytes: modelJsonBytes }, ...shards];
}

/**
 * Loads the built-in demo (a model the project trains itself and a labelled
 * sample of its test set) from the app's own server, so it works offline.
 */
export async function loadDemo(modelId?: string): Promise<void> {
  const { setState, getState } = useWorkbench;
  const dropsAtStart = getState().userFileDrops;
  setState({ demoStatus: { phase: 'running', done: 0, total: 0, message: 'Loading the demo' } });
  try {
    const manifest = (await fetchJson(`${DEMO_ROOT}demo.json`)) as DemoManifest;
    const entry = manifest.models.find((model) => (modelId ? model.id === modelId : model.supported));
    if (!entry) throw new Error(`The demo has no model${modelId ? ` '${modelId}'` : ''} the workbench can prune.`);
    const files = await fetchModelFiles(DEMO_ROOT + entry.path);
    const model = tfjsLayersFormat.import(files);
    const description = parseSampleSetDescription(await fetchJson(DEMO_ROOT + manifest.samples), manifest.samples);
    const samples = decodeSampleSet(description, await fetchBytes(DEMO_ROOT + description.pixels));
    // Files the user dropped while the demo loaded win over the demo.
    if (getState().userFileDrops !== dropsAtStart) return;
    setState({
      ...STALE_RESULTS,
      modelFiles: files,
      model,
      prunability: findPrunableLayers(model.graph),
      modelError: null,
      images: samples.images,
      imageErrors: [],
      classNamesText: samples.classNames.join('\n'),
      scaling: { kind: 'unit' },
      demo: { entry, sampleSource: description.source, others: manifest.models.filter((model) => model.supported && model.id !== entry.id) },
      demoStatus: IDLE_TASK,
      resultsClearedReason: null,
    });
  } catch (error) {
    if (getState().userFileDrops !== dropsAtStart) return;
    setState({ demoStatus: { ...IDLE_TASK, phase: 'error', message: (error as Error).message } });
  }
}
