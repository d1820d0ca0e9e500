/**
 * A problem found in a dataset, with its place (file, entity, field), and the error that carries
 * all of them at once. Every check reports these: validate.ts, and the checks it runs from
 * lineage.ts and mentions.ts, which therefore import this file rather than the validator.
 */

export interface Problem {
  /** The file the entity came from, e.g. `data/persons.ts` or `/my/dataset/persons.json`. */
  file: string;
  /** The entity's id, or `[index]` when it has no usable id. Absent for file-level problems. */
  entity?: string;
  /** Dotted path of the field inside the entity, e.g. `nationality.ref`. */
  path?: string;
  message: string;
  /**
   * The system's code (EACCES, EIO...) when the file or directory could not be read at all: a
   * refusal made only of such problems says the dataset cannot be read (not that it is invalid),
   * and the server gives it no hint to make the dataset again (dataset-files.ts regenerateHint).
   */
  readError?: string;
}

export function formatProblem(p: Problem): string {
  const where = p.entity ? `${p.entity}${p.path ? `.${p.path}` : ""}` : p.path;
  return `${p.file}: ${where ? `${where}: ` : ""}${p.message}`;
}

/**
 * The most problems a DatasetError keeps, reports and sends on (to a reload's parent, to the
 * workers, to the log); it counts the others. A file of 3 MB of `{}` rows gave 3,000,000 problems:
 * a reload's refusal taken in and logged held the serving thread 62 s and grew it by gigabytes,
 * its log line too long to be written, and at 6,000,000 the report itself was longer than a
 * string may be, and a start ended with a RangeError instead of it (red team 50, F2). The first
 * thousand say what is wrong with such a file as well as all of them would.
 */
export const MAX_PROBLEMS_KEPT = 1000;

export class DatasetError extends Error {
  /** The problems found, the first MAX_PROBLEMS_KEPT of them. */
  readonly problems: Problem[];
  /** How many problems were found in all (more than `problems` holds past MAX_PROBLEMS_KEPT). */
  readonly found: number;
  /** Whether every problem is a file or directory that could not be read (a permission, a disk's error), none one of what a file holds. */
  readonly unreadable: boolean;

  /** `found`: how many there were in all, where `problems` are the first of them (as a child process sent them). */
  constructor(problems: Problem[], found = problems.length) {
    const kept =
      problems.length > MAX_PROBLEMS_KEPT ? problems.slice(0, MAX_PROBLEMS_KEPT) : problems;
    const all = Math.max(found, kept.length);
    const cannotRead = unreadable(problems);
    super(
      `The dataset ${cannotRead ? "cannot be read" : "is invalid"} (${all} problem${all === 1 ? "" : "s"}${all > kept.length ? `; the first ${kept.length} below` : ""}):\n` +
        kept.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "DatasetError";
    this.problems = kept;
    this.found = all;
    this.unreadable = cannotRead;
  }
}

function unreadable(problems: Problem[]): boolean {
  return problems.length > 0 && problems.every((p) => p.readError !== undefined);
}
