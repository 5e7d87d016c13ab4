import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOLERANCE } from '../core/analysis/tolerance';
import { readDemoEntries, writeDemoManifest, type DemoModelEntry } from './demoManifest';
import { DEMO_MODELS, type DemoModelSpec } from './demoModels';
import { FASHION_MNIST_DIR, loadFashionMnist, MissingDatasetError, type FashionMnist } from './fashionMnist';
import { formatDependencies, measureDependencies } from './measureDependencies';
import { useWasmForTraining } from './registerWasmTrainingKernels';
import { decodedImages, firstPerClass, writeSampleSet } from './sampleSetFile';
import { saveLayersModel } from './saveLayersModel';
import { trainModel } from './trainModel';

const USAGE = `Usage: npm run train:demo -- [options]

Trains the demo models on Fashion-MNIST with TensorFlow.js on wasm and writes
public/demo/ (models, demo.json, a 500-image labelled test sample).

  --only vgg|resnet    train one model; demo.json keeps the other entry
  --analyze-only       train nothing; run LinDeps on the saved models and record their counts in demo.json
  --out DIR            write to DIR instead of public/demo
  --data DIR           read the Fashion-MNIST .gz files from DIR
                       (default ${FASHION_MNIST_DIR}, from apt-get install dataset-fashion-mnist)
  --epochs N           trial run with N epochs (accuracy minimums not enforced)
  --train-images N     trial run on the first N training images
`;

const SAMPLES_PER_CLASS = 50;
const MAX_MODEL_BYTES = 2 * 1024 * 1024;
const TOLERANCES = [DEFAULT_TOLERANCE, 1e-3, 1e-2];

/** An invalid command line, reported without a stack trace. */
class UsageError extends Error {}

interface Options {
  out: string;
  data: string;
  only: string | undefined;
  analyzeOnly: boolean;
  epochs: number | undefined;
  trainImages: number | undefined;
}

