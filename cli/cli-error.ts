/** A failure the user can act on: printed as one line `taonet: <message>`, exit status 1. */
export class CliError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
  }
}

/** The command line itself is wrong (unknown command or flag, missing argument): exit status 2. */
export class UsageError extends CliError {
  override readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `--help` was asked for: the usage was printed, exit status 0. */
export class HelpShown extends Error {
  constructor() {
    super("help shown");
    this.name = "HelpShown";
  }
}
