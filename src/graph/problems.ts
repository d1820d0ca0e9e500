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

export class DatasetError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `The dataset ${unreadable(problems) ? "cannot be read" : "is invalid"} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "DatasetError";
  }

  /** Whether every problem is a file or directory that could not be read (a permission, a disk's error), none one of what a file holds. */
  get unreadable(): boolean {
    return unreadable(this.problems);
  }
}

function unreadable(problems: Problem[]): boolean {
  return problems.length > 0 && problems.every((p) => p.readError !== undefined);
}
