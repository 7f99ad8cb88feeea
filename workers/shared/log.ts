/**
 * Structured logs: one JSON object per line on stdout (`time`, `level`, `component`, `msg`, and the
 * call's fields), so that a process supervisor, `jq` or a log shipper reads them without parsing
 * prose. bigint fields are written as decimal strings; an `Error` as its name and message.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Logger = {
  readonly debug: (msg: string, fields?: Record<string, unknown>) => void;
  readonly info: (msg: string, fields?: Record<string, unknown>) => void;
  readonly warn: (msg: string, fields?: Record<string, unknown>) => void;
  readonly error: (msg: string, fields?: Record<string, unknown>) => void;
  /** A logger with `fields` added to every line. */
  readonly child: (fields: Record<string, unknown>) => Logger;
};

export type CreateLoggerParameters = {
  readonly component: string;
  /** Lines below this level are dropped (default `TAONET_LOG_LEVEL`, else `info`). */
  readonly level?: LogLevel;
  /** Where lines go (default: stdout). */
  readonly write?: (line: string) => void;
  readonly fields?: Record<string, unknown>;
};

export function createLogger(params: CreateLoggerParameters): Logger {
  const minimum = RANK[params.level ?? (process.env.TAONET_LOG_LEVEL as LogLevel | undefined) ?? "info"] ?? RANK.info;
  const write = params.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const make = (base: Record<string, unknown>): Logger => {
    const at =
      (level: LogLevel) =>
      (msg: string, fields?: Record<string, unknown>): void => {
        if (RANK[level] < minimum) return;
        const line = { time: new Date().toISOString(), level, component: params.component, msg, ...base, ...fields };
        write(JSON.stringify(line, replacer));
      };
    return {
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(params.fields ?? {});
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message.split("\n")[0] };
  return value;
}

/** The first line of an error's message (viem's messages run to many lines). */
export function errorLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!;
}
