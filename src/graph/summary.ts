/**
 * A one-line summary and a date for an entity found by search, so that a list of hits reads
 * without a query per hit: "Informal OSCE Ministerial Council in Almaty" is told apart from the
 * Ministerial Council itself by "Meeting, July 16-17, 2010, in Almaty" and its date.
 */

import { boundedDistance } from "./distance.js";
import type { KnowledgeGraph } from "./graph.js";
import type {
  Dated,
  Entity,
  EntityKind,
  Event,
  Office,
  OfficeName,
  Person,
  Place,
  Post,
  Priority,
  State,
} from "./model.js";
import { kindOf } from "./model.js";

/** Summaries longer than this are cut at a word, with an ellipsis: they are one line of a list. */
export const MAX_SUMMARY_LENGTH = 160;

const words = (value: string) => value.toLowerCase().replaceAll("_", " ");
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * When a programme ran, in the document's words for its date where it has them: ", until
 * December 2011" for a period whose start is not given (Path to Europe: "/2011-12"), ", from ..."
 * for one still running, else the words alone; nothing for an undated one.
 */
function programmeTime(graph: KnowledgeGraph, when: Dated | undefined): string {
  if (!when) return "";
  const date = graph.date(when);
  const said = when.wording ?? date.edtf;
  if (!date.isInterval) return `, ${said}`;
  if (date.start === null && date.end !== null) return `, until ${when.wording ?? date.end.edtf}`;
  if (date.start !== null && date.end === null) return `, from ${when.wording ?? date.start.edtf}`;
  return `, ${said}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= MAX_SUMMARY_LENGTH) return flat;
  const cut = flat.slice(0, MAX_SUMMARY_LENGTH - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > MAX_SUMMARY_LENGTH / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "")}…`;
}

/**
 * The entity in one line: its description where the source gives one, else what the graph knows
 * of it in a few words (its kind and date, where and whose it is).
 */
export function summaryOf(graph: KnowledgeGraph, entity: Entity): string {
  const described = "description" in entity ? entity.description?.text : undefined;
  return oneLine(described ?? sketch(graph, entity));
}

function nameOf(graph: KnowledgeGraph, key: string | undefined): string | undefined {
  if (!key) return undefined;
  const entity = graph.entity(key);
  return entity && "name" in entity ? entity.name.text : undefined;
}

function sketch(graph: KnowledgeGraph, entity: Entity): string {
  const kind = kindOf(entity.id) as EntityKind;
  switch (kind) {
    case "event": {
      const e = entity as Event;
      const place = nameOf(graph, e.place?.ref);
      return [capitalised(words(e.kind)), e.when.wording ?? e.when.edtf, place && `in ${place}`]
        .filter(Boolean)
        .join(", ");
    }
    case "office": {
      const o = entity as Office;
      const state = nameOf(graph, o.state?.ref);
      return `${capitalised(words(o.kind))}${state ? ` (${state})` : ""}`;
    }
    case "person": {
      const p = entity as Person;
      const nationality = nameOf(graph, p.nationality?.ref);
      return ["Person", p.title?.text, nationality && `of ${nationality}`]
        .filter(Boolean)
        .join(", ");
    }
    case "place": {
      const p = entity as Place;
      return `${capitalised(words(p.kind))} in ${nameOf(graph, p.state.ref) ?? p.state.ref}`;
    }
    case "post": {
      const p = entity as Post;
      const of = nameOf(graph, p.office?.ref) ?? nameOf(graph, p.state?.ref);
      return `Post (${words(p.kind)})${of ? ` of ${of}` : ""}`;
    }
    case "priority": {
      const p = entity as Priority;
      const dimension = nameOf(graph, p.dimension?.ref);
      const of = `of ${nameOf(graph, p.state.ref) ?? p.state.ref}${dimension ? ` (${dimension})` : ""}`;
      if (p.kind === "PRIORITY") return `Priority ${of}`;
      // worded from the kind: "Path to Europe" is a programme the document records as completed in
      // December 2011, which "Priority of Kazakhstan" gave as a present one (the audit, finding 11)
      return `${capitalised(words(p.kind))} ${of}${programmeTime(graph, p.when)}`;
    }
    case "state":
      return (entity as State).cooperatesWith.length > 0
        ? "State cooperating with the OSCE"
        : "State";
    case "dimension":
      return "Dimension of the OSCE's work";
    case "source":
      return "Source document";
    default:
      return capitalised(kind);
  }
}

/**
 * The date a hit is about, where it has one: an event's date; for an office found by a name of its
 * history, the period it bore that name, and by the document's spelling of such a name (`OSCE
 * Center in Almaty`, `OSCE Programmme Office in Astana`), the period of the name it spells
 * (`spelledName`). Undefined for undated entities.
 */
export function hitDated(
  graph: KnowledgeGraph,
  id: string,
  matchedName: string,
): Dated | undefined {
  const kind = kindOf(id);
  if (kind === "event") return graph.get("event", id)?.when;
  if (kind === "office") {
    const office = graph.get("office", id);
    if (!office) return undefined;
    const name = historyName(office, matchedName) ?? spelledName(office, matchedName);
    return name?.when;
  }
  return undefined;
}

/**
 * The first name of `office`'s history with this text, looked up in a map made once an office: a
 * search filtered on the matched name's period dates each name of a hit its words reached, and a
 * walk of the history for each was quadratic in an office's names.
 */
function historyName(office: Office, text: string): OfficeName | undefined {
  let byText = historyNames.get(office);
  if (!byText) {
    byText = new Map();
    for (const name of office.nameHistory) if (!byText.has(name.text)) byText.set(name.text, name);
    historyNames.set(office, byText);
  }
  return byText.get(text);
}

/** Each office's history names by their text (`historyName`). */
const historyNames = new WeakMap<Office, Map<string, OfficeName>>();

/** The most edits a document's spelling is from the name it spells (Center/Centre: two). */
const SPELLING_EDITS = 3;

/**
 * The name of `office`'s history that its document spelling `text` spells: the one nearest it, by
 * at most SPELLING_EDITS edits and nearer than any other. Such a hit had no date (the honest54
 * audit, F2): "OSCE Center in Almaty" was undated, and a search filtered on 2000 left it out.
 */
function spelledName(office: Office, text: string): OfficeName | undefined {
  let known = spelled.get(office);
  if (!known) spelled.set(office, (known = new Map()));
  if (known.has(text)) return known.get(text);
  let found: OfficeName | undefined;
  if (office.aliases.some((a) => a.kind === "DOCUMENT_SPELLING" && a.text === text)) {
    // each name's distance within SPELLING_EDITS only (a cell band, not a whole table: review
    // 54, an office of 1,500 names), once a spelling
    const spelling = text.toLowerCase();
    const ranked = office.nameHistory
      .map((name) => ({
        name,
        edits: boundedDistance(spelling, name.text.toLowerCase(), SPELLING_EDITS),
      }))
      .filter(({ edits }) => edits <= SPELLING_EDITS)
      .sort((a, b) => a.edits - b.edits);
    const [best, next] = ranked;
    // nearer than any other: a name borne twice (renamed back) is not told apart by its spelling
    found = best && (!next || next.edits > best.edits) ? best.name : undefined;
  }
  known.set(text, found);
  return found;
}

/** Each office's document spellings worked out (`spelledName`). */
const spelled = new WeakMap<Office, Map<string, OfficeName | undefined>>();
