import { DEFAULT_TOLERANCE } from '../core/analysis/tolerance';
import { DEFAULT_SCALING, type PixelScaling } from '../core/data/preprocessing';
import { parseArguments, type OptionArity } from './parseArguments';
import { UsageError } from './usageError';

export type BackendName = 'wasm' | 'cpu';

export const DEFAULT_BATCH_SIZE = 16;
export const DEFAULT_BACKEND: BackendName = 'wasm';

export interface AnalyzeOptions {
  modelPath: string;
  /** Shard files given with --weights; null means the shards named in model.json, next to it. */
  weightPaths: string[] | null;
  imagePaths: string[];
  classesPath: string | null;
  scaling: PixelScaling;
  tolerance: number;
  batchSize: number;
  backend: BackendName;
  json: boolean;
}

export interface PruneOptions extends AnalyzeOptions {
  outDir: string;
  /** Write the model even when no filter was removed. */
  force: boolean;
  /** Export target id (e.g. `tfjs-layers`); null writes the format the model came in. */
  exportAs: string | null;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'analyze'; options: AnalyzeOptions }
  | { kind: 'prune'; options: PruneOptions };

const COMMON_OPTIONS: Record<string, OptionArity> = {
  model: 'one',
  weights: 'many',
  images: 'many',
  classes: 'one',
  scaling: 'one',
  tolerance: 'one',
  'batch-size': 'one',
  backend: 'one',
  json: 'flag',
  help: 'flag',
};

const PRUNE_ONLY_OPTIONS: Record<string, OptionArity> = { out: 'one', force: 'flag', 'export-as': 'one' };

function parseTolerance(text: string): number {
  const value = Number(text);
  // |R_kk| / |R_00| never exceeds 1 in pivot order, so a tolerance of 1 or more would mark every filter but one dependent.
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`--tolerance must be a number from 0 to below 1 such as 1e-5, got '${text}'.`);
  }
  return value;
}

function parseBatchSize(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--batch-size must be a whole number >= 1, got '${text}'.`);
  return value;
}

function parseBackend(text: string): BackendName {
  if (text === 'wasm' || text === 'cpu') return text;
  throw new UsageError(`--backend must be 'wasm' or 'cpu', got '${text}'.`);
}

function parseNumberList(text: string, part: 'mean' | 'std', positive: boolean): number[] {
  const values = text.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  const valid = values.every((value) => Number.isFinite(value) && (!positive || value > 0));
  if (!valid || (values.length !== 1 && values.length !== 3)) {
    throw new UsageError(`The ${part} of --scaling meanstd must be 1 or 3 comma-separated ${positive ? 'positive ' : ''}numbers, got '${text}'.`);
  }
  return values;
}

/** Parses unit, raw, symmetric or meanstd:m1,m2,m3:s1,s2,s3 (mean and std on the 0..1 scale of pixel / 255). */
export function parseScaling(text: string): PixelScaling {
  if (text === 'unit' || text === 'raw' || text === 'symmetric') return { kind: text };
  const parts = text.split(':');
  if (parts[0] === 'meanstd' && parts.length === 3) {
    return { kind: 'meanStd', mean: parseNumberList(parts[1], 'mean', false), std: parseNumberList(parts[2], 'std', true) };
  }
  throw new UsageError(
    `--scaling must be unit, raw, symmetric or meanstd:m1,m2,m3:s1,s2,s3 (e.g. meanstd:0.485,0.456,0.406:0.229,0.224,0.225), got '${text}'.`,
  );
}

function required(options: Map<string, string[]>, name: string, hint: string): string[] {
  const values = options.get(name);
  if (!values) throw new UsageError(`Missing --${name}: ${hint}`);
  return values;
}

function analyzeOptions(options: Map<string, string[]>): AnalyzeOptions {
  const single = (name: string): string | undefined => options.get(name)?.[0];
  return {
    modelPath: required(options, 'model', 'give the path of the TF.js model.json.')[0],
    weightPaths: options.get('weights') ?? null,
    imagePaths: required(options, 'images', 'give a folder of PNG/JPEG sample images, or image files.'),
    classesPath: single('classes') ?? null,
    scaling: single('scaling') === undefined ? DEFAULT_SCALING : parseScaling(single('scaling')!),
    tolerance: single('tolerance') === undefined ? DEFAULT_TOLERANCE : parseTolerance(single('tolerance')!),
    batchSize: single('batch-size') === undefined ? DEFAULT_BATCH_SIZE : parseBatchSize(single('batch-size')!),
    backend: single('backend') === undefined ? DEFAULT_BACKEND : parseBackend(single('backend')!),
    json: options.has('json'),
  };
}

/** Turns argv (without the node and script paths) into a command with checked, typed options. */
export function parseCommandLine(argv: string[]): CliCommand {
  const parsed = parseArguments(argv, { ...COMMON_OPTIONS, ...PRUNE_ONLY_OPTIONS });
  if (parsed.options.has('help') || parsed.command === 'help') return { kind: 'help' };
  if (parsed.command === null) throw new UsageError("No command given; use 'analyze' or 'prune'.");
  if (parsed.command === 'analyze') {
    for (const name of Object.keys(PRUNE_ONLY_OPTIONS)) {
      if (parsed.options.has(name)) throw new UsageError(`--${name} belongs to 'prune'; 'analyze' writes no files.`);
    }
    return { kind: 'analyze', options: analyzeOptions(parsed.options) };
  }
  if (parsed.command === 'prune') {
    const outDir = required(parsed.options, 'out', 'give the folder the pruned model files are written to.')[0];
    const exportAs = parsed.options.get('export-as')?.[0] ?? null;
    return { kind: 'prune', options: { ...analyzeOptions(parsed.options), outDir, force: parsed.options.has('force'), exportAs } };
  }
  throw new UsageError(`Unknown command '${parsed.command}'; use 'analyze' or 'prune'.`);
}
