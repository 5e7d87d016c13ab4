import { UsageError } from './usageError';

/** How many values an option takes: none (a flag), exactly one, or one or more up to the next option. */
export type OptionArity = 'flag' | 'one' | 'many';

export interface ParsedArguments {
  command: string | null;
  /** Values per option name (without the leading dashes); flags map to an empty array. */
  options: Map<string, string[]>;
}

function splitInlineValue(token: string): [string, string | null] {
  const equals = token.indexOf('=');
  return equals < 0 ? [token.slice(2), null] : [token.slice(2, equals), token.slice(equals + 1)];
}

function takeValues(argv: string[], start: number): string[] {
  const values: string[] = [];
  for (let i = start; i < argv.length && !argv[i].startsWith('--'); i++) values.push(argv[i]);
  return values;
}

/**
 * Splits argv into a command and options. `--name value`, `--name=value` and,
 * for 'many' options, `--name a b c` (as a shell glob expands) are accepted.
 * Throws a UsageError for unknown or repeated options and for missing values.
 */
export function parseArguments(argv: string[], arities: Record<string, OptionArity>): ParsedArguments {
  const options = new Map<string, string[]>();
  let command: string | null = null;
  let i = 0;
  while (i < argv.length) {
    const token = argv[i];
    if (!token.startsWith('--')) {
      if (command !== null) throw new UsageError(`Unexpected argument '${token}'. Values belong after an option such as --images.`);
      command = token;
      i++;
      continue;
    }
    const [name, inlineValue] = splitInlineValue(token);
    const arity = arities[name];
    if (arity === undefined) throw new UsageError(`Unknown option '--${name}'.`);
    if (options.has(name)) throw new UsageError(`Option '--${name}' is given twice; give it once${arity === 'many' ? ' with all its values' : ''}.`);
    if (arity === 'flag') {
      if (inlineValue !== null) throw new UsageError(`Option '--${name}' takes no value, got '${inlineValue}'.`);
      options.set(name, []);
      i++;
      continue;
    }
    const following = inlineValue === null ? takeValues(argv, i + 1) : [];
    const values = inlineValue === null ? following : [inlineValue];
    if (values.length === 0) throw new UsageError(`Option '--${name}' needs a value.`);
    if (arity === 'one' && values.length > 1) throw new UsageError(`Option '--${name}' takes one value, got ${values.length}: ${values.join(' ')}.`);
    options.set(name, values);
    i += 1 + following.length;
  }
  return { command, options };
}
