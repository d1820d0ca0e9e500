import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { exportBuiltInDataset } from "../../data/export-json.js";
import { builtInDatasetDir } from "../../data/index.js";
import { loadBuiltInGraph, loadGraph } from "../../data/load.js";
import type { KnowledgeGraph } from "../../src/graph/graph.js";
import { loadJsonGraph } from "../../src/graph/load.js";
import { collectionNames } from "../../src/graph/model.js";
import { formatProblem } from "../../src/graph/validate.js";
import {
  datasetErrorOf,
  editJson,
  exportToTmp,
  makeTmpDir,
  removeDir,
  SOURCE_ID,
  SOURCE_TEXT_FILE,
} from "../fixtures/datasets.js";

const KNOWN_FILES = collectionNames.map((c) => `${c}.json`).join(", ");

const dirs: string[] = [];
/** A temporary directory removed after the test. */
function tmp(): string {
  const dir = makeTmpDir();
  dirs.push(dir);
  return dir;
}
/** The built-in dataset exported to a temporary directory removed after the test. */
function exported(): string {
  const dir = exportToTmp();
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) removeDir(dir);
});

let builtIn: KnowledgeGraph;
beforeAll(async () => {
  builtIn = await loadBuiltInGraph();
});

describe("exportBuiltInDataset", () => {
  it("writes one JSON file per collection plus the source text", () => {
    const dir = exported();
    expect(readdirSync(dir).sort()).toEqual(
      [...collectionNames.map((c) => `${c}.json`), SOURCE_TEXT_FILE].sort(),
    );
    expect(readFileSync(path.join(dir, SOURCE_TEXT_FILE), "utf8")).toBe(
      readFileSync(path.join(builtInDatasetDir, SOURCE_TEXT_FILE), "utf8"),
    );
    const persons = JSON.parse(readFileSync(path.join(dir, "persons.json"), "utf8")) as {
      id: string;
    }[];
    expect(persons.map((p) => p.id)).toEqual([
      "person/gyorgy-szabo",
      "person/madina-jarbussynova",
      "person/nursultan-nazarbayev",
    ]);
  });

  it("creates the target directory, including missing parents", () => {
    const dir = path.join(tmp(), "a", "b");
    exportBuiltInDataset(dir);
    expect(existsSync(path.join(dir, "sources.json"))).toBe(true);
  });
});

describe("loadJsonGraph of the exported built-in dataset", () => {
  it("gives a graph equal in content to the built-in graph", () => {
    const graph = loadJsonGraph(exported());
    expect(graph.keys).toEqual(builtIn.keys);
    expect(graph.dataset).toEqual(builtIn.dataset);
    expect([...graph.texts]).toEqual([...builtIn.texts]);
    expect(graph.horizon).toBe(builtIn.horizon);
  });

  it("gives every entity deeply equal to its built-in counterpart", () => {
    const graph = loadJsonGraph(exported());
    const ids = Object.values(builtIn.keys).flat();
    expect(ids.length).toBeGreaterThan(50);
    for (const id of ids) expect(graph.entity(id), id).toEqual(builtIn.entity(id));
    expect(graph.get("person", "person/gyorgy-szabo")).toEqual(
      builtIn.get("person", "person/gyorgy-szabo"),
    );
    expect(
      graph.get("office", "office/osce-field-office-kazakhstan")?.nameHistory.map((n) => n.text),
    ).toEqual([
      "OSCE Centre in Almaty",
      "OSCE Centre in Astana",
      "OSCE Programme Office in Astana",
    ]);
    expect(graph.get("event", "event/2010-12-astana-osce-summit")).toEqual(
      builtIn.get("event", "event/2010-12-astana-osce-summit"),
    );
    expect(graph.get("tenure", "tenure/kazakhstan-osce-troika")?.when.edtf).toBe("/2011-12");
  });

  it("accepts a relative directory", () => {
    const rel = path.relative(process.cwd(), exported());
    expect(loadJsonGraph(rel).keys).toEqual(builtIn.keys);
  });

  it("is what loadGraph gives for a directory, and the built-in graph without one", async () => {
    const dir = exported();
    expect((await loadGraph(dir)).keys).toEqual(builtIn.keys);
    expect((await loadGraph()).dataset).toEqual(builtIn.dataset);
  });

  it("treats a missing collection file other than sources.json as an empty collection", () => {
    const dir = exported();
    rmSync(path.join(dir, "priorities.json"));
    // an event whose subject is a priority (the State programme "Path to Europe") would point at nothing
    const eventsFile = path.join(dir, "events.json");
    const events = JSON.parse(readFileSync(eventsFile, "utf8")) as {
      participants?: { ref: string }[];
    }[];
    for (const event of events)
      event.participants = event.participants?.filter((p) => !p.ref.startsWith("priority/"));
    writeFileSync(eventsFile, JSON.stringify(events));
    const graph = loadJsonGraph(dir);
    expect(graph.keys.priority).toEqual([]);
    expect(graph.keys.state).toEqual(builtIn.keys.state);
  });
});

