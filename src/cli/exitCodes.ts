export const EXIT_OK = 0;
/** The files could not be read or processed, or the computation failed. */
export const EXIT_FAILURE = 1;
/** The command line is wrong: unknown option, bad value, or a named file that does not exist. */
export const EXIT_USAGE = 2;
/** `prune` removed 0 filters and wrote nothing (without --force). */
export const EXIT_NOTHING_PRUNED = 3;
