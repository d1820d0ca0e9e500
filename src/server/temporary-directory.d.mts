/** The types of temporary-directory.mjs (plain JavaScript, run before tsx loads). */
export function temporaryDirectoryProblem(
  make?: (prefix: string) => string,
  onFull?: (warning: string) => void,
): string | undefined;
