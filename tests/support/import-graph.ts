// The project's own import graph, read from the real files with the TypeScript parser, so that a
// test can hold the layers one way (docs/contributing.md, "Layers and imports") without a
// dependency-graph package. Run it directly to print the circles: `npx tsx tests/support/import-graph.ts`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type ts from "typescript";

/**
 * The TypeScript compiler, loaded on first use (about a CPU-second): tests/schema/imports.test.ts
 * needs it only when the files changed since its last run (tests/support/remembered.ts).
 */
let compiler: typeof ts | undefined;
const typescript = () => (compiler ??= createRequire(import.meta.url)("typescript") as typeof ts);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** One import of a project file by another; `typeOnly` when it vanishes at run time. */
export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** `./x.js` as written under NodeNext → the `.ts` file on disk (project files only). */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = resolve(dirname(fromFile), specifier);
  return relative(ROOT, target.replace(/\.js$/, ".ts"));
}

function specifiersOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const tsc = typescript();
  const source = tsc.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    tsc.ScriptTarget.ES2022,
    true,
  );
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (tsc.isImportDeclaration(node) && tsc.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            tsc.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      tsc.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      tsc.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      tsc.isCallExpression(node) &&
      node.expression.kind === tsc.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      tsc.isStringLiteralLike(node.arguments[0])
    ) {
      // a dynamic import() couples the files just as much as a static one
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      tsc.isNewExpression(node) &&
      tsc.isIdentifier(node.expression) &&
      node.expression.text === "URL" &&
      node.arguments?.[0] &&
      tsc.isStringLiteralLike(node.arguments[0]) &&
      node.arguments[1]?.getText(source) === "import.meta.url" &&
      /\.[jt]s$/.test(node.arguments[0].text)
    ) {
      // `new URL("../x.ts", import.meta.url)` names a module to load later (fresh imports, workers)
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    } else if (
      tsc.isImportTypeNode(node) &&
      tsc.isLiteralTypeNode(node.argument) &&
      tsc.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    tsc.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import between the `.ts` files under `dirs` (relative to the project root). */
export function importGraph(dirs: string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of dirs) {
    for (const file of tsFiles(join(ROOT, dir))) {
      const from = relative(ROOT, file);
      for (const { specifier, typeOnly } of specifiersOf(file)) {
        const to = resolveSpecifier(file, specifier);
        if (to !== undefined) edges.push({ from, to, typeOnly });
      }
    }
  }
  return edges;
}

/**
 * The circles: each strongly connected group of two or more files (or a file importing itself),
 * found with Tarjan's algorithm. `runtimeOnly` ignores imports that vanish at run time.
 */
export function circles(edges: ImportEdge[], { runtimeOnly = false } = {}): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (runtimeOnly && edge.typeOnly) continue;
    if (!next.has(edge.from)) next.set(edge.from, []);
    if (!next.has(edge.to)) next.set(edge.to, []);
    next.get(edge.from)!.push(edge.to);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || next.get(node)!.includes(node)) groups.push(group.sort());
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) connect(node);
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const edges = importGraph(["src", "data"]);
  for (const group of circles(edges)) console.log(`circle: ${group.join(" ↔ ")}`);
  for (const group of circles(edges, { runtimeOnly: true }))
    console.log(`runtime circle: ${group.join(" ↔ ")}`);
  for (const edge of edges.filter((e) => e.from.startsWith("src/") && e.to.startsWith("data/")))
    console.log(`src imports data: ${edge.from} → ${edge.to}`);
}