describe("loadJsonGraph reports a broken JSON dataset", () => {
  it("refuses a directory that does not exist", () => {
    const dir = path.join(tmp(), "missing");
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems).toEqual([
      { file: dir, message: "the dataset directory does not exist or is not a directory" },
    ]);
    expect(error.message).toBe(
      `The dataset is invalid (1 problem):\n  - ${dir}: the dataset directory does not exist or is not a directory`,
    );
  });

  it("refuses a path that is a file, not a directory", () => {
    const file = path.join(exported(), "sources.json");
    expect(datasetErrorOf(() => loadJsonGraph(file)).problems).toEqual([
      { file, message: "the dataset directory does not exist or is not a directory" },
    ]);
  });

  it("reports a file with invalid JSON with its path and the parser's reason", () => {
    const dir = exported();
    const file = path.join(dir, "persons.json");
    writeFileSync(file, "[{ not json");
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.file).toBe(file);
    expect(error.problems[0]!.entity).toBeUndefined();
    expect(error.problems[0]!.message).toMatch(/^not valid JSON: /);
    expect(error.message).toContain(`  - ${file}: not valid JSON: `);
  });

  it("reports an unknown collection file name, listing the expected ones", () => {
    const dir = exported();
    writeFileSync(path.join(dir, "person.json"), "[]");
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems).toEqual([
      {
        file: path.join(dir, "person.json"),
        message: `unknown collection file (expected one of ${KNOWN_FILES})`,
      },
    ]);
  });

  it("passes over an editor's files beside the collections: an emacs lock, a vim swap file, a backup", () => {
    // (review 16b: an emacs lock, `.#persons.json`, a dangling link there while a buffer is
    // modified, was refused as an unknown collection file, which the watcher never sees go)
    const dir = exported();
    symlinkSync("root@host.1234:1733400000", path.join(dir, ".#persons.json"));
    writeFileSync(path.join(dir, ".persons.json.swp"), "swap");
    writeFileSync(path.join(dir, "persons.json.bak"), "[]");
    expect(loadJsonGraph(dir).keys).toEqual(builtIn.keys);
    // and a file named as no collection still is refused
    writeFileSync(path.join(dir, "#persons.json"), "[]");
    expect(datasetErrorOf(() => loadJsonGraph(dir)).problems).toHaveLength(1);
  });

  it("ignores files that are not JSON, such as the source text", () => {
    const dir = exported();
    writeFileSync(path.join(dir, "README.md"), "# my dataset\n");
    expect(loadJsonGraph(dir).keys).toEqual(builtIn.keys);
  });

  it("requires sources.json", () => {
    const dir = exported();
    rmSync(path.join(dir, "sources.json"));
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems).toEqual([
      {
        file: path.join(dir, "sources.json"),
        message: "missing: a dataset needs sources.json naming its source texts",
      },
    ]);
  });

  it("reports all file-level problems together: unknown file, invalid JSON and missing sources.json", () => {
    const dir = tmp();
    writeFileSync(path.join(dir, "people.json"), "[]");
    writeFileSync(path.join(dir, "states.json"), "");
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems.map((p) => [p.file, p.message.split(":")[0]])).toEqual([
      [path.join(dir, "people.json"), `unknown collection file (expected one of ${KNOWN_FILES})`],
      [path.join(dir, "states.json"), "not valid JSON"],
      [path.join(dir, "sources.json"), "missing"],
    ]);
  });

  it("refuses a source file outside the dataset directory as unreadable", () => {
    const dir = exported();
    editJson(dir, "sources", (sources) => {
      sources[0].file = "../../etc/passwd";
    });
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems[0]).toEqual({
      file: path.join(dir, "sources.json"),
      entity: SOURCE_ID,
      path: "file",
      message:
        'cannot read the source text "../../etc/passwd": it is outside the dataset directory: a source text must be inside it',
    });
  });

  it("refuses an absolute source path outside the dataset directory", () => {
    const dir = exported();
    editJson(dir, "sources", (sources) => {
      sources[0].file = path.join(builtInDatasetDir, SOURCE_TEXT_FILE);
    });
    expect(datasetErrorOf(() => loadJsonGraph(dir)).problems[0]).toEqual({
      file: path.join(dir, "sources.json"),
      entity: SOURCE_ID,
      path: "file",
      message: `cannot read the source text "${path.join(builtInDatasetDir, SOURCE_TEXT_FILE)}": it is outside the dataset directory: a source text must be inside it`,
    });
  });

  it("reads a source text from a subdirectory of the dataset", () => {
    const dir = exported();
    mkdirSync(path.join(dir, "texts"));
    writeFileSync(
      path.join(dir, "texts", "doc.txt"),
      readFileSync(path.join(dir, SOURCE_TEXT_FILE)),
    );
    rmSync(path.join(dir, SOURCE_TEXT_FILE));
    editJson(dir, "sources", (sources) => {
      sources[0].file = "texts/doc.txt";
    });
    expect(loadJsonGraph(dir).texts.get(SOURCE_ID)).toBe(builtIn.texts.get(SOURCE_ID));
  });

  it("reports a problem inside a JSON file with that file's absolute path and the entity id", () => {
    const dir = exported();
    editJson(dir, "persons", (persons) => {
      persons[0].nationality.ref = "state/hungaryy";
    });
    const rel = path.relative(process.cwd(), dir);
    expect(path.isAbsolute(rel)).toBe(false);
    const error = datasetErrorOf(() => loadJsonGraph(rel));
    const problem = {
      file: path.join(dir, "persons.json"),
      entity: "person/gyorgy-szabo",
      path: "nationality.ref",
      message: 'unknown state "state/hungaryy" (did you mean state/hungary?)',
    };
    expect(error.problems).toEqual([problem]);
    expect(path.isAbsolute(error.problems[0]!.file)).toBe(true);
    expect(error.message).toBe(
      `The dataset is invalid (1 problem):\n  - ${formatProblem(problem)}`,
    );
    expect(error.message).toContain(
      `${path.join(dir, "persons.json")}: person/gyorgy-szabo.nationality.ref: unknown state`,
    );
  });

  it("reports problems in several JSON files at once, each under its own file", () => {
    const dir = exported();
    editJson(dir, "events", (events) => {
      events[0].when.edtf = "1992-00";
    });
    editJson(dir, "states", (states) => {
      states[1].flag = "🇭🇺";
    });
    const error = datasetErrorOf(() => loadJsonGraph(dir));
    expect(error.problems).toEqual([
      {
        file: path.join(dir, "states.json"),
        entity: "state/hungary",
        path: "",
        message: 'Unrecognized key: "flag"',
      },
      {
        file: path.join(dir, "events.json"),
        entity: "event/1992-kazakhstan-joins-the-osce",
        path: "when.edtf",
        message: '"1992-00" is not a valid EDTF date: month 00 is not between 01 and 12',
      },
    ]);
  });

  it("refuses a date of a year before 0000 in a data file, saying so and naming the file, the entity and the year", () => {
    const dir = exported();
    editJson(dir, "events", (events) => {
      events[0].when.edtf = "-0001/1992";
    });
    expect(datasetErrorOf(() => loadJsonGraph(dir)).problems).toEqual([
      {
        file: path.join(dir, "events.json"),
        entity: "event/1992-kazakhstan-joins-the-osce",
        path: "when.edtf",
        message:
          '"-0001/1992" is not a valid EDTF date: start "-0001": year -0001 is before 0000 (1 BCE): years before 0000 are not supported',
      },
    ]);
  });

  it("refuses a string with half a character in it (a lone surrogate written as a \\u escape), and accepts a whole one", () => {
    const dir = exported();
    const note = "an editorial note long enough to be abbreviated ".repeat(2);
    editJson(dir, "persons", (persons) => {
      persons[0].name.text = "György Szabó \ud83d";
      persons[0].aliases[1].text = "\ude00 Gyorgy Szabo";
      persons[0].aliases[1].provenance[0].editorial = `${note}\ud800`;
    });
    // the file holds JSON's escapes, as any JSON writer writes a lone surrogate
    expect(readFileSync(path.join(dir, "persons.json"), "utf8")).toContain(
      '"György Szabó \\ud83d"',
    );
    const file = path.join(dir, "persons.json");
    const entity = "person/gyorgy-szabo";
    const advice = "(half of a character cut in two): write the whole character, or remove it";
    expect(datasetErrorOf(() => loadJsonGraph(dir)).problems).toEqual([
      {
        file,
        entity,
        path: "name.text",
        message: `"György Szabó \\ud83d" is not well-formed Unicode: a lone surrogate U+D83D at position 13 ${advice}`,
      },
      {
        file,
        entity,
        path: "aliases[1].text",
        message: `"\\ude00 Gyorgy Szabo" is not well-formed Unicode: a lone surrogate U+DE00 at position 0 ${advice}`,
      },
      {
        file,
        entity,
        path: "aliases[1].provenance[0].editorial",
        message: `"${note.slice(0, 77)}..." is not well-formed Unicode: a lone surrogate U+D800 at position ${note.length} ${advice}`,
      },
    ]);

    // the same character whole (a surrogate pair) is text like any other
    editJson(dir, "persons", (persons) => {
      persons[0].name.text = "György Szabó \ud83d\ude00";
      persons[0].aliases[1].text = "Gyorgy Szabo";
      persons[0].aliases[1].provenance[0].editorial = "The usual spelling without diacritics.";
    });
    expect(loadJsonGraph(dir).get("person", "person/gyorgy-szabo")?.name.text).toBe(
      "György Szabó 😀",
    );
  });

  it("reports a JSON file that holds an object instead of an array", () => {
    const dir = exported();
    writeFileSync(path.join(dir, "priorities.json"), "{}");
    expect(datasetErrorOf(() => loadJsonGraph(dir)).problems).toEqual([
      {
        file: path.join(dir, "priorities.json"),
        message: "expected an array of priorities, got object",
      },
    ]);
  });
});

