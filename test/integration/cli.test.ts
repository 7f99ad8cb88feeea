import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount } from "viem/accounts";
import { freePort } from "../../workers/shared/free-port.ts";
import { servedTaonet } from "../helpers/served-taonet.ts";

const CLI = path.resolve(import.meta.dirname, "../../cli/taonet.ts");
/** Hardhat's test mnemonic: the served chain's funded accounts (1 alice, 2 bob, 3 carol, 6 arbitrator). */
const MNEMONIC = "test test test test test test test test test test test junk";

type Run = { code: number; stdout: string; stderr: string };

/**
 * The real `taonet` binary as a child process against a served in-process chain (a block per
 * transaction): a representative command of every group, an operator's path from keys to a settled
 * epoch, and the failures a user meets (missing deployment, wrong password, insufficient balance,
 * a burn price above --max-burn, a revert decoded with its arguments).
 */
describe("taonet CLI", { timeout: 600_000 }, () => {
  let served: Awaited<ReturnType<typeof servedTaonet>>;
  let walletDir: string;

  before(async () => {
    // Blocks only for transactions and the test's own mining: the epoch and reveal windows the test
    // walks through must not move with how fast the machine runs the commands (a block every 500 ms
    // put a reveal meant to be early into its window on a loaded machine).
    served = await servedTaonet({ blockIntervalMs: 3_600_000 });
    walletDir = await mkdtemp(path.join(tmpdir(), "taonet-cli-"));
  });
  after(async () => {
    await served?.close();
    await rm(walletDir, { recursive: true, force: true });
  });

  /** The binary with `args` plus the served chain, its deployment and the test's wallets. */
  function taonet(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    return run(
      [
        ...args,
        "--rpc",
        served.url,
        ...(args.includes("--deployment") ? [] : ["--deployment", served.deployment]),
        "--wallet-dir",
        walletDir,
      ],
      env,
    );
  }

  /** The binary with exactly `args` (devnet and yuma take their own flags). */
  function run(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        { env: { ...process.env, TAONET_PASSWORD: "correct horse", ...env }, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error ? ((error as { code?: number }).code ?? 1) : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
    });
  }

  /** Runs a command that must succeed; its `--json` output parsed. */
  async function json<T = Record<string, any>>(args: readonly string[], env?: Record<string, string>): Promise<T> {
    const run = await taonet([...args, "--json"], env);
    assert.equal(run.code, 0, `taonet ${args.join(" ")} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as T;
  }

  /** Runs a command that must fail with exit status `code` and one line on stderr matching `pattern`. */
  async function fails(args: readonly string[], pattern: RegExp, env?: Record<string, string>, code = 1) {
    const run = await taonet(args, env);
    assert.equal(run.code, code, `taonet ${args.join(" ")}: exit ${run.code}, stderr ${run.stderr}`);
    const lines = run.stderr.trim().split("\n");
    // A failure is one line; a usage error (exit 2) follows its line with the usage.
    if (code === 1) assert.equal(lines.length, 1, `one line expected: ${run.stderr}`);
    assert.match(lines[0]!, /^taonet: /);
    assert.match(lines[0]!, pattern);
  }

  const importKey = (kind: string, wallet: string, index: number) =>
    json(["wallet", "import", kind, "--wallet", wallet, "--mnemonic-index", String(index), "--scrypt-n", "1024"], {
      TAONET_MNEMONIC: MNEMONIC,
    });

  let netuid: bigint;

  it("wallet: imports and creates keystores, lists them, funds and binds", async () => {
    await importKey("coldkey", "alice", 1);
    await importKey("coldkey", "arbitrator", 6);
    const created = await json(["wallet", "create", "--wallet", "validator", "--scrypt-n", "1024"]);
    assert.deepEqual(
      created.created.map((c: { kind: string }) => c.kind),
      ["coldkey", "hotkey"],
    );
    await json(["wallet", "create", "--wallet", "miner", "--scrypt-n", "1024"]);
    const exported = await json(["wallet", "export-key", "coldkey", "--wallet", "alice"]);
    assert.equal(
      privateKeyToAccount(exported.privateKey).address.toLowerCase(),
      served.t.accounts.alice.account.address.toLowerCase(),
    );
    const copied = await json(
      [
        "wallet",
        "import",
        "coldkey",
        "--wallet",
        "alice-copy",
        "--keystore",
        path.join(walletDir, "alice", "coldkey.json"),
        "--scrypt-n",
        "1024",
      ],
      { TAONET_IMPORT_PASSWORD: "correct horse" },
    );
    assert.equal(copied.imported.address, privateKeyToAccount(exported.privateKey).address);
    const list = await json(["wallet", "list"]);
    assert.deepEqual(
      list.wallets.map((w: { wallet: string }) => w.wallet),
      ["alice", "alice-copy", "arbitrator", "miner", "validator"],
    );
    for (const to of ["validator", "miner", "validator/default", "miner/default"])
      await json(["wallet", "transfer", to, "1", "--eth", "--wallet", "alice"]);
    for (const to of ["validator", "miner"]) await json(["wallet", "transfer", to, "5000", "--wallet", "alice"]);
    const balance = await json(["wallet", "balance", "--wallet", "validator"]);
    assert.equal(balance.tao, (5000n * 10n ** 18n).toString());
    const bind = await json(["wallet", "bind", "--wallet", "validator"]);
    assert.equal(bind.transactions.length, 1);
    assert.match(bind.transactions[0].hash, /^0x[0-9a-f]{64}$/);
    assert.ok(BigInt(bind.transactions[0].gasUsed) > 0n);
    await json(["wallet", "bind", "--wallet", "miner"]);
  });

  it("fails with one line: missing deployment, wrong password, insufficient balance", async () => {
    await fails(["subnet", "list", "--deployment", path.join(walletDir, "nothing.json")], /no taonet deployment/);
    await fails(["wallet", "bind", "--wallet", "validator"], /wrong password/, { TAONET_PASSWORD: "wrong" });
    await json(["wallet", "create", "--wallet", "empty", "--scrypt-n", "1024"]);
    await fails(
      ["stake", "add", "--amount", "10", "--wallet", "empty"],
      /insufficient TAO balance: .* has 0 TAO, needs 10 TAO/,
    );
    await json(["wallet", "transfer", "empty", "10", "--wallet", "alice"]);
    await fails(["wallet", "transfer", "alice", "1", "--wallet", "empty"], /insufficient ETH for gas/);
    await fails(["wallet", "frobnicate"], /unknown command wallet frobnicate/, {}, 2);
  });

  it("subnet: create (lock cost shown), list with emission shares, show, hyperparameters", async () => {
    const human = await taonet(["subnet", "create", "--name", "cli", "--wallet", "alice", "--yes"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Lock cost: 1,000 TAO/);
    assert.match(human.stdout, /create subnet: 0x[0-9a-f]{64} \(block \d+, gas \d+\)/);
    netuid = BigInt(/created subnet (\d+)/.exec(human.stdout)![1]!);
    const list = await json(["subnet", "list"]);
    const row = list.subnets.find((s: { netuid: string }) => s.netuid === netuid.toString());
    assert.equal(row.name, "cli");
    assert.ok("emissionShareWad" in row);
    const table = await taonet(["subnet", "list"]);
    assert.match(table.stdout, /EMISSION SHARE/);
    for (const [name, value] of [
      ["tempo", "10"],
      ["commitRevealEnabled", "true"],
      ["weightsRateLimit", "0"],
      ["maxAllowedValidators", "1"],
      ["targetRegistrationsPerInterval", "64"],
    ])
      await json(["subnet", "hyperparameters", "set", String(netuid), name, value, "--wallet", "alice"]);
    const got = await json(["subnet", "hyperparameters", "get", String(netuid), "tempo"]);
    assert.deepEqual(got.hyperparameters, { tempo: "10" });
    const show = await json(["subnet", "show", String(netuid)]);
    assert.equal(show.hyperparameters.commitRevealEnabled, true);
  });

  it("decodes a revert with its arguments: a hyperparameter set by a non-owner", async () => {
    await fails(
      ["subnet", "hyperparameters", "set", String(netuid), "tempo", "20", "--wallet", "validator"],
      /set tempo reverted: NotSubnetOwner\(netuid=\d+, caller=0x[0-9a-fA-F]{40}, owner=0x[0-9a-fA-F]{40}\)/,
    );
  });

  it("neuron: refuses a burn above --max-burn, registers, serves an endpoint", async () => {
    await fails(
      ["neuron", "register", "--netuid", String(netuid), "--max-burn", "0.000001", "--wallet", "validator", "--yes"],
      /burn price .* TAO is above --max-burn 0 TAO/,
    );
    const registered = await json(["neuron", "register", "--netuid", String(netuid), "--wallet", "validator", "--yes"]);
    assert.equal(registered.uid, "0");
    assert.equal(
      (await json(["neuron", "register", "--netuid", String(netuid), "--wallet", "miner", "--yes"])).uid,
      "1",
    );
    await json([
      "neuron",
      "endpoint",
      "--netuid",
      String(netuid),
      "--url",
      "http://127.0.0.1:9000",
      "--wallet",
      "miner",
    ]);
    const endpoint = await json(["neuron", "endpoint", "--netuid", String(netuid), "--wallet", "miner"]);
    assert.equal(endpoint.endpoint.url, "http://127.0.0.1:9000");
  });

  it("stake: add, list, take, remove, withdraw before it is due", async () => {
    await json(["stake", "add", "--amount", "1000", "--wallet", "validator"]);
    const list = await json(["stake", "list", "--wallet", "validator"]);
    assert.equal(list.positions[0].assets, (1000n * 10n ** 18n).toString());
    const take = await json(["stake", "take", "--wallet", "validator"]);
    assert.equal(take.takeBps, 1800);
    await json(["stake", "take", "set", "1000", "--wallet", "validator"]);
    const removed = await json(["stake", "remove", "--amount", "100", "--wallet", "validator"]);
    assert.ok(removed.withdrawal);
    await fails(["stake", "withdraw", "--wallet", "validator"], /no withdrawal is due yet/);
    const after = await json(["stake", "list", "--wallet", "validator"]);
    assert.equal(after.pendingWithdrawals.length, 1);
    await served.t.networkHelpers.time.increase(7 * 24 * 3600 + 1);
    const withdrawn = await json(["stake", "withdraw", "--wallet", "validator"]);
    assert.equal(withdrawn.completed.length, 1);
    assert.equal((await json(["stake", "list", "--wallet", "validator"])).pendingWithdrawals.length, 0);
  });

  it("model: trains a model, serves it, commits its sha256 and URI, shows it", async () => {
    const file = path.join(walletDir, "model.onnx");
    await fails(["model", "train", "--out", file, "--quality", "best"], /--quality must be one of/, undefined, 2);
    const trained = await json(["model", "train", "--out", file, "--quality", "weak"]);
    const bytes = await readFile(file);
    const digest = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    assert.equal(trained.sha256, digest);
    assert.equal(trained.bytes, bytes.length);

    // `model serve` runs until a signal: read its one JSON line, fetch the file, stop it.
    const server = spawn(process.execPath, [CLI, "model", "serve", file, "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("\n")) resolve(out);
        });
        server.once("exit", (code) => reject(new Error(`model serve exited (${code}) before serving`)));
      });
      const served = JSON.parse(line) as { uri: string; digest: string };
      assert.equal(served.digest, digest);
      const fetched = Buffer.from(await (await fetch(served.uri)).arrayBuffer());
      assert.ok(fetched.equals(bytes), "the served file is the trained one");
      await json(["model", "commit", file, "--netuid", String(netuid), "--uri", served.uri, "--wallet", "miner"]);
      const shown = await json(["model", "show", "--netuid", String(netuid), "--wallet", "miner"]);
      assert.equal(shown.digest, digest);
      assert.equal(shown.uri, served.uri);
    } finally {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }
    }
  });

  it("epoch, weights and metagraph: settle, commit, reveal in the next epoch, settle again", async () => {
    const mineToDue = async () => {
      const status = await json(["epoch", "status", "--netuid", String(netuid)]);
      await served.t.mineBlocks(Number(status.blocksUntilSettlement) + 1);
    };
    await mineToDue();
    const first = await json(["epoch", "settle", "--netuid", String(netuid), "--wallet", "alice"]);
    // A small subnet settles in one transaction: the CLI sends a settlement with the cap as its gas
    // limit, not an estimate (the least gas with which a settle succeeds is one that stops early).
    assert.equal(first.transactions.length, 1, JSON.stringify(first.transactions));
    await fails(
      ["weights", "commit", "--netuid", String(netuid), "--weights", "1:1", "--wallet", "empty"],
      /commit weights reverted: HotkeyNotRegistered\(netuid=\d+, hotkey=0x[0-9a-fA-F]{40}\)/,
    );
    const committed = await json([
      "weights",
      "commit",
      "--netuid",
      String(netuid),
      "--weights",
      "1:1",
      "--wallet",
      "validator",
    ]);
    const status = await json(["weights", "status", "--netuid", String(netuid), "--wallet", "validator"]);
    assert.equal(status.commits.length, 1);
    assert.equal(status.commits[0].state, "waiting");
    assert.equal(status.commits[0].saltKept, true);
    await fails(["weights", "reveal", "--netuid", String(netuid), "--wallet", "validator"], /RevealTooEarly/);
    await mineToDue();
    await json(["epoch", "settle", "--netuid", String(netuid), "--wallet", "alice"]);
    const revealed = await json(["weights", "reveal", "--netuid", String(netuid), "--wallet", "validator"]);
    assert.deepEqual(revealed.revealed, [committed.hash]);
    await mineToDue();
    const settled = await json(["epoch", "settle", "--netuid", String(netuid), "--wallet", "alice"]);
    assert.equal(settled.medianHints, true, "settled with the quoted median hints");
    const shown = await json(["epoch", "show", "--netuid", String(netuid)]);
    assert.ok(Number(shown.neurons[1].incentive) > 0, "the miner earned incentive");
    // One validator weights the miner alone: nothing is clipped, so the miner's trust is 1.
    assert.equal(shown.neurons[1].trust, 65535);
    const metagraph = await taonet(["neuron", "metagraph", "--netuid", String(netuid)]);
    assert.equal(metagraph.code, 0, metagraph.stderr);
    assert.match(
      metagraph.stdout,
      /UID\s+HOTKEY\s+STAKE TAO\s+TRUST\s+VTRUST\s+CONSENSUS\s+INCENTIVE\s+DIVIDENDS\s+EMISSION TAO\s+PERMIT\s+LAST UPDATE/,
    );
  });

  it("dispute: opened by a reporter, shown, accepted by the arbitrator", async () => {
    const evidence = path.join(walletDir, "evidence.txt");
    await writeFile(evidence, "the miner's model is a copy");
    const miner = (await json(["wallet", "list"])).wallets.find((w: { wallet: string }) => w.wallet === "miner")
      .hotkeys[0].address;
    const opened = await json([
      "dispute",
      "open",
      "--hotkey-address",
      miner,
      "--evidence",
      evidence,
      "--evidence-uri",
      "https://example.org/e",
      "--wallet",
      "alice",
    ]);
    const shown = await json(["dispute", "show", String(opened.id)]);
    assert.equal(shown.status, "open");
    await fails(
      ["dispute", "resolve", String(opened.id), "--accept", "0.05", "--wallet", "alice"],
      /accept dispute reverted: AccessManagedUnauthorized/,
    );
    const resolved = await json([
      "dispute",
      "resolve",
      String(opened.id),
      "--accept",
      "0.05",
      "--wallet",
      "arbitrator",
    ]);
    assert.equal(resolved.status, "accepted");
  });

  it("subnet dissolve: refused without --yes off a terminal, then done", async () => {
    const created = await json(["subnet", "create", "--name", "short-lived", "--wallet", "alice", "--yes"]);
    await fails(
      ["subnet", "dissolve", String(created.netuid), "--wallet", "alice"],
      /needs a confirmation: pass --yes/,
    );
    await json(["subnet", "dissolve", String(created.netuid), "--wallet", "alice", "--yes"]);
    await fails(["subnet", "show", String(created.netuid)], /does not exist or was dissolved/);
  });

  it("devnet --exit deploys and stops; yuma replay --check passes", async () => {
    const port = await freePort();
    const devnet = await run(["devnet", "--exit", "--port", String(port), "--validators", "1", "--miners", "1"]);
    assert.equal(devnet.code, 0, devnet.stderr);
    assert.match(devnet.stdout, /Subnet 1 "mnist"/);
    const fixture = path.resolve(import.meta.dirname, "../fixtures/yuma/scenarios/logs_validator_splits_weight.json");
    const replay = await run(["yuma", "replay", fixture, "--check"]);
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(JSON.parse(replay.stdout).format, "taonet-yuma-result/1");
    assert.match(replay.stderr, /passed/);
  });

  it("devnet and yuma: help of the groups", async () => {
    for (const group of [
      "wallet",
      "subnet",
      "neuron",
      "stake",
      "weights",
      "model",
      "epoch",
      "dispute",
      "devnet",
      "yuma",
    ]) {
      const run = await taonet([group, "--help"]);
      assert.equal(run.code, 0, `${group} --help: ${run.stderr}`);
      assert.match(run.stdout, new RegExp(`usage: taonet ${group}`));
    }
  });
});
