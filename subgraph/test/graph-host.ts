/**
 * A host for the compiled subgraph mappings (build/<DataSource>/<DataSource>.wasm): it runs a
 * handler on an Ethereum log the way graph-node does, with a fresh instance of the module per
 * trigger, `_start` called first, the `ethereum.Event` built in the module's memory, and the
 * graph-node imports the mappings use (store, BigInt arithmetic, conversions, keccak256, log, abort)
 * implemented here. An import the mappings use but this host lacks fails the instantiation with
 * the import's name, so a mapping change that needs more of the host cannot pass silently.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { keccak256, type AbiEvent, type AbiParameter, type Hex } from "viem";
import { AscMemory, TypeId, type AscExports } from "./asc-memory.ts";
import { EntityStore, StoreKind, type EntityData, type StoreValue } from "./entity-store.ts";

/** graph-ts's ethereum.ValueKind. */
const EthKind = {
  ADDRESS: 0,
  FIXED_BYTES: 1,
  BYTES: 2,
  INT: 3,
  UINT: 4,
  BOOL: 5,
  STRING: 6,
  FIXED_ARRAY: 7,
  ARRAY: 8,
  TUPLE: 9,
} as const;

/** The block, transaction and log a trigger comes from, as the JSON-RPC returns them. */
export interface Trigger {
  block: {
    hash: Hex;
    parentHash: Hex;
    sha3Uncles: Hex;
    miner: Hex;
    stateRoot: Hex;
    transactionsRoot: Hex;
    receiptsRoot: Hex;
    number: bigint;
    gasUsed: bigint;
    gasLimit: bigint;
    timestamp: bigint;
    difficulty: bigint;
    totalDifficulty?: bigint | null;
    size: bigint;
    baseFeePerGas: bigint | null;
  };
  transaction: {
    hash: Hex;
    transactionIndex: number;
    from: Hex;
    to: Hex | null;
    value: bigint;
    gas: bigint;
    gasPrice?: bigint;
    input: Hex;
    nonce: number;
  };
  log: { address: Hex; logIndex: number; transactionLogIndex: number };
  /** The event's ABI and its decoded arguments, in the ABI's order. */
  event: AbiEvent;
  args: readonly unknown[];
}

