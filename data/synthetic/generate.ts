/**
 * A synthetic dataset of the project's model, valid by construction (the loader's validator
 * checks it), with a realistic shape: states with heads of state, cities, offices with renamings
 * decided by events, several locations and dimensions; posts with a skewed number of tenures
 * (a few offices have many heads); persons with the document's own misspellings as aliases;
 * events with 2-5 participants, some acting in the capacity of a tenure; priorities; partial
 * dates of every EDTF form the model allows (year, month, day, intervals with open or unknown
 * ends), each with its wording; and a verbatim quote of a source for every fact, which for a
 * link names both its ends (the validator's rule, see src/graph/mentions.ts).
 *
 * Entities come in blocks of about 2,000, each block with its own source text (one sentence per
 * entity, which holds every phrase the entity's quotes and wordings cite); states, heads of
 * state and the dimensions live in a "world" source. The same N and seed give the same files.
 * `npm run gen` writes one (./datasets.ts, which also keeps them for tests and benchmarks).
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { type CollectionName, collectionNames } from "../../src/graph/model.js";

export interface GenerateOptions {
  entities: number;
  seed: number;
  out: string;
  format: "json" | "ndjson";
}

/** A small, fast, seedable PRNG (mulberry32). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const SYLLABLES = [
  "ka",
  "ra",
  "zan",
  "bek",
  "tor",
  "mi",
  "la",
  "nur",
  "sul",
  "tan",
  "da",
  "ri",
  "vo",
  "gen",
  "sha",
  "lo",
  "mar",
  "ek",
  "in",
  "ol",
  "bar",
  "sen",
  "ta",
  "ko",
  "ve",
  "lin",
  "as",
  "ur",
  "del",
  "pa",
];
const FIRST = [
  "Anna",
  "Boris",
  "Clara",
  "Daniyar",
  "Elena",
  "Farid",
  "Galina",
  "Hans",
  "Irina",
  "Janos",
  "Karl",
  "Lena",
  "Marat",
  "Nadia",
  "Olaf",
  "Pavel",
  "Rosa",
  "Serik",
  "Tomas",
  "Ulla",
  "Viktor",
  "Zarina",
  "Aigul",
  "Bakhyt",
  "Dana",
  "Erlan",
  "Gulnara",
  "Kairat",
  "Madina",
  "Nurlan",
];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DIMENSIONS = [
  ["politico-military", "Politico-military dimension"],
  ["economic-environmental", "Economic and environmental dimension"],
  ["human", "Human dimension"],
] as const;
const OFFICE_KINDS = [
  "FIELD_OPERATION",
  "INSTITUTION",
  "SECRETARIAT",
  "DECISION_MAKING_BODY",
  "PERMANENT_MISSION",
] as const;
const EVENT_KINDS = ["MEETING", "SUMMIT", "APPOINTMENT", "COMPLETION", "OPENING"] as const;
const TOPICS = [
  "border security",
  "water management",
  "media freedom",
  "anti-corruption",
  "energy security",
  "election observation",
  "tolerance",
  "migration",
  "cyber security",
  "green economy",
];

function word(rng: Rng, syllables: number): string {
  let w = "";
  for (let i = 0; i < syllables; i++) w += rng.pick(SYLLABLES);
  return w[0]!.toUpperCase() + w.slice(1);
}
const pad = (n: number) => String(n).padStart(2, "0");
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

interface DateChoice {
  edtf: string;
  wording: string;
  /** The year the period starts (or the year of a point), for ordering. */
  year: number;
}

