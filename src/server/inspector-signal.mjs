/**
 * SIGUSR1 ignored from the process's first moment: `node --import ./src/server/inspector-signal.mjs
 * ...` (`npm start`, and so each cluster worker, which runs with the same execArgv). main.ts's
 * listener (signals.ts, `ignoreInspectorSignal`) runs only once tsx has compiled the server's
 * modules: about a second into each process's start, during which Node's default still opened its
 * inspector on 127.0.0.1:9229 (review 42). This listener says nothing; main's, once there, logs.
 * Plain JavaScript, before tsx: nothing compiles it. Left to Node when the inspector is open.
 */
import inspector from "node:inspector";

if (inspector.url() === undefined) process.on("SIGUSR1", () => {});
