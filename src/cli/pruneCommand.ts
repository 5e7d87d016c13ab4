import { resolve } from 'node:path';
import { pruneAndEvaluate } from '../core/pipeline';
import { formatAnalysisReport, resultLines } from './analysisReport';
import type { CliIo } from './cliIo';
import type { PruneOptions } from './cliOptions';
import { EXIT_NOTHING_PRUNED, EXIT_OK } from './exitCodes';
import { analysisJson, pruneJson } from './jsonReport';
import { resolveModelPath } from './loadModel';
import { formatCount } from './numberFormat';
import { progressReporter } from './progress';
import { formatPruneReport } from './pruneReport';
import { batchRunOptions, runAnalysis } from './runAnalysis';
import { checkOutputFolder, writeModelFiles } from './writeModelFiles';

/**
 * `prune`: removes the dependent filters, compares the pruned model with the
 * original and writes it to --out. With 0 filters removed it writes nothing
 * and exits EXIT_NOTHING_PRUNED unless --force is given, so scripts cannot mistake it for a pruned model.
 */
export async function pruneCommand(options: PruneOptions, io: CliIo): Promise<number> {
  checkOutputFolder(options.outDir, resolveModelPath(options.modelPath));
  const run = await runAnalysis(options, io);
  const outcome = await pruneAndEvaluate(
    run.loaded.model.graph,
    run.analysis,
    options.tolerance,
    run.images,
    run.labels.labels,
    batchRunOptions(options, progressReporter(io, 'evaluating the pruned model')),
  );
  const nothingRemoved = outcome.removedFilters === 0;
  const written = nothingRemoved && !options.force ? [] : await writeModelFiles(run.loaded.model, outcome.graph, options.outDir, options.exportAs);
  const writtenLines = written.length > 0
    ? [`Wrote ${written.join(', ')} (imported back and checked: ${formatCount(outcome.after.params)} parameters).`]
    : [`Nothing written to ${resolve(options.outDir)}; pass --force to write the unchanged model anyway.`];
  const summary = [...resultLines(run, 'removed'), ...writtenLines];

  if (options.json) {
    io.stdout(`${JSON.stringify({ ...analysisJson(run, 'prune'), prune: pruneJson(outcome, written) }, null, 2)}\n`);
    if (nothingRemoved) io.stderr(`${summary.join('\n')}\n`);
  } else {
    io.stdout(`${[...formatAnalysisReport(run), '', ...formatPruneReport(outcome), '', ...summary].join('\n')}\n`);
  }
  return nothingRemoved && !options.force ? EXIT_NOTHING_PRUNED : EXIT_OK;
}
