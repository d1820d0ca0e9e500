/**
 * Whether the schema is built with the federation plugins (subgraph mode), decided once, at the
 * edge, before the schema modules load: `main.ts` enables it for `--subgraph`, and the scripts and
 * tests that need the subgraph schema import `with-federation.ts` first. The public server does
 * without: the plugins load @apollo/subgraph and give every type and field an AST node, which
 * cost it about 3.5 MB of heap and 10 MB of RSS and slowed its start, for nothing it serves.
 */
let wanted = false;
let decided: boolean | undefined;

/** Build the schema with the federation plugins. Call it before anything imports the schema. */
export function enableFederation(): void {
  if (decided === false) {
    throw new Error(
      "enableFederation() was called after the schema was built without the federation plugins: call it before anything imports src/schema " +
        "(main.ts does for --subgraph; a script or test imports src/schema/with-federation.js first).",
    );
  }
  wanted = true;
}

/** Whether the schema is (to be) built with the federation plugins; asking decides it. */
export function federationEnabled(): boolean {
  decided ??= wanted;
  return decided;
}
