import type { BatchProgress } from '../core/analysis/analyzeFeatures';
import type { CliIo } from './cliIo';

/** Fraction of the images between two progress lines when stderr is a log file, not a terminal. */
const LOG_STEP = 0.1;

/**
 * Returns an onProgress callback that shows `stage: done/total images` on stderr:
 * one redrawn line on a terminal, else a line every 10 % so logs stay short.
 */
export function progressReporter(io: CliIo, stage: string): (progress: BatchProgress) => void {
  const started = performance.now();
  let nextLogged = 0;
  return ({ imagesDone, imagesTotal }) => {
    const finished = imagesDone >= imagesTotal;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = `${stage}: ${imagesDone}/${imagesTotal} images, ${seconds} s`;
    if (io.stderrIsTty) {
      io.stderr(`\r${line}${finished ? '\n' : ''}`);
    } else if (finished || imagesDone >= nextLogged) {
      io.stderr(`${line}\n`);
      nextLogged = imagesDone + Math.ceil(imagesTotal * LOG_STEP);
    }
  };
}
