/**
 * Server configuration from the command line and the environment, validated up front:
 * a bad value stops the server with one line that names the setting and what it accepts.
 */
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

export interface Config {
  host: string;
  port: number;
  /** A dataset directory of JSON files; undefined for the built-in dataset. */
  dataDir: string | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export const USAGE = `Usage: npm start -- [--data DIR] [--port N] [--host ADDRESS]
  --data DIR       serve the JSON dataset in DIR (env KZ_OSCE_DATA) instead of the built-in one
  --port N         port to listen on, 0-65535 (env PORT; default 4000; 0 picks a free port)
  --host ADDRESS   address to listen on (env HOST; default 127.0.0.1)`;

export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): Config {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--(data|port|host)(?:=(.*))?$/.exec(arg);
    if (!match) throw new ConfigError(`unknown argument "${arg}"\n${USAGE}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === "" || (match[2] === undefined && value.startsWith("--"))) {
      throw new ConfigError(`--${match[1]} needs a value\n${USAGE}`);
    }
    flags.set(match[1]!, value);
  }

  // an empty variable counts as unset, as for HOST and KZ_OSCE_DATA
  const portText = flags.get("port") ?? (env.PORT || "4000");
  const portSource = flags.has("port") ? "--port" : env.PORT ? "PORT" : "default port";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw new ConfigError(`${portSource} must be a whole number from 0 to 65535, got "${portText}"`);
  }

  const dataText = flags.get("data") ?? (env.KZ_OSCE_DATA || undefined);
  let dataDir: string | undefined;
  if (dataText !== undefined) {
    const dataSource = flags.has("data") ? "--data" : "KZ_OSCE_DATA";
    dataDir = resolve(dataText);
    if (!existsSync(dataDir)) throw new ConfigError(`${dataSource}: the dataset directory "${dataDir}" does not exist`);
    if (!statSync(dataDir).isDirectory()) throw new ConfigError(`${dataSource}: "${dataDir}" is not a directory`);
  }

  const host = flags.get("host") ?? (env.HOST || "127.0.0.1");
  return { host, port: Number(portText), dataDir };
}
