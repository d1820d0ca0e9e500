/**
 * What tests/server/start-stop.test.ts's children import to hand the stop signals over, from the
 * bundle (tests/support/server-bundle.ts) with plain node: through tsx, each child cost about
 * 0.3 CPU-s more.
 */
export { onStopSignals } from "../../src/server/signals.js";
export { handStopsTo, stopsDuringStartHandedOver } from "../../src/server/start-stop.js";
