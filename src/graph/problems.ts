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
}

export function formatProblem(p: Problem): string {
  const where = p.entity ? `${p.entity}${p.path ? `.${p.path}` : ""}` : p.path;
  return `${p.file}: ${where ? `${where}: ` : ""}${p.message}`;
}

export class DatasetError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `The dataset is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "DatasetError";
  }
}
