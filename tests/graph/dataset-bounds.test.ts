/**
 * The bounds on a dataset's strings (model.ts: MAX_TEXT_LENGTH, MAX_SLUG_LENGTH) and on what a
 * problem quotes of them (validate.ts). Red team 41 (F4): a source's name of 300 MiB was read for
 * 2 minutes and then crashed the loading process in V8, with an error that named no file, entity
 * or field. Each bound is tried on both paths of validation: the built-in dataset's (zod alone)
 * and a JSON dataset's (the loader's fast check first, then zod for the messages).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileCheck } from "../../src/graph/fast-check.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import {
  type CollectionName,
  collections,
  MAX_SLUG_LENGTH,
  MAX_TEXT_LENGTH,
} from "../../src/graph/model.js";
import { formatProblem } from "../../src/graph/validate.js";
import {
  buildLikeBuiltIn,
  cloneBuiltIn,
  datasetErrorOf,
  editJson,
  exportToTmp,
  removeDir,
} from "../fixtures/datasets.js";

const SZABO = "person/gyorgy-szabo";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

type Edit = (d: Record<string, any[]>) => void;

/**
 * The problems, formatted, that the dataset gets after `edit` on each path; the two paths must
 * agree but for the file named. An empty list when the dataset is valid.
 */
function problemsAfter(edit: Edit): string[] {
  const builtIn = cloneBuiltIn();
  edit(builtIn as unknown as Record<string, any[]>);
  const fromBuiltIn = problemsOf(() => buildLikeBuiltIn(builtIn));
  const dir = exportToTmp();
  dirs.push(dir);
  const edited: Record<string, any[]> = {};
  const collections = Object.keys(builtIn) as CollectionName[];
  for (const collection of collections)
    editJson(dir, collection, (items) => {
      edited[collection] = items;
    });
  edit(edited);
  for (const collection of collections)
    editJson(dir, collection, (items) => items.splice(0, items.length, ...edited[collection]!));
  const fromJson = problemsOf(() => loadJsonGraph(dir)).map((p) =>
    p.replace(/^.*\/(\w+)\.json: /, "data/$1.ts: "),
  );
  expect(fromJson).toEqual(fromBuiltIn);
  return fromBuiltIn;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch {
    return datasetErrorOf(run).problems.map(formatProblem);
  }
  return [];
}

const person = (d: Record<string, any[]>) => d.persons!.find((p) => p.id === SZABO)!;

describe("a text's length", () => {
  /** An editorial note of `length` times `character` added to Szabó's provenance. */
  const noteOf = (character: string) => (length: number) => (d: Record<string, any[]>) => {
    person(d).provenance.push({ editorial: character.repeat(length) });
  };
  /** The problem of that note, one character too long. */
  const tooLong = () => {
    const index = cloneBuiltIn().persons.find((p) => p.id === SZABO)!.provenance.length;
    return `data/persons.ts: ${SZABO}.provenance[${index}].editorial: is 100,001 characters long: longer than the 100,000 a text may be`;
  };

  it("takes a text of MAX_TEXT_LENGTH characters, and refuses one longer, naming its file, entity and field", () => {
    const note = noteOf("n");
    expect(problemsAfter(note(MAX_TEXT_LENGTH))).toEqual([]);
    expect(problemsAfter(note(MAX_TEXT_LENGTH + 1))).toEqual([tooLong()]);
  });

  it("counts characters as zod does, in code points: a character outside the BMP (two UTF-16 units) is one", () => {
    // zod's max counts code points; the fast check and the message counted units (review 42)
    const note = noteOf("😀");
    expect(problemsAfter(note(MAX_TEXT_LENGTH))).toEqual([]);
    expect(problemsAfter(note(MAX_TEXT_LENGTH + 1))).toEqual([tooLong()]);
    // the loader's fast check takes what zod takes (else every such entity goes through zod)
    const check = compileCheck(collections.persons)!;
    const entity = cloneBuiltIn().persons.find((p) => p.id === SZABO)!;
    entity.provenance.push({ editorial: "😀".repeat(MAX_TEXT_LENGTH) });
    expect(check(structuredClone(entity))).toBe(true);
    entity.provenance.at(-1).editorial += "😀";
    expect(check(structuredClone(entity))).toBe(false);
  });

  it("refuses a name of millions of characters at once, quoting none of it", () => {
    const problems = problemsAfter((d) => {
      person(d).name.text = "x".repeat(5_000_000);
    });
    expect(problems).toEqual([
      `data/persons.ts: ${SZABO}.name.text: is 5,000,000 characters long: longer than the 100,000 a text may be`,
    ]);
  });
});

