// A single POST whose body is over the 100 KB limit, sent whole (as fetch/undici sends it): does the client read
// the 413, or does the connection close under it (EPIPE / ECONNRESET)?  usage: node big-body.mjs URL [sizes...]
const [url, ...sizes] = process.argv.slice(2);
for (const size of (sizes.length
  ? sizes
  : ["120000", "200000", "500000", "1000000", "5000000"]
).map(Number)) {
  const out = {};
  for (let i = 0; i < 10; i++) {
    const body = Buffer.alloc(size, 32);
    body.write('{"query":"{ __typename }"}', 0);
    let k;
    try {
      const r = await fetch(url + "/graphql", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      k = `${r.status}`;
      await r.text();
    } catch (e) {
      k = e.cause?.code ?? e.message;
    }
    out[k] = (out[k] ?? 0) + 1;
  }
  console.log(`body ${size} B: ${JSON.stringify(out)}`);
}
