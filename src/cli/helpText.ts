import { DEFAULT_TOLERANCE, TOLERANCE_RULE } from '../core/analysis/tolerance';
import { DEFAULT_BACKEND, DEFAULT_BATCH_SIZE } from './cliOptions';
import { formatTolerance } from './numberFormat';

export const USAGE_LINE = 'Usage: npm run cli -- <analyze|prune> --model <model file> --images <path...> [options]';

const OPTION_TEXT_INDENT = ' '.repeat(28);
const LINE_WIDTH = 88;

/** Breaks text into lines of at most LINE_WIDTH characters, each starting with indent. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, indent + line].join('\n');
}

export const HELP_TEXT = `LinDeps Workbench CLI: finds filters whose feature maps are linear combinations
of other filters in the same layer, and removes them with signal recovery.

${USAGE_LINE}

Commands:
  analyze   Measure each prunable layer's rank on the sample images and list the
            dependent filters. Writes no files.
  prune     Analyze, remove the dependent filters, rewrite the next layers, compare
            the pruned model with the original on the same images, and write the
            pruned model to --out in the format it came in.

Options:
  --model <path>            TF.js LayersModel model.json (or a folder that contains one),
                            Keras .keras or .h5 file, or ONNX .onnx file. The format
                            is judged by the file's content.
  --weights <shard...>      (TF.js) Weight shard files. Default: the shards that
                            model.json's weightsManifest names, looked up next to it.
  --images <path...>        PNG/JPEG images, or folders searched recursively for
                            .png/.jpg/.jpeg files. Each image is resized to the
                            model input. Other files in folders are skipped.
  --classes <file>          Class names, one per line in model output order ('#' lines
                            and blank lines are ignored). Labels come from the image
                            paths: the file name before a trailing number
                            (koala_2.jpeg -> koala), a class number before one
                            (7_0003.png -> 7), else the parent folder
                            (cat/0001.png -> cat).
                            Without it, prune reports how many images keep their
                            top-1 class (agreement) instead of accuracy.
  --scaling <mode>          How 0..255 pixels become model input. Default: unit.
                              unit       pixel / 255, range 0..1
                              raw        pixel, range 0..255
                              symmetric  pixel / 127.5 - 1, range -1..1
                              meanstd:m1,m2,m3:s1,s2,s3
                                         (pixel / 255 - mean) / std per RGB channel,
                                         mean and std on the 0..1 scale; one value
                                         each applies to all channels.
  --tolerance <number>      Relative rank tolerance, dimensionless. Default: ${formatTolerance(DEFAULT_TOLERANCE)}.
${wrap(`Rule: ${TOLERANCE_RULE}.`, OPTION_TEXT_INDENT)}
  --batch-size <images>     Images per forward pass. Default: ${DEFAULT_BATCH_SIZE}.
  --backend <wasm|cpu>      TensorFlow.js backend. Default: ${DEFAULT_BACKEND}. The backends round
                            float32 differently, so figures may differ in the last digits.
  --json                    Print one JSON document on stdout instead of the text
                            report. Progress and warnings still go to stderr. Run
                            'npm run -s cli' so npm prints no banner on stdout.
  --out <folder>            (prune) Folder for the pruned model, created if missing:
                            model.json and one float32 shard group1-shard1of1.bin for
                            TF.js, or one file named like the input for Keras and ONNX.
                            Files of the same names in it are overwritten. It must not
                            be the folder of the input model.
  --export-as <layout>      (prune) Write TF.js files (tfjs-layers) instead of the
                            input's own format; offered for Keras .keras and .h5 inputs.
  --force                   (prune) Write the model even when 0 filters are removed.
  --help                    Print this text.

Exit codes:
  0  success
  1  failure: a file could not be read or processed, or the computation failed
  2  usage error: unknown option, bad value, or a named file that does not exist
  3  prune removed 0 filters and wrote nothing (pass --force to write anyway)

Example:
  npm run cli -- prune --model tinyvgg/model.json --images tinyvgg/img \\
    --classes classes.txt --tolerance 1e-2 --out pruned/
`;
