/**
 * Example queries, kept as files in examples/queries (one query each, its title as the first
 * line's comment, in the order of the file names): GraphiQL opens with them as tabs, and README.md
 * or a page of docs/ shows each with its answer (tests/api/examples.test.ts checks that the
 * answers shown are what the server says, and that every example shown there is one of these).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface Example {
  title: string;
  query: string;
}

const DIRECTORY = new URL("../../examples/queries/", import.meta.url);

export const examples: Example[] = readdirSync(DIRECTORY)
  .filter((file) => file.endsWith(".graphql"))
  .sort()
  .map((file) => {
    const [, title, query] = /^# (.*)\n([\s\S]*?)\n*$/.exec(
      readFileSync(new URL(file, DIRECTORY), "utf8"),
    )!;
    return { title: title!, query: query! };
  });

/** GraphiQL's initial tabs: one per example, the title as a leading comment (the file's text). */
export const exampleTabs = examples.map((e) => ({ query: `# ${e.title}\n${e.query}\n` }));
