/** A mistake in the command line; `main` prints it with a pointer to --help and exits with EXIT_USAGE. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
