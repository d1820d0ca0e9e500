// node bench/attack/honest-beside.mjs URL SECONDS: an honest client beside an attack (red team 7), a fresh connection per query every 300 ms; counts statuses
const [url, secs = "20"] = process.argv.slice(2);
const counts = {};
const end = Date.now() + Number(secs) * 1000;
while (Date.now() < end) {
  let k;
  try {
    const r = await fetch(new URL("/graphql", url), {
      method: "POST",
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ query: '{ person(key: "PERSON 1") { key } }' }),
      signal: AbortSignal.timeout(5000),
    });
    const t = await r.text();
    k = r.status + (r.status !== 200 ? (t.match(/"code":"(\w+)"/) ?? [])[1] : "");
  } catch (e) {
    k = "error:" + (e.cause?.code ?? e.name);
  }
  counts[k] = (counts[k] ?? 0) + 1;
  await new Promise((r) => setTimeout(r, 300));
}
console.log("honest:", JSON.stringify(counts));