/** A partial date of one of the forms the model allows, with the words a source would use. */
function partialDate(rng: Rng, from = 1992, to = 2015): DateChoice {
  const year = from + rng.int(to - from + 1);
  const month = 1 + rng.int(12);
  const day = 1 + rng.int(DAYS[month - 1]!);
  const end = Math.min(2016, year + 1 + rng.int(6));
  const endMonth = 1 + rng.int(12);
  const r = rng.next();
  if (r < 0.15) return { edtf: `${year}`, wording: `in ${year}`, year };
  if (r < 0.3)
    return { edtf: `${year}-${pad(month)}`, wording: `in ${MONTHS[month - 1]} ${year}`, year };
  if (r < 0.45)
    return {
      edtf: `${year}-${pad(month)}-${pad(day)}`,
      wording: `on ${MONTHS[month - 1]} ${day}, ${year}`,
      year,
    };
  if (r < 0.7)
    return {
      edtf: `${year}-${pad(month)}/${end}-${pad(endMonth)}`,
      wording: `from ${MONTHS[month - 1]} ${year} to ${MONTHS[endMonth - 1]} ${end}`,
      year,
    };
  if (r < 0.85)
    return {
      edtf: `${year}-${pad(month)}-${pad(day)}/..`,
      wording: `Since ${MONTHS[month - 1]} ${day}, ${year}`,
      year,
    };
  if (r < 0.93)
    return { edtf: `${year}-${pad(month)}/`, wording: `from ${MONTHS[month - 1]} ${year}`, year };
  return {
    edtf: `/${end}-${pad(endMonth)}`,
    wording: `until ${MONTHS[endMonth - 1]} ${end}`,
    year: end,
  };
}

