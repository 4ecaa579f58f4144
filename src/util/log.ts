/** The one logging interface; text for people, JSON lines for machines. */
type Level = "debug" | "info" | "warn" | "error";

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export type LogFormat = "text" | "json";

export function createLogger(
  opts: { format?: LogFormat; verbose?: boolean; write?: (line: string) => void; base?: Record<string, unknown> } = {},
): Logger {
  const format = opts.format ?? "text";
  const write = opts.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const base = opts.base ?? {};
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    if (level === "debug" && !opts.verbose) return;
    const all = { ...base, ...fields };
    if (format === "json") {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...all }));
      return;
    }
    const scope = typeof all.scenario === "string" ? `[${all.scenario}] ` : "";
    const prefix = level === "info" ? "" : `${level}: `;
    write(`${scope}${prefix}${message}`);
  };
  return {
    log,
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    debug: (m, f) => log("debug", m, f),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}

/** A logger that records lines, for tests. */
export function memoryLogger(): Logger & {
  lines: { level: Level; message: string; fields: Record<string, unknown> }[];
} {
  const lines: { level: Level; message: string; fields: Record<string, unknown> }[] = [];
  const make = (base: Record<string, unknown>): Logger => {
    const log = (level: Level, message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields: { ...base, ...fields } });
    return {
      log,
      info: (m, f) => log("info", m, f),
      warn: (m, f) => log("warn", m, f),
      error: (m, f) => log("error", m, f),
      debug: (m, f) => log("debug", m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return Object.assign(make({}), { lines });
}