/** The part of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmModule {
  readonly wasmModule?: never;
}
interface WasmApi {
  Module: { new (bytes: Uint8Array): WasmModule; imports(module: WasmModule): { module: string; name: string }[] };
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface LogLine {
  level: number;
  message: string;
}

export class GraphHost {
  readonly store: EntityStore;
  readonly logs: LogLine[] = [];
  private readonly modules = new Map<string, WasmModule>();

  /** `buildDir` is graph build's output folder (subgraph/build). */
  private readonly buildDir: string;

  constructor(buildDir: string) {
    this.buildDir = buildDir;
    this.store = new EntityStore(readFileSync(path.join(buildDir, "schema.graphql"), "utf8"));
  }

  private module(dataSource: string) {
    let module = this.modules.get(dataSource);
    if (!module) {
      const file = path.join(this.buildDir, dataSource, `${dataSource}.wasm`);
      module = new wasm.Module(readFileSync(file));
      this.modules.set(dataSource, module);
    }
    return module;
  }

  /** Runs `handler` of `dataSource`'s mapping on one trigger. */
  run(dataSource: string, handler: string, trigger: Trigger) {
    const module = this.module(dataSource);
    let asc: AscMemory | undefined;
    const memory = () => asc!;
    const implemented = this.imports(memory);
    const imports: Record<string, Record<string, unknown>> = {};
    for (const { module: moduleName, name } of wasm.Module.imports(module)) {
      const fn = implemented[`${moduleName}.${name}`];
      if (!fn) throw new Error(`${dataSource}.wasm imports ${moduleName}.${name}, which this host does not implement`);
      (imports[moduleName] ??= {})[name] = fn;
    }
    const instance = new wasm.Instance(module, imports);
    const exports = instance.exports as unknown as AscExports & Record<string, (...args: number[]) => unknown>;
    asc = new AscMemory(exports);
    exports._start!();
    const entry = exports[handler];
    if (typeof entry !== "function") throw new Error(`${dataSource}.wasm exports no ${handler}`);
    entry(this.writeEvent(asc, trigger));
  }

  private imports(memory: () => AscMemory): Record<string, (...args: never[]) => unknown> {
    const bigIntOp = (op: (a: bigint, b: bigint) => bigint) => (x: number, y: number) =>
      memory().writeBigInt(op(memory().readBigInt(x), memory().readBigInt(y)));
    return {
      "env.abort": (message: number, file: number, line: number, column: number) => {
        const m = memory();
        const text = message ? m.readString(message) : "(no message)";
        const where = file ? m.readString(file) : "?";
        throw new Error(`mapping aborted: ${text} at ${where}:${line}:${column}`);
      },
      "index.log.log": (level: number, message: number) => {
        this.logs.push({ level, message: memory().readString(message) });
      },
      "index.store.get": (entityType: number, id: number) => {
        const m = memory();
        const data = this.store.get(m.readString(entityType), m.readString(id));
        return data ? this.writeEntity(m, data) : 0;
      },
      "index.store.set": (entityType: number, id: number, data: number) => {
        const m = memory();
        this.store.set(m.readString(entityType), m.readString(id), this.readEntity(m, data));
      },
      "numbers.bigInt.plus": bigIntOp((a, b) => a + b),
      "numbers.bigInt.minus": bigIntOp((a, b) => a - b),
      "numbers.bigInt.times": bigIntOp((a, b) => a * b),
      "numbers.bigInt.dividedBy": bigIntOp((a, b) => {
        if (b === 0n) throw new Error("bigInt.dividedBy: division by zero");
        return a / b; // truncates toward zero, as graph-node's num-bigint division does
      }),
      "numbers.bigInt.mod": bigIntOp((a, b) => {
        if (b === 0n) throw new Error("bigInt.mod: division by zero");
        return a % b;
      }),
      "index.crypto.keccak256": (input: number) => {
        const m = memory();
        return m.writeBytes(keccak256(m.readBytes(input), "bytes"));
      },
      "conversion.typeConversion.bytesToHex": (bytes: number) => {
        const m = memory();
        return m.writeString("0x" + Buffer.from(m.readBytes(bytes)).toString("hex"));
      },
      "conversion.typeConversion.bigIntToString": (value: number) => {
        const m = memory();
        return m.writeString(m.readBigInt(value).toString());
      },
      "numbers.bigDecimal.toString": () => {
        throw new Error("bigDecimal.toString: the schema has no BigDecimal field, so no mapping should call it");
      },
    };
  }

  private readStoreValue(m: AscMemory, ptr: number): StoreValue {
    const { kind, data } = m.readEnum(ptr);
    const payload = Number(data);
    switch (kind) {
      case StoreKind.STRING:
        return { kind, value: m.readString(payload) };
      case StoreKind.INT:
        return { kind, value: Number(BigInt.asIntN(32, data)) };
      case StoreKind.BOOL:
        return { kind, value: data !== 0n };
      case StoreKind.NULL:
        return { kind };
      case StoreKind.BYTES:
        return { kind, value: m.readBytes(payload) };
      case StoreKind.BIGINT:
        return { kind, value: m.readBigInt(payload) };
      case StoreKind.INT8:
      case StoreKind.TIMESTAMP:
        return { kind, value: BigInt.asIntN(64, data) };
      case StoreKind.ARRAY:
        return { kind, value: m.readPointerArray(payload).map((p) => this.readStoreValue(m, p)) };
      default:
        throw new Error(`store value of kind ${kind} is not supported by this host`);
    }
  }

  private readEntity(m: AscMemory, ptr: number): EntityData {
    const data: EntityData = new Map();
    for (const entry of m.readPointerArray(m.u32(ptr))) {
      data.set(m.readString(m.u32(entry)), this.readStoreValue(m, m.u32(entry + 4)));
    }
    return data;
  }

  private writeStoreValue(m: AscMemory, value: StoreValue): number {
    let data: bigint;
    switch (value.kind) {
      case StoreKind.STRING:
        data = BigInt(m.writeString(value.value));
        break;
      case StoreKind.INT:
        data = BigInt.asUintN(64, BigInt(value.value));
        break;
      case StoreKind.BOOL:
        data = value.value ? 1n : 0n;
        break;
      case StoreKind.NULL:
        data = 0n;
        break;
      case StoreKind.BYTES:
        data = BigInt(m.writeBytes(value.value));
        break;
      case StoreKind.BIGINT:
        data = BigInt(m.writeBigInt(value.value));
        break;
      case StoreKind.INT8:
      case StoreKind.TIMESTAMP:
        data = BigInt.asUintN(64, value.value);
        break;
      case StoreKind.ARRAY:
        data = BigInt(
          m.writePointerArray(
            value.value.map((v) => this.writeStoreValue(m, v)),
            TypeId.ArrayStoreValue,
          ),
        );
        break;
      default:
        throw new Error(`store value of kind ${value.kind} is not supported by this host`);
    }
    return m.writeEnum(value.kind, data, TypeId.StoreValue);
  }

  private writeEntity(m: AscMemory, data: EntityData) {
    const entries = [...data].map(([key, value]) =>
      m.writeObject([m.writeString(key), this.writeStoreValue(m, value)], TypeId.TypedMapEntryStringStoreValue),
    );
    return m.writeObject(
      [m.writePointerArray(entries, TypeId.ArrayTypedMapEntryStringStoreValue)],
      TypeId.TypedMapStringStoreValue,
    );
  }

  /** An ethereum.Value for an ABI-decoded argument of type `param`. */
  private writeEthValue(m: AscMemory, param: AbiParameter, value: unknown): number {
    const type = param.type;
    const array = /^(.*)\[(\d*)\]$/.exec(type);
    if (array) {
      const element = { ...param, type: array[1]! } as AbiParameter;
      const items = (value as unknown[]).map((v) => this.writeEthValue(m, element, v));
      const kind = array[2] ? EthKind.FIXED_ARRAY : EthKind.ARRAY;
      return m.writeEnum(kind, BigInt(m.writePointerArray(items, TypeId.ArrayEthereumValue)), TypeId.EthereumValue);
    }
    const bytesOf = (hexValue: string) => Buffer.from(hexValue.slice(2), "hex");
    if (type === "address") {
      return m.writeEnum(EthKind.ADDRESS, BigInt(m.writeBytes(bytesOf(value as string))), TypeId.EthereumValue);
    }
    if (type === "bool") return m.writeEnum(EthKind.BOOL, value ? 1n : 0n, TypeId.EthereumValue);
    if (type === "string")
      return m.writeEnum(EthKind.STRING, BigInt(m.writeString(value as string)), TypeId.EthereumValue);
    if (type === "bytes") {
      return m.writeEnum(EthKind.BYTES, BigInt(m.writeBytes(bytesOf(value as string))), TypeId.EthereumValue);
    }
    if (/^bytes\d+$/.test(type)) {
      return m.writeEnum(EthKind.FIXED_BYTES, BigInt(m.writeBytes(bytesOf(value as string))), TypeId.EthereumValue);
    }
    if (/^u?int\d*$/.test(type)) {
      const kind = type.startsWith("u") ? EthKind.UINT : EthKind.INT;
      return m.writeEnum(kind, BigInt(m.writeBigInt(BigInt(value as bigint | number))), TypeId.EthereumValue);
    }
    throw new Error(`ABI type ${type} is not supported by this host`);
  }

  private writeEvent(m: AscMemory, trigger: Trigger) {
    const bytes = (h: Hex) => m.writeBytes(Buffer.from(h.slice(2), "hex"));
    const big = (v: bigint) => m.writeBigInt(v);
    const { block, transaction, log } = trigger;
    const blockPtr = m.writeObject(
      [
        bytes(block.hash),
        bytes(block.parentHash),
        bytes(block.sha3Uncles),
        bytes(block.miner),
        bytes(block.stateRoot),
        bytes(block.transactionsRoot),
        bytes(block.receiptsRoot),
        big(block.number),
        big(block.gasUsed),
        big(block.gasLimit),
        big(block.timestamp),
        big(block.difficulty),
        big(block.totalDifficulty ?? 0n),
        big(block.size),
        block.baseFeePerGas === null ? 0 : big(block.baseFeePerGas),
      ],
      TypeId.EthereumBlock,
    );
    const transactionPtr = m.writeObject(
      [
        bytes(transaction.hash),
        big(BigInt(transaction.transactionIndex)),
        bytes(transaction.from),
        transaction.to === null ? 0 : bytes(transaction.to),
        big(transaction.value),
        big(transaction.gas),
        big(transaction.gasPrice ?? 0n),
        bytes(transaction.input),
        big(BigInt(transaction.nonce)),
      ],
      TypeId.EthereumTransaction,
    );
    const params = trigger.event.inputs.map((input, i) =>
      m.writeObject(
        [m.writeString(input.name ?? ""), this.writeEthValue(m, input, trigger.args[i])],
        TypeId.EventParam,
      ),
    );
    return m.writeObject(
      [
        bytes(log.address),
        big(BigInt(log.logIndex)),
        big(BigInt(log.transactionLogIndex)),
        0, // logType: null, as graph-node passes for logs without one
        blockPtr,
        transactionPtr,
        m.writePointerArray(params, TypeId.ArrayEventParam),
        0, // receipt: null unless the handler asks for `receipt: true` in the manifest
      ],
      TypeId.EthereumEvent,
    );
  }
}
