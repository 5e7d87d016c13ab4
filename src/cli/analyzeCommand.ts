import { countDependent } from '../core/analysis/layerDependencies';
import { formatAnalysisReport, resultLines } from './analysisReport';
import type { CliIo } from './cliIo';
import type { AnalyzeOptions } from './cliOptions';
import { EXIT_OK } from './exitCodes';
import { analysisJson } from './jsonReport';
import { runAnalysis } from './runAnalysis';

/** `analyze`: reports ranks and dependent filters; 0 dependent filters is a finding, not an error, so it exits 0. */
export async function analyzeCommand(options: AnalyzeOptions, io: CliIo): Promise<number> {
  const run = await runAnalysis(options, io);
  const result = resultLines(run, 'would be removed');
  if (options.json) {
    io.stdout(`${JSON.stringify(analysisJson(run, 'analyze'), null, 2)}\n`);
    if (countDependent(run.dependencies) === 0) io.stderr(`${result.join('\n')}\n`);
  } else {
    io.stdout(`${[...formatAnalysisReport(run), '', ...result].join('\n')}\n`);
  }
  return EXIT_OK;
}
