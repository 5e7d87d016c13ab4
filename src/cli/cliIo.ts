/** Output streams of the CLI; tests pass their own to capture what `main` writes in-process. */
export interface CliIo {
  /** Results: the report, or the JSON document with --json. */
  stdout(text: string): void;
  /** Progress, warnings and errors. */
  stderr(text: string): void;
  /** True when stderr is a terminal, so progress may redraw one line with a carriage return. */
  stderrIsTty: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
  };
}
