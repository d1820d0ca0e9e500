/**
 * Validation of a whole dataset, reporting every problem at once.
 *
 * Shape is checked per entity by the zod schemas of model.ts; then the rules that span entities:
 * unique ids, references that resolve, EDTF dates that parse and run forwards, quotes and date
 * wordings that occur verbatim in the source text, and consistency of tenures with the events
 * that cite them. Each problem carries the file, the entity id and the field path.
 */
import type { z } from "zod";
import { tryParsePartialDate } from "./dates.js";
import { successionProblems } from "./lineage.js";
import {
  collectionNames,
  collections,
  kindOf,
  kindOfCollection,
  type CollectionName,
  type Dataset,
  type Entity,
} from "./model.js";

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

/** What the validator needs besides the data: where each collection came from, and the source texts. */
export interface ValidationContext {
  fileOf(collection: CollectionName): string;
  /** The text of a source by its `file` field, or undefined when it cannot be read. */
  readSource(file: string): string | undefined;
}

export interface ValidDataset {
  dataset: Dataset;
  /** Source texts by source id. */
  texts: Map<string, string>;
}

/** Keys whose string values are references to other entities. */
const REFERENCE_KEYS = ["ref", "post", "holder", "place", "decidedBy", "capacity"] as const;

export function validateDataset(input: Record<string, unknown>, ctx: ValidationContext): ValidDataset {
  const problems: Problem[] = [];
  const dataset = Object.fromEntries(collectionNames.map((c) => [c, []])) as unknown as Dataset;
  const fileOfEntity = new Map<string, string>();

  for (const collection of collectionNames) {
    const file = ctx.fileOf(collection);
    const items = input[collection] === undefined ? [] : input[collection];
    if (!Array.isArray(items)) {
      problems.push({ file, message: `expected an array of ${collection}, got ${describe(items)}` });
      continue;
    }
    const schema: z.ZodType = collections[collection];
    items.forEach((item: unknown, index) => {
      const entity = entityLabel(item, index);
      const hasId = entity !== `[${index}]`;
      const previous = hasId ? fileOfEntity.get(entity) : undefined;
      if (previous !== undefined) {
        problems.push({ file, entity, path: "id", message: `duplicate id (already defined in ${previous})` });
        return;
      }
      const parsed = schema.safeParse(item, { error: missingFieldMessage });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          problems.push({ file, entity, path: formatPath(issue.path), message: issue.message });
        }
        // Keep a well-formed id of this collection known, so that references to a malformed entity
        // do not add a second, misleading problem; an id of another kind stays unknown.
        if (hasId && kindOf(entity) === kindOfCollection[collection]) fileOfEntity.set(entity, file);
        return;
      }
      const value = parsed.data as Entity;
      fileOfEntity.set(value.id, file);
      (dataset[collection] as Entity[]).push(value);
    });
  }
  if (dataset.sources.length === 0 && !problems.some((p) => p.file === ctx.fileOf("sources"))) {
    problems.push({ file: ctx.fileOf("sources"), message: "a dataset needs at least one source" });
  }

  const texts = new Map<string, string>();
  for (const source of dataset.sources) {
    const text = ctx.readSource(source.file);
    if (text === undefined) {
      problems.push({ file: ctx.fileOf("sources"), entity: source.id, path: "file", message: `cannot read the source text "${source.file}"` });
    } else texts.set(source.id, text);
  }

  const allTextsRead = texts.size === dataset.sources.length;
  const idsByKind = new Map<string, string[]>();
  for (const id of fileOfEntity.keys()) {
    const kind = kindOf(id) ?? "";
    idsByKind.set(kind, [...(idsByKind.get(kind) ?? []), id]);
  }

  for (const collection of collectionNames) {
    const file = ctx.fileOf(collection);
    for (const entity of dataset[collection] as Entity[]) {
      const report = (path: string, message: string) => problems.push({ file, entity: entity.id, path, message });
      walkObjects(entity, "", (obj, at) => {
        const field = (key: string) => (at ? `${at}.${key}` : key);
        for (const key of REFERENCE_KEYS) {
          const ref = obj[key];
          if (typeof ref === "string" && !fileOfEntity.has(ref)) {
            report(field(key), danglingMessage(ref, idsByKind.get(kindOf(ref) ?? "") ?? []));
          }
        }
        if (typeof obj.edtf === "string") {
          const parsed = tryParsePartialDate(obj.edtf);
          if (!parsed.ok) report(field("edtf"), parsed.error);
        }
        // with a source unreadable, a wording may well be in it: only its reading problem is reported
        if (allTextsRead && typeof obj.wording === "string" && ![...texts.values()].some((t) => t.includes(obj.wording as string))) {
          report(field("wording"), `wording "${abbreviate(obj.wording)}" does not occur verbatim in any source`);
        }
        if (typeof obj.quote === "string" && typeof obj.source === "string") {
          const text = texts.get(obj.source);
          if (!fileOfEntity.has(obj.source)) report(field("source"), danglingMessage(obj.source, idsByKind.get("source") ?? []));
          else if (text !== undefined && !text.includes(obj.quote)) {
            report(field("quote"), `quote does not occur verbatim in ${obj.source}: "${abbreviate(obj.quote)}"`);
          }
        }
      });
    }
  }

  problems.push(...consistencyProblems(dataset, ctx));
  problems.push(...successionProblems(dataset, ctx.fileOf("offices")));
  if (problems.length > 0) throw new DatasetError(problems);
  return { dataset, texts };
}