describe("an id's length", () => {
  const dimension = (id: string) => ({
    id,
    name: { text: "Fourth", provenance: [{ editorial: "made up" }] },
    provenance: [{ editorial: "made up" }],
  });

  it("takes a slug of MAX_SLUG_LENGTH characters, and refuses a longer one by its length", () => {
    const slug = (length: number) => `dimension/${"a".repeat(length)}`;
    expect(
      problemsAfter((d) => {
        d.dimensions!.push(dimension(slug(MAX_SLUG_LENGTH)));
      }),
    ).toEqual([]);
    const index = cloneBuiltIn().dimensions.length;
    expect(
      problemsAfter((d) => {
        d.dimensions!.push(dimension(slug(MAX_SLUG_LENGTH + 1)));
      }),
    ).toEqual([
      `data/dimensions.ts: [${index}].id: is 211 characters long: an id's slug may be at most ${MAX_SLUG_LENGTH}`,
    ]);
  });

  it("refuses a reference whose slug is just too long by its length, where several kinds may stand", () => {
    // "person/" and 201 characters is shorter than the longest id of any kind: it was "Invalid input"
    const tenure = cloneBuiltIn().tenures[0]!.id;
    expect(
      problemsAfter((d) => {
        d.tenures![0].holder = `person/${"y".repeat(MAX_SLUG_LENGTH + 1)}`;
      }),
    ).toEqual([
      `data/tenures.ts: ${tenure}.holder: is 208 characters long: an id's slug may be at most ${MAX_SLUG_LENGTH}`,
    ]);
  });

  it("refuses a reference of millions of characters by its length, where one kind or several may stand", () => {
    const problems = problemsAfter((d) => {
      d.tenures![0].holder = `person/${"y".repeat(5_000_000)}`;
      person(d).nationality.ref = `state/${"z".repeat(5_000_000)}`;
    });
    const tenure = cloneBuiltIn().tenures[0]!.id;
    expect(problems).toEqual([
      `data/persons.ts: ${SZABO}.nationality.ref: is 5,000,006 characters long: an id's slug may be at most ${MAX_SLUG_LENGTH}`,
      `data/tenures.ts: ${tenure}.holder: is 5,000,007 characters long: an id's slug may be at most ${MAX_SLUG_LENGTH}`,
    ]);
  });
});

describe("what a problem quotes of a text", () => {
  /** Every object of `value` with a `key`, its value given to `set`. */
  const each = (value: unknown, key: string, set: (holder: Record<string, unknown>) => void) => {
    if (value === null || typeof value !== "object") return;
    if (key in value) set(value as Record<string, unknown>);
    for (const child of Object.values(value)) each(child, key, set);
  };
  const long = (c: string) => c.repeat(MAX_TEXT_LENGTH);
  const cases: Record<string, Edit> = {
    // a link's problem lists the names of its ends (mentions.ts)
    "a link's names": (d) => {
      Object.assign(person(d), {
        name: { text: long("S"), provenance: [{ editorial: "long" }] },
        aliases: [],
      });
    },
    "documentAlone, not a day": (d) =>
      each(d.offices, "documentAlone", (holder) => {
        holder.documentAlone = long("x");
      }),
    "a source's file, not there": (d) => {
      d.sources![0].file = long("f");
    },
    "a wording not in the source": (d) => {
      d.events![0].when.wording = long("w");
    },
    "a quote not in the source": (d) => {
      d.events![0].provenance = [{ source: d.sources![0].id, quote: long("q") }];
    },
  };

  it.each(Object.keys(cases))("is at most a few hundred characters of it: %s", (name) => {
    // each quoted a text whole (review 42: up to 100,171 characters, 600,000 for a link's names)
    const problems = problemsAfter(cases[name]!);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((problem) => problem.length > 600)).toEqual([]);
  });
});

describe("unknown keys", () => {
  it("quotes an unknown key of megabytes in part, and names at most ten keys", () => {
    const huge = "k".repeat(1_000_000);
    expect(
      problemsAfter((d) => {
        person(d)[huge] = 1;
      }),
    ).toEqual([`data/persons.ts: ${SZABO}: Unrecognized key: "${"k".repeat(77)}..."`]);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    expect(
      problemsAfter((d) => {
        for (const key of keys) person(d)[key] = 1;
      }),
    ).toEqual([
      `data/persons.ts: ${SZABO}: Unrecognized keys: ${keys
        .slice(0, 10)
        .map((k) => `"${k}"`)
        .join(", ")} and 2 more`,
    ]);
  });
});

it("names the file of a JSON dataset", () => {
  // problemsAfter rewrites the JSON path's file names to compare them: this holds them as written
  const dir = exportToTmp();
  dirs.push(dir);
  editJson(dir, "persons", (items) => {
    items[0].name.text = "x".repeat(MAX_TEXT_LENGTH + 1);
  });
  expect(problemsOf(() => loadJsonGraph(dir))).toEqual([
    `${join(dir, "persons.json")}: ${SZABO}.name.text: is 100,001 characters long: longer than the 100,000 a text may be`,
  ]);
});
