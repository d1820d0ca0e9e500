/**
 * The built-in dataset: typed seed modules checked by the compiler, plus the source text beside them.
 * Each collection is named after the file it lives in, so the validator can report `data/<file>.ts`.
 */
import { fileURLToPath } from "node:url";
import type { DatasetInput } from "../src/graph/model.js";
import { dimensions } from "./dimensions.js";
import { events } from "./events.js";
import { offices } from "./offices.js";
import { persons } from "./persons.js";
import { places } from "./places.js";
import { posts } from "./posts.js";
import { priorities } from "./priorities.js";
import { sources } from "./sources.js";
import { states } from "./states.js";
import { tenures } from "./tenures.js";

export const builtInDataset: DatasetInput = {
  sources,
  states,
  places,
  dimensions,
  offices,
  persons,
  posts,
  tenures,
  events,
  priorities,
};

/** The directory of the built-in dataset: where the source texts named by `sources[].file` live. */
export const builtInDatasetDir = fileURLToPath(new URL(".", import.meta.url));
