import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyzeCommand } from './analyzeCommand';
import { processIo, type CliIo } from './cliIo';
import { parseCommandLine } from './cliOptions';
import { EXIT_FAILURE, EXIT_USAGE } from './exitCodes';
import { HELP_TEXT, USAGE_LINE } from './helpText';
import { pruneCommand } from './pruneCommand';
import { UsageError } from './usageError';

/**
 * Runs the LinDeps CLI with argv (without the node and script paths) and returns the exit code.
 * Errors are written to io.stderr and returned as EXIT_USAGE or EXIT_FAILURE instead of thrown.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.kind) {
      case 'help':
        io.stdout(HELP_TEXT);
        return 0;
      case 'analyze':
        return await analyzeCommand(command.options, io);
      case 'prune':
        return await pruneCommand(command.options, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`lindeps: ${error.message}\n${USAGE_LINE}\nRun with --help for every option.\n`);
      return EXIT_USAGE;
    }
    io.stderr(`lindeps: error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
