// A client that asks "Expect: 100-continue" for a body over the body limit (5 MB against 100 KB),
// as curl does: it sends the body once told "100 Continue" (or after waiting 1 s for it, curl's
// default), in 64 KB writes, and stops once a final answer comes. Prints, for each of 5 tries,
// whether a 100 came, the final status, and how many bytes of the body it sent before it.
//   node bench/attack/expect-continue.mjs PORT [SIZE]
import { connect } from "node:net";

const port = Number(process.argv[2]);
const size = Number(process.argv[3] ?? 5_000_000);
const CHUNK = 64 * 1024;

function once() {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let sent = 0;
    let final;
    let sending = false;
    const send = () => {
      if (sending) return;
      sending = true;
      const more = () => {
        while (final === undefined && sent < size && !socket.destroyed) {
          const n = Math.min(CHUNK, size - sent);
          sent += n;
          if (!socket.write(Buffer.alloc(n, 0x20))) return void socket.once("drain", more);
        }
      };
      more();
    };
    const waited = setTimeout(send, 1000);
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (/^HTTP\/1\.1 100 /.test(received)) send();
      const status = /HTTP\/1\.1 ([2-5]\d\d) /.exec(received);
      if (status && final === undefined) {
        final = status[1];
        clearTimeout(waited);
        socket.end();
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(waited);
      resolve({ continued: /HTTP\/1\.1 100 /.test(received), final: final ?? "none", sent });
    });
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${size}\r\n\r\n`,
    );
  });
}

for (let i = 0; i < 5; i++) {
  const { continued, final, sent } = await once();
  console.log(
    `try ${i + 1}: ${continued ? "100 Continue, then " : "no 100, "}${final}; body bytes sent ${sent} of ${size}`,
  );
}
