/**
 * Reading and writing AssemblyScript 0.19 objects in a mapping's linear memory, the way graph-node's
 * runtime does (graph/src/runtime/asc_heap.rs and the Asc* types of graph-node's runtime/wasm).
 *
 * Every managed object is preceded by a header whose last two u32 words are its class id (`ptr - 8`)
 * and its payload size in bytes (`ptr - 4`). Objects are created with the module's exported
 * `__new(size, classId)`; class ids come from graph-ts's exported `id_of_type(TypeId)`. The mappings
 * are built with `--runtime stub` (graph-cli's choice), which never frees, so nothing needs pinning.
 *
 * - String: UTF-16LE code units, the payload size is 2 x length.
 * - ArrayBuffer: the bytes.
 * - Uint8Array (Bytes, Address and BigInt extend it): { buffer: ptr, dataStart: ptr, byteLength: i32 }.
 * - Array<T>: { buffer: ptr, dataStart: ptr, byteLength: i32, length: i32 }, elements in the buffer
 *   (a pointer each for reference types).
 * - Classes: fields in declaration order, each aligned to its size (an enum's u64 payload at 8).
 */

/** graph-ts's TypeId (global/global.ts): the argument of `id_of_type`. */
export const TypeId = {
  String: 0,
  ArrayBuffer: 1,
  Uint8Array: 6,
  BigDecimal: 12,
  ArrayBool: 13,
  ArrayEthereumValue: 15,
  ArrayStoreValue: 16,
  ArrayEventParam: 19,
  ArrayTypedMapEntryStringStoreValue: 21,
  EventParam: 23,
  EthereumTransaction: 24,
  EthereumBlock: 25,
  EthereumValue: 30,
  StoreValue: 31,
  EthereumEvent: 33,
  TypedMapEntryStringStoreValue: 34,
  TypedMapStringStoreValue: 36,
} as const;

export interface AscExports {
  /** The module's exported memory (its buffer is replaced when the memory grows). */
  memory: { readonly buffer: ArrayBuffer };
  __new(size: number, classId: number): number;
  id_of_type(typeId: number): number;
}

export class AscMemory {
  private readonly classIds = new Map<number, number>();
  private readonly exports: AscExports;

  constructor(exports: AscExports) {
    this.exports = exports;
  }

  private view() {
    return new DataView(this.exports.memory.buffer);
  }

  private bytes() {
    return new Uint8Array(this.exports.memory.buffer);
  }

  classId(typeId: number) {
    let id = this.classIds.get(typeId);
    if (id === undefined) {
      id = this.exports.id_of_type(typeId);
      this.classIds.set(typeId, id);
    }
    return id;
  }

  /** Allocates an object of `size` payload bytes of graph-ts type `typeId`, zeroed. */
  allocate(size: number, typeId: number) {
    const ptr = this.exports.__new(size, this.classId(typeId));
    this.bytes().fill(0, ptr, ptr + size);
    return ptr;
  }

  payloadSize(ptr: number) {
    return this.view().getUint32(ptr - 4, true);
  }

  u32(ptr: number) {
    return this.view().getUint32(ptr, true);
  }

  i32(ptr: number) {
    return this.view().getInt32(ptr, true);
  }

  u64(ptr: number) {
    return this.view().getBigUint64(ptr, true);
  }

  setU32(ptr: number, value: number) {
    this.view().setUint32(ptr, value, true);
  }

  setU64(ptr: number, value: bigint) {
    this.view().setBigUint64(ptr, value, true);
  }

  readString(ptr: number) {
    if (ptr === 0) throw new Error("null string pointer");
    const size = this.payloadSize(ptr);
    return Buffer.from(this.exports.memory.buffer, ptr, size).toString("utf16le");
  }

  writeString(value: string) {
    const encoded = Buffer.from(value, "utf16le");
    const ptr = this.allocate(encoded.length, TypeId.String);
    this.bytes().set(encoded, ptr);
    return ptr;
  }

  /** The bytes of a Uint8Array (or Bytes, Address, BigInt). */
  readBytes(ptr: number) {
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.i32(ptr + 8);
    return Uint8Array.from(this.bytes().subarray(dataStart, dataStart + byteLength));
  }

  writeBytes(value: Uint8Array) {
    const buffer = this.allocate(value.length, TypeId.ArrayBuffer);
    this.bytes().set(value, buffer);
    const ptr = this.allocate(12, TypeId.Uint8Array);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, value.length);
    return ptr;
  }

  /** graph-ts's BigInt: signed, little-endian, two's complement, as few bytes as keep the sign. */
  readBigInt(ptr: number) {
    const bytes = this.readBytes(ptr);
    if (bytes.length === 0) return 0n;
    let value = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
    if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(8 * bytes.length);
    return value;
  }

  writeBigInt(value: bigint) {
    const bytes: number[] = [];
    let rest = value;
    for (;;) {
      const byte = Number(rest & 0xffn);
      bytes.push(byte);
      rest >>= 8n; // arithmetic shift: -1 stays -1
      const signBit = (byte & 0x80) !== 0;
      if ((rest === 0n && !signBit) || (rest === -1n && signBit)) break;
    }
    return this.writeBytes(Uint8Array.from(bytes));
  }

  /** The element pointers (or u32 words) of an Array of a reference type. */
  readPointerArray(ptr: number) {
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    return Array.from({ length }, (_, i) => this.u32(dataStart + 4 * i));
  }

  writePointerArray(pointers: number[], typeId: number) {
    const buffer = this.allocate(4 * pointers.length, TypeId.ArrayBuffer);
    pointers.forEach((p, i) => this.setU32(buffer + 4 * i, p));
    const ptr = this.allocate(16, typeId);
    this.setU32(ptr, buffer);
    this.setU32(ptr + 4, buffer);
    this.setU32(ptr + 8, 4 * pointers.length);
    this.setU32(ptr + 12, pointers.length);
    return ptr;
  }

  /** An object whose fields are all pointers (or u32s), in declaration order. */
  writeObject(fields: number[], typeId: number) {
    const ptr = this.allocate(4 * fields.length, typeId);
    fields.forEach((f, i) => this.setU32(ptr + 4 * i, f));
    return ptr;
  }

  /** An enum-like class { kind: i32, data: u64 } (ethereum.Value, store Value). */
  writeEnum(kind: number, data: bigint, typeId: number) {
    const ptr = this.allocate(16, typeId);
    this.setU32(ptr, kind);
    this.setU64(ptr + 8, data);
    return ptr;
  }

  readEnum(ptr: number) {
    return { kind: this.i32(ptr), data: this.u64(ptr + 8) };
  }
}