describe("source files reached through links", () => {
  it("refuses a source file that is a symbolic link to a file outside the dataset directory", async () => {
    const { symlinkSync, rmSync, writeFileSync: write } = await import("node:fs");
    const { join: joinPath } = await import("node:path");
    const { exportToTmp, makeTmpDir, removeDir } = await import("../fixtures/datasets.js");
    const { loadJsonGraph } = await import("../../src/graph/load.js");
    const dir = exportToTmp();
    const outside = makeTmpDir();
    try {
      const target = joinPath(outside, "secret.txt");
      write(target, "not part of the dataset");
      rmSync(joinPath(dir, "kazakhstan-osce-cooperation.txt"));
      symlinkSync(target, joinPath(dir, "kazakhstan-osce-cooperation.txt"));
      // a link leading out of the dataset says where it leads (red team 50, F5)
      expect(() => loadJsonGraph(dir)).toThrow(
        `cannot read the source text "kazakhstan-osce-cooperation.txt": it is a link to ${realpathSync(target)}, outside the dataset directory: a source text must be inside it`,
      );
      // a link to nothing, and no file at all, are told apart
      rmSync(joinPath(dir, "kazakhstan-osce-cooperation.txt"));
      symlinkSync(joinPath(outside, "gone.txt"), joinPath(dir, "kazakhstan-osce-cooperation.txt"));
      expect(() => loadJsonGraph(dir)).toThrow(
        `cannot read the source text "kazakhstan-osce-cooperation.txt": it is a link to ${joinPath(outside, "gone.txt")}, which does not exist`,
      );
      rmSync(joinPath(dir, "kazakhstan-osce-cooperation.txt"));
      expect(() => loadJsonGraph(dir)).toThrow(
        'cannot read the source text "kazakhstan-osce-cooperation.txt": no such file in the dataset directory',
      );
    } finally {
      removeDir(dir);
      removeDir(outside);
    }
  });
});

describe("the loaded graph", () => {
  it("is immutable: writing to an entity fails instead of changing what every request sees", async () => {
    const { loadBuiltInGraph } = await import("../../data/load.js");
    const graph = await loadBuiltInGraph();
    const person = graph.get("person", "person/gyorgy-szabo")!;
    expect(() => {
      (person.name as { text: string }).text = "someone else";
    }).toThrow(TypeError);
    expect(() => {
      (graph.dataset.persons as unknown[]).push({});
    }).toThrow(TypeError);
    expect(graph.get("person", "person/gyorgy-szabo")!.name.text).toBe("György Szabó");
  });
});
