import { benchBackends } from './backendBench';
import { formatBenchTable, type BenchRow } from './benchTable';
import { describeMachine } from './machine';
import { benchRAccumulation } from './rAccumulationBench';
import { REALMODELS_DIR } from '../src/node/files';

/** Each timing is the best of this many runs; the first run also warms up the JIT. */
const REPEATS = 2;
/** Tiny VGG's 20 sample images are repeated this many times so each timed run lasts long enough. */
const IMAGE_COPIES = 10;

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  for (const [featureRows, channels] of [[200_000, 64], [50_000, 256]]) {
    log(`streaming R vs whole-matrix pivoted QR, ${featureRows} x ${channels} ...`);
    rows.push(...(await benchRAccumulation(featureRows, channels, REPEATS)));
  }
  log('Tiny VGG feature extraction on wasm and cpu ...');
  const backends = await benchBackends(IMAGE_COPIES, REPEATS);
  if (backends) rows.push(backends);
  else log(`SKIPPED the backend row: Tiny VGG not found in ${REALMODELS_DIR} (set LINDEPS_REALMODELS).`);

  console.log(`Machine: ${describeMachine()}`);
  console.log(`Date: ${new Date().toISOString().slice(0, 10)}`);
  console.log(`Ratio: B / A for time and bytes (how many times cheaper A is), A / B for images per second.\n`);
  console.log(formatBenchTable(rows));
}

await main();