const OPTION_SPECS = {
  out: { type: 'string', default: 'public/demo' },
  data: { type: 'string', default: FASHION_MNIST_DIR },
  only: { type: 'string' },
  'analyze-only': { type: 'boolean', default: false },
  epochs: { type: 'string' },
  'train-images': { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

/** Parses the command line strictly, so an unknown option or a stray argument raises a UsageError. */
function parseArguments(): ReturnType<typeof parseArgs<{ options: typeof OPTION_SPECS }>> {
  try {
    return parseArgs({ options: OPTION_SPECS });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}. Run with --help for the options.`);
  }
}

function parseOptions(): Options {
  const { values } = parseArguments();
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.only !== undefined && !DEMO_MODELS.some((spec) => spec.id === values.only)) {
    throw new UsageError(`Invalid --only '${values.only}'. Use ${DEMO_MODELS.map((spec) => spec.id).join(' or ')}.`);
  }
  const count = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`Invalid --${name} '${value}'. Use a positive whole number.`);
    return Number(value);
  };
  return {
    out: values.out,
    data: values.data,
    only: values.only,
    analyzeOnly: values['analyze-only'],
    epochs: count('epochs', values.epochs),
    trainImages: count('train-images', values['train-images']),
  };
}

function withTrainLimit(data: FashionMnist, limit: number | undefined): FashionMnist {
  if (limit === undefined || limit >= data.train.count) return data;
  const train = { count: limit, pixels: data.train.pixels.subarray(0, limit * 28 * 28), labels: data.train.labels.subarray(0, limit) };
  return { train, test: data.test };
}

async function trainOne(spec: DemoModelSpec, data: FashionMnist, options: Options): Promise<DemoModelEntry | null> {
  const trial = options.epochs !== undefined || options.trainImages !== undefined;
  const plan = { ...spec.plan, epochs: options.epochs ?? spec.plan.epochs };
  const model = spec.build();
  console.log(`\n== ${spec.id}: ${spec.name}, ${model.countParams()} parameters, ${plan.epochs} epochs of ${data.train.count} images, batch ${plan.batchSize}`);
  const started = performance.now();
  const records = await trainModel(model, data, plan, (line) => console.log(line));
  const testAccuracy = records[records.length - 1].testAccuracy;
  console.log(`${spec.id}: test accuracy ${testAccuracy.toFixed(4)} on ${data.test.count} test images after ${((performance.now() - started) / 60000).toFixed(1)} min`);
  if (testAccuracy < spec.minimumAccuracy && !trial) {
    console.error(`${spec.id} reached test accuracy ${testAccuracy.toFixed(4)}, below the required ${spec.minimumAccuracy}, so it was not written. Train longer (see src/training/demoModels.ts).`);
    model.dispose();
    return null;
  }
  const saved = await saveLayersModel(model, join(options.out, spec.id));
  model.dispose();
  console.log(`${spec.id}: wrote ${saved.modelJson} and ${saved.weights}, ${(saved.bytes / 1024).toFixed(0)} KiB`);
  if (saved.bytes > MAX_MODEL_BYTES) throw new Error(`${spec.id} files take ${saved.bytes} bytes, over the ${MAX_MODEL_BYTES}-byte limit. Make the model narrower.`);
  const entry: DemoModelEntry = { id: spec.id, name: spec.name, path: `${spec.id}/model.json`, scaling: 'unit', testAccuracy: Number(testAccuracy.toFixed(4)), trainedBy: 'npm run train:demo', supported: spec.supported };
  return spec.note === undefined ? entry : { ...entry, note: spec.note };
}

/** Runs LinDeps on every saved demo model and records its dependent-filter count at the default tolerance in demo.json. */
async function analyzeDemoModels(options: Options, data: FashionMnist, sample: number[]): Promise<void> {
  const entries = readDemoEntries(options.out);
  if (entries.length === 0) throw new UsageError(`No demo models in '${options.out}'. Train them first with npm run train:demo.`);
  const labels = sample.map((index) => data.test.labels[index]);
  for (const entry of entries) {
    const dir = join(options.out, entry.id);
    console.log(`\n== LinDeps on ${dir} with the ${sample.length} sample images`);
    const results = await measureDependencies(dir, decodedImages(data.test, sample), labels, TOLERANCES);
    formatDependencies(results).forEach((line) => console.log(line));
    entry.dependentFiltersAtDefaultTolerance = results.find((result) => result.tolerance === DEFAULT_TOLERANCE)!.dependent;
  }
  writeDemoManifest(options.out, entries, DEMO_MODELS.map((spec) => spec.id));
}

async function main(): Promise<number> {
  const options = parseOptions();
  const started = performance.now();
  const data = withTrainLimit(loadFashionMnist(options.data), options.trainImages);
  await useWasmForTraining();
  console.log(`TensorFlow.js ${tf.version.tfjs} on ${tf.getBackend()}, ${data.train.count} training and ${data.test.count} test images`);
  mkdirSync(options.out, { recursive: true });
  const sample = firstPerClass(data.test, SAMPLES_PER_CLASS);
  writeSampleSet(options.out, data.test, sample, SAMPLES_PER_CLASS);
  let failed = false;
  if (!options.analyzeOnly) {
    const entries: DemoModelEntry[] = [];
    for (const spec of DEMO_MODELS.filter((candidate) => options.only === undefined || candidate.id === options.only)) {
      const entry = await trainOne(spec, data, options);
      if (entry === null) failed = true;
      else entries.push(entry);
    }
    writeDemoManifest(options.out, entries, DEMO_MODELS.map((spec) => spec.id));
  }
  await analyzeDemoModels(options, data, sample);
  console.log(`\nDone in ${((performance.now() - started) / 60000).toFixed(1)} min.`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = error instanceof MissingDatasetError || error instanceof UsageError;
    if (expected) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(expected ? 2 : 1);
  },
);