/** Writes each collection as it is generated, so that a million entities never sit in memory as JSON. */
class Writer {
  private readonly fds = new Map<CollectionName, number>();
  private readonly buffers = new Map<CollectionName, string[]>();
  private readonly counts = new Map<CollectionName, number>();
  constructor(
    dir: string,
    private readonly format: "json" | "ndjson",
  ) {
    for (const c of collectionNames) {
      const fd = openSync(join(dir, `${c}.${format}`), "w");
      this.fds.set(c, fd);
      this.buffers.set(c, []);
      this.counts.set(c, 0);
      if (format === "json") writeSync(fd, "[\n");
    }
  }
  add(collection: CollectionName, entity: object): void {
    const line = JSON.stringify(entity);
    const n = this.counts.get(collection)!;
    const buffer = this.buffers.get(collection)!;
    buffer.push(
      this.format === "json" && n > 0
        ? `,\n${line}`
        : this.format === "ndjson"
          ? `${line}\n`
          : line,
    );
    this.counts.set(collection, n + 1);
    if (buffer.length >= 2000) this.flush(collection);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  count(collection: CollectionName): number {
    return this.counts.get(collection)!;
  }
  private flush(collection: CollectionName): void {
    const buffer = this.buffers.get(collection)!;
    if (buffer.length > 0) writeSync(this.fds.get(collection)!, buffer.join(""));
    buffer.length = 0;
  }
  close(): void {
    for (const c of collectionNames) {
      this.flush(c);
      if (this.format === "json") writeSync(this.fds.get(c)!, "\n]\n");
      closeSync(this.fds.get(c)!);
    }
  }
}

const BLOCK = 2000;

export function generate(options: GenerateOptions): {
  entities: number;
  counts: Record<string, number>;
} {
  const rng = prng(options.seed);
  const out = resolve(options.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const writer = new Writer(out, options.format);
  const sources: object[] = [];
  const quote = (source: string) => (text: string) => ({ source, quote: text });

  /** A source text: sentences appended as entities are made. */
  const texts = new Map<string, string[]>();
  const startSource = (slug: string, title: string) => {
    const id = `source/${slug}`;
    texts.set(id, [`${title}.\n`]);
    sources.push({
      id,
      name: { text: title, provenance: [{ editorial: "generated dataset" }] },
      provenance: [{ editorial: "generated dataset" }],
      file: `${slug}.txt`,
      created: { edtf: "2016", provenance: [{ editorial: "generated dataset" }] },
      updated: { edtf: "2016-03-18", provenance: [{ editorial: "generated dataset" }] },
    });
    return id;
  };
  const say = (source: string, sentence: string) => texts.get(source)!.push(`${sentence}\n`);

  // ---------------------------------------------------------------- the world: dimensions, states, heads of state
  const world = startSource("world", "The participating States of a synthetic OSCE");
  const q0 = quote(world);
  for (const [slug, name] of DIMENSIONS) {
    say(world, `The ${name} is one of three.`);
    writer.add("dimensions", {
      id: `dimension/${slug}`,
      name: { text: name, provenance: [q0(name)] },
      provenance: [q0(`The ${name} is one of three`)],
    });
  }
  const stateCount = Math.max(3, Math.round(options.entities / 200));
  const states: { id: string; name: string }[] = [];
  for (let i = 0; i < stateCount; i++) {
    const name = `${word(rng, 2)}ia ${i}`;
    const id = `state/s-${i}`;
    const full = `Republic of ${name}`;
    const president = `President of ${name}`;
    say(world, `The ${full} is a participating State; the ${president} heads it.`);
    writer.add("states", {
      id,
      name: { text: name, provenance: [q0(full)] },
      aliases: [{ text: full, kind: "FULL_NAME", provenance: [q0(full)] }],
      provenance: [q0(`The ${full} is a participating State`)],
    });
    writer.add("posts", {
      id: `post/head-of-state-${i}`,
      kind: "HEAD_OF_STATE",
      name: { text: president, provenance: [q0(president)] },
      state: { ref: id, provenance: [q0(`the ${president} heads it`)] },
      provenance: [q0(president)],
    });
    states.push({ id, name });
  }
  const fixed = writer.total + 1; // + the world source

  // ---------------------------------------------------------------- blocks
  const remaining = Math.max(0, options.entities - fixed);
  const blocks = Math.max(1, Math.ceil(remaining / BLOCK));
  for (let b = 0; b < blocks; b++) {
    const size = Math.max(20, Math.min(BLOCK, remaining - b * BLOCK) - 1); // - 1: the block's source
    const src = startSource(`block-${b}`, `Synthetic report ${b}`);
    const q = quote(src);
    const state = () => rng.pick(states);

    const placeCount = Math.max(1, Math.round(size * 0.02));
    const officeCount = Math.max(1, Math.round(size * 0.025));
    const tenureCount = Math.round(size * 0.3);
    const priorityCount = Math.round(size * 0.02);
    let eventBudget = Math.round(size * 0.2);
    const personCount = Math.max(
      1,
      size - placeCount - officeCount * 3 - tenureCount - priorityCount - eventBudget,
    );

    const places: { id: string; name: string }[] = [];
    for (let i = 0; i < placeCount; i++) {
      const s = state();
      const name = `${word(rng, 2)} ${b}-${i}`;
      const id = `place/c-${b}-${i}`;
      const phrase = `${name} is a city of ${s.name}`;
      say(src, `${phrase}.`);
      writer.add("places", {
        id,
        kind: "CITY",
        name: { text: name, provenance: [q(name)] },
        state: { ref: s.id, provenance: [q(phrase)] },
        provenance: [q(phrase)],
      });
      places.push({ id, name });
    }

    // offices, their renaming decisions (events) and their posts
    const posts: { id: string; name: string; office: string }[] = [];
    const offices: { id: string; abbreviation: string }[] = [];
    for (let i = 0; i < officeCount; i++) {
      const id = `office/o-${b}-${i}`;
      const place = rng.pick(places);
      const s = state();
      const names = Array.from(
        { length: 1 + rng.int(3) },
        (_, k) => `OSCE ${["Centre", "Office", "Programme Office"][k]} in ${place.name}`,
      );
      const abbreviation = `O${b}X${i}`;
      const opened = 1992 + rng.int(10);
      let sentence = `The ${names[0]} (${abbreviation}) opened in ${opened} in ${place.name}, hosted by ${s.name}`;
      const nameHistory: object[] = [];
      let since = `${opened}`;
      for (let k = 0; k < names.length; k++) {
        const last = k === names.length - 1;
        const changeYear = opened + 3 * (k + 1) + rng.int(3);
        const changeDay = `${changeYear}-${pad(1 + rng.int(12))}-${pad(1 + rng.int(28))}`;
        const edtf = last ? `${since}/..` : `${since}/${changeDay}`;
        const entry: Record<string, unknown> = {
          text: names[k],
          when: { edtf, provenance: [q(`The ${names[0]} (${abbreviation}) opened in ${opened}`)] },
          provenance: [q(names[k]!)],
        };
        if (k > 0) {
          const decision = `event/rename-${b}-${i}-${k}`;
          const phrase = `renamed into the ${names[k]}`;
          sentence += `, ${phrase}`;
          entry.decidedBy = decision;
          entry.change = { kind: "RENAMING", provenance: [q(phrase)] };
          const [y, m, d] = since.split("-").map(Number) as [number, number, number];
          const wording = `${MONTHS[m - 1]} ${d}, ${y}`;
          say(src, `On ${wording} the Permanent Council decided the ${phrase}.`);
          writer.add("events", {
            id: decision,
            kind: "DECISION",
            // a name of our own for the decision, as the built-in data's are: the source words it
            // "decided the ...", so the name is editorial (the quote rule for names)
            name: {
              text: `Decision on the ${names[k]}`,
              provenance: [
                q(`the Permanent Council decided the ${phrase}`),
                { editorial: "A name for the decision; the source's own words are quoted." },
              ],
            },
            when: {
              edtf: since,
              wording,
              provenance: [q(`On ${wording} the Permanent Council decided`)],
            },
            participants: [
              {
                ref: id,
                role: "SUBJECT",
                provenance: [q(`On ${wording} the Permanent Council decided the ${phrase}`)],
              },
            ],
            provenance: [q(`the Permanent Council decided the ${phrase}`)],
          });
          eventBudget--;
        }
        nameHistory.push(entry);
        since = changeDay;
      }
      const dims = [...new Set([rng.pick(DIMENSIONS), rng.pick(DIMENSIONS)])];
      say(src, `${sentence}.`);
      for (const [, dimensionName] of dims)
        say(src, `The ${abbreviation} works in the ${dimensionName}.`);
      const opening = `The ${names[0]} (${abbreviation}) opened in ${opened} in ${place.name}`;
      writer.add("offices", {
        id,
        kind: rng.pick(OFFICE_KINDS),
        name: { text: names[names.length - 1], provenance: [q(names[names.length - 1]!)] },
        abbreviation: { text: abbreviation, provenance: [q(`(${abbreviation})`)] },
        nameHistory,
        locations: [
          {
            place: place.id,
            when: { edtf: `${opened}/..`, provenance: [q(`opened in ${opened} in ${place.name}`)] },
            provenance: [q(opening)],
          },
        ],
        state: {
          ref: s.id,
          provenance: [
            q(`(${abbreviation}) opened in ${opened} in ${place.name}, hosted by ${s.name}`),
          ],
        },
        dimensions: dims.map(([d, dimensionName]) => ({
          ref: `dimension/${d}`,
          provenance: [q(`The ${abbreviation} works in the ${dimensionName}`)],
        })),
        provenance: [q(`The ${names[0]} (${abbreviation}) opened in ${opened}`)],
      });
      offices.push({ id, abbreviation });
      const current = names[names.length - 1]!;
      for (const [kind, title] of [
        ["HEAD_OF_OFFICE", "Head"],
        ["SPECIAL_REPRESENTATIVE", "Special Representative"],
      ] as const) {
        const post = `post/${kind === "HEAD_OF_OFFICE" ? "head" : "rep"}-${b}-${i}`;
        const name = `${title} of the ${current}`;
        say(src, `The ${name} is a post of the office.`);
        writer.add("posts", {
          id: post,
          kind,
          name: { text: name, provenance: [q(name)] },
          office: { ref: id, provenance: [q(`The ${name} is a post of the office`)] },
          provenance: [q(name)],
        });
        posts.push({ id: post, name, office: id });
      }
    }

    // persons, some known by the document's misspelling
    const persons: { id: string; name: string; tenures: string[] }[] = [];
    for (let i = 0; i < personCount; i++) {
      const id = `person/p-${b}-${i}`;
      const name = `${rng.pick(FIRST)} ${word(rng, 2 + rng.int(2))}`;
      const s = state();
      const title = rng.chance(0.3) ? "Ambassador" : undefined;
      const misspelled = rng.chance(0.3)
        ? `${name.slice(0, -1)}${name.slice(-1) === "a" ? "o" : "a"}`
        : undefined;
      const written = misspelled ?? name;
      const phrase = `${title ? `${title} ` : ""}${written} (${i}) of ${s.name}`;
      say(src, `${phrase} took part.`);
      writer.add("persons", {
        id,
        name: {
          text: name,
          provenance: misspelled ? [{ editorial: "the usual spelling" }] : [q(written)],
        },
        ...(misspelled
          ? {
              aliases: [
                { text: misspelled, kind: "DOCUMENT_SPELLING", provenance: [q(misspelled)] },
              ],
            }
          : {}),
        ...(title ? { title: { text: title, provenance: [q(`${title} ${written}`)] } } : {}),
        nationality: { ref: s.id, provenance: [q(phrase)] },
        provenance: [q(phrase)],
      });
      persons.push({ id, name: written, tenures: [] });
    }

    // tenures: a skewed share per post (a few posts have many holders)
    for (let i = 0; i < tenureCount; i++) {
      const post = posts[Math.floor(posts.length * rng.next() ** 3)]!;
      const holder = rng.pick(persons);
      const when = partialDate(rng);
      const id = `tenure/t-${b}-${i}`;
      const phrase = `${holder.name} held the post of ${post.name}`;
      say(src, `${phrase} ${when.wording}.`);
      writer.add("tenures", {
        id,
        post: post.id,
        holder: holder.id,
        timing: rng.chance(0.9) ? "PERIOD" : "POINT_IN_TIME",
        when: {
          edtf: when.edtf,
          wording: when.wording,
          provenance: [q(`${phrase} ${when.wording}`)],
        },
        provenance: [q(phrase)],
      });
      holder.tenures.push(id);
    }

    // events with participants, some acting in the capacity of a tenure
    for (let i = 0; i < eventBudget; i++) {
      const id = `event/e-${b}-${i}`;
      const kind = rng.pick(EVENT_KINDS);
      const place = rng.pick(places);
      const when = partialDate(rng, 1995, 2015);
      const topic = rng.pick(TOPICS);
      const name = `${kind[0]}${kind.slice(1).toLowerCase()} on ${topic} ${b}-${i}`;
      const participants: object[] = [];
      const office = rng.pick(offices);
      const convened = `The ${name}, convened by the ${office.abbreviation}`;
      participants.push({
        ref: office.id,
        role: kind === "OPENING" ? "SUBJECT" : "CONVENING_BODY",
        provenance: [q(convened)],
      });
      const s = state();
      // each participant's quote runs from the event's date wording (which names the event) to its name
      let sentence = `${when.wording} with ${s.name}`;
      participants.push({ ref: s.id, role: "DECIDING_BODY", provenance: [q(sentence)] });
      const chosen = new Set<string>();
      for (let k = rng.int(4); k > 0; k--) {
        const person = rng.pick(persons);
        if (chosen.has(person.id)) continue;
        chosen.add(person.id);
        sentence += `, chaired by ${person.name}`;
        const capacity =
          person.tenures.length > 0 && rng.chance(0.5) ? rng.pick(person.tenures) : undefined;
        participants.push({
          ref: person.id,
          role: "CHAIR",
          ...(capacity ? { capacity } : {}),
          provenance: [q(sentence)],
        });
      }
      say(src, `${convened}, took place in ${place.name} ${sentence}.`);
      writer.add("events", {
        id,
        kind,
        name: { text: name, provenance: [q(name)] },
        when: {
          edtf: when.edtf,
          wording: when.wording,
          provenance: [q(`took place in ${place.name} ${when.wording}`)],
        },
        place: { ref: place.id, provenance: [q(`took place in ${place.name} ${when.wording}`)] },
        participants,
        provenance: [q(convened)],
      });
    }

    for (let i = 0; i < priorityCount; i++) {
      const s = state();
      const [dimension, dimensionName] = rng.pick(DIMENSIONS);
      const text = `${s.name} pursues ${rng.pick(TOPICS)} (${b}-${i})`;
      say(src, `${text} in the ${dimensionName}.`);
      writer.add("priorities", {
        id: `priority/r-${b}-${i}`,
        name: { text, provenance: [q(text)] },
        state: { ref: s.id, provenance: [q(text)] },
        dimension: {
          ref: `dimension/${dimension}`,
          provenance: [q(`${text} in the ${dimensionName}`)],
        },
        provenance: [q(text)],
      });
    }
  }

  for (const source of sources) writer.add("sources", source);
  writer.close();
  for (const [id, sentences] of texts) {
    const fd = openSync(join(out, `${id.slice("source/".length)}.txt`), "w");
    writeSync(fd, sentences.join(""));
    closeSync(fd);
  }
  const counts = Object.fromEntries(collectionNames.map((c) => [c, writer.count(c)]));
  return { entities: writer.total, counts };
}