/** Rules between entities that the shape alone cannot express. */
function consistencyProblems(dataset: Dataset, ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const tenures = new Map(dataset.tenures.map((t) => [t.id, t]));
  const events = new Map(dataset.events.map((e) => [e.id, e]));
  for (const post of dataset.posts) {
    if (!post.office && !post.state) {
      problems.push({ file: ctx.fileOf("posts"), entity: post.id, message: "a post must belong to an office or a state" });
    }
  }
  for (const event of dataset.events) {
    event.participants.forEach((p, i) => {
      const tenure = p.capacity ? tenures.get(p.capacity) : undefined;
      if (tenure && tenure.holder !== p.ref) {
        problems.push({
          file: ctx.fileOf("events"),
          entity: event.id,
          path: `participants[${i}].capacity`,
          message: `${p.capacity} is held by ${tenure.holder}, not by the participant ${p.ref}`,
        });
      }
    });
  }
  for (const office of dataset.offices) {
    office.nameHistory.forEach((name, i) => {
      const decision = name.decidedBy ? events.get(name.decidedBy) : undefined;
      if (decision && !decision.participants.some((p) => p.ref === office.id)) {
        problems.push({
          file: ctx.fileOf("offices"),
          entity: office.id,
          path: `nameHistory[${i}].decidedBy`,
          message: `${name.decidedBy} does not name ${office.id} among its participants`,
        });
      }
    });
  }
  return problems;
}

/** zod's default for an absent field ("expected object, received undefined") hides the point: it is missing. */
function missingFieldMessage(issue: { code?: string; input?: unknown; expected?: unknown }): string | undefined {
  if (issue.input !== undefined) return undefined;
  return issue.code === "invalid_type" ? `required field is missing (expected ${String(issue.expected)})` : "required field is missing";
}

function danglingMessage(id: string, candidates: string[]): string {
  const kind = kindOf(id);
  const what = kind ? `unknown ${kind} "${id}"` : `"${id}" is not a known id`;
  const best = closest(id, candidates);
  return best ? `${what} (did you mean ${best}?)` : what;
}

/** The candidate nearest by edit distance, when it is near enough to be a likely typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

function walkObjects(value: unknown, path: string, visit: (obj: Record<string, unknown>, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walkObjects(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object") {
    visit(value as Record<string, unknown>, path);
    for (const [key, v] of Object.entries(value)) walkObjects(v, path ? `${path}.${key}` : key, visit);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), "");
}

function entityLabel(item: unknown, index: number): string {
  const id = item !== null && typeof item === "object" ? (item as { id?: unknown }).id : undefined;
  return typeof id === "string" && id.length > 0 && id.length <= 200 ? id : `[${index}]`;
}

function describe(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
