import { connect } from "node:net";
import { loadBuiltInGraph } from "./src/graph/load.js";
import { createApp, listen } from "./src/server/app.js";
const { server } = createApp(await loadBuiltInGraph());
const a = await listen(server, 0, "127.0.0.1");
function raw(text: string) {
  return new Promise<string>((resolve) => {
    const s = connect(a.port, "127.0.0.1", () => s.write(text));
    let out = ""; s.on("data", (c) => (out += c)); s.on("close", () => resolve(out)); s.on("error", (e) => resolve("ERR " + e.message));
    setTimeout(() => s.end(), 500);
  });
}
console.log(await raw("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}"));
console.log(await raw("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
console.log(await raw("GARBAGE\r\n\r\n"));
const body = '{"query":"{ __typename }"}';
console.log(await raw(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
server.close();
