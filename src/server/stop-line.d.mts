/** The types of stop-line.mjs (plain JavaScript, run before tsx loads by start-signals.mjs). */
export function writeStopLine(signal: NodeJS.Signals, during: string): void;
