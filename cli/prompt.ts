import { createInterface } from "node:readline/promises";
import { CliError } from "./cli-error.ts";

/** Reads a line from the terminal without echoing it (a password); fails when stdin is not a terminal. */
export async function readSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY)
    throw new CliError(
      `${question.replace(/:\s*$/, "")}: no terminal to ask on (set the environment variable instead)`,
    );
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === "\r" || char === "\n") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            return resolve(typed);
          }
          if (char === "\u0003") {
            stdin.off("data", onData);
            process.stderr.write("\n");
            return reject(new CliError("interrupted"));
          }
          if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      stdin.on("data", onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** Asks a yes/no question on the terminal; false unless the answer starts with y. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
