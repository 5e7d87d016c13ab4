import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoManifest, DemoModelEntry } from '../core/data/demoManifest';
import { SAMPLE_JSON } from './sampleSetFile';

export type { DemoModelEntry };

export const DEMO_JSON = 'demo.json';

export function readDemoEntries(dir: string): DemoModelEntry[] {
  const path = join(dir, DEMO_JSON);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DemoManifest).models : [];
}

/** Writes demo.json in the model order `order`, keeping the entries of models that were not retrained this time. */
export function writeDemoManifest(dir: string, entries: DemoModelEntry[], order: string[]): void {
  const path = join(dir, DEMO_JSON);
  const previous: DemoModelEntry[] = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DemoManifest).models : [];
  const byId = new Map(previous.map((entry) => [entry.id, entry]));
  for (const entry of entries) byId.set(entry.id, entry);
  const models = order.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
  const manifest: DemoManifest = { models, samples: SAMPLE_JSON };
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
