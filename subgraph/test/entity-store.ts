/**
 * The entity store the host gives the mappings, with the checks graph-node makes when a handler
 * saves an entity (graph-node's entity validation against the schema): only fields the schema
 * declares, no derived fields, every non-null field set, each value of its field's type, enum
 * values from the enum, and an immutable entity never written twice.
 */

/** graph-ts's store ValueKind (common/value.ts). */
export const StoreKind = {
  STRING: 0,
  INT: 1,
  BIGDECIMAL: 2,
  BOOL: 3,
  ARRAY: 4,
  NULL: 5,
  BYTES: 6,
  BIGINT: 7,
  INT8: 8,
  TIMESTAMP: 9,
} as const;

export type StoreValue =
  | { kind: typeof StoreKind.STRING; value: string }
  | { kind: typeof StoreKind.INT; value: number }
  | { kind: typeof StoreKind.BOOL; value: boolean }
  | { kind: typeof StoreKind.NULL }
  | { kind: typeof StoreKind.BYTES; value: Uint8Array }
  | { kind: typeof StoreKind.BIGINT; value: bigint }
  | { kind: typeof StoreKind.INT8; value: bigint }
  | { kind: typeof StoreKind.TIMESTAMP; value: bigint }
  | { kind: typeof StoreKind.BIGDECIMAL; value: string }
  | { kind: typeof StoreKind.ARRAY; value: StoreValue[] };

export type EntityData = Map<string, StoreValue>;

interface FieldSpec {
  type: string;
  list: boolean;
  required: boolean;
  derived: boolean;
}

interface EntitySpec {
  immutable: boolean;
  fields: Map<string, FieldSpec>;
}

/** The entity types and enums of a schema.graphql (the subset of GraphQL SDL subgraphs use). */
export function parseSchema(sdl: string) {
  const text = sdl
    .replace(/"""[\s\S]*?"""/g, "")
    .replace(/"[^"\n]*"/g, "")
    .replace(/#.*$/gm, "");
  const entities = new Map<string, EntitySpec>();
  const enums = new Map<string, Set<string>>();
  for (const match of text.matchAll(/\b(type|enum)\s+(\w+)\s*([^{]*)\{([^}]*)\}/g)) {
    const [, keyword, name, directives, body] = match;
    if (keyword === "enum") {
      enums.set(name!, new Set(body!.split(/\s+/).filter(Boolean)));
      continue;
    }
    const fields = new Map<string, FieldSpec>();
    for (const line of body!.split("\n")) {
      const field = /^\s*(\w+)\s*:\s*(\[?)\s*(\w+)!?\s*\]?\s*(!?)\s*(.*)$/.exec(line);
      if (!field) continue;
      const [, fieldName, list, type, outerBang, rest] = field;
      const required = list ? outerBang === "!" : /:\s*\w+!/.test(line);
      fields.set(fieldName!, { type: type!, list: list === "[", required, derived: rest!.includes("@derivedFrom") });
    }
    entities.set(name!, { immutable: /immutable:\s*true/.test(directives!), fields });
  }
  return { entities, enums };
}

export class EntityStore {
  private readonly tables = new Map<string, Map<string, EntityData>>();
  private readonly schema: ReturnType<typeof parseSchema>;

  constructor(schemaText: string) {
    this.schema = parseSchema(schemaText);
  }

  get(entityType: string, id: string): EntityData | undefined {
    return this.tables.get(entityType)?.get(id);
  }

  set(entityType: string, id: string, data: EntityData) {
    const spec = this.schema.entities.get(entityType);
    if (!spec) throw new Error(`store.set: no entity type ${entityType} in the schema`);
    const where = `${entityType} ${id}`;
    const idValue = data.get("id");
    if (!idValue || !("value" in idValue) || this.idText(idValue) !== id) {
      throw new Error(`store.set: ${where}: the id field does not match the id`);
    }
    for (const [field, value] of data) {
      const fieldSpec = spec.fields.get(field);
      if (!fieldSpec) throw new Error(`store.set: ${where}: no field ${field} in the schema`);
      if (fieldSpec.derived) throw new Error(`store.set: ${where}: ${field} is derived and cannot be set`);
      this.checkValue(where, field, fieldSpec, value);
    }
    for (const [field, fieldSpec] of spec.fields) {
      if (fieldSpec.derived || !fieldSpec.required) continue;
      const value = data.get(field);
      if (!value || value.kind === StoreKind.NULL)
        throw new Error(`store.set: ${where}: missing required field ${field}`);
    }
    let table = this.tables.get(entityType);
    if (!table) this.tables.set(entityType, (table = new Map()));
    if (spec.immutable && table.has(id)) throw new Error(`store.set: ${where} is immutable and was already written`);
    table.set(id, new Map(data));
  }

  /** All entities of a type, as plain objects (BigInt as bigint, Bytes as lower-case hex). */
  all(entityType: string) {
    return [...(this.tables.get(entityType)?.values() ?? [])].map(plain);
  }

  one(entityType: string, id: string) {
    const data = this.get(entityType, id);
    return data ? plain(data) : undefined;
  }

  private idText(value: StoreValue) {
    if (value.kind === StoreKind.STRING) return value.value;
    if (value.kind === StoreKind.BYTES) return hex(value.value);
    throw new Error(`an id of kind ${value.kind}`);
  }

  private checkValue(where: string, field: string, spec: FieldSpec, value: StoreValue) {
    if (value.kind === StoreKind.NULL) {
      if (spec.required) throw new Error(`store.set: ${where}: ${field} is non-null but set to null`);
      return;
    }
    if (spec.list) {
      if (value.kind !== StoreKind.ARRAY) throw new Error(`store.set: ${where}: ${field} must be a list`);
      return;
    }
    const expected = this.kindOf(spec.type);
    if (value.kind !== expected) {
      throw new Error(`store.set: ${where}: ${field} (${spec.type}) set with a value of kind ${value.kind}`);
    }
    const values = this.schema.enums.get(spec.type);
    if (values && value.kind === StoreKind.STRING && !values.has(value.value)) {
      throw new Error(`store.set: ${where}: ${field} = ${value.value} is not a ${spec.type}`);
    }
  }

  /** The store kind a GraphQL type is saved as (a reference: the referenced entity's id type). */
  private kindOf(type: string): number {
    switch (type) {
      case "ID":
      case "String":
        return StoreKind.STRING;
      case "Int":
        return StoreKind.INT;
      case "BigInt":
        return StoreKind.BIGINT;
      case "Boolean":
        return StoreKind.BOOL;
      case "Bytes":
        return StoreKind.BYTES;
      case "BigDecimal":
        return StoreKind.BIGDECIMAL;
      case "Int8":
        return StoreKind.INT8;
      case "Timestamp":
        return StoreKind.TIMESTAMP;
    }
    if (this.schema.enums.has(type)) return StoreKind.STRING;
    const referenced = this.schema.entities.get(type);
    if (!referenced) throw new Error(`unknown type ${type}`);
    return this.kindOf(referenced.fields.get("id")!.type);
  }
}

export function hex(bytes: Uint8Array) {
  return "0x" + Buffer.from(bytes).toString("hex");
}

type PlainValue = string | number | boolean | bigint | null | PlainValue[];

function plainValue(value: StoreValue): PlainValue {
  switch (value.kind) {
    case StoreKind.NULL:
      return null;
    case StoreKind.BYTES:
      return hex(value.value);
    case StoreKind.ARRAY:
      return value.value.map(plainValue);
    default:
      return value.value;
  }
}

function plain(data: EntityData) {
  return Object.fromEntries([...data].map(([k, v]) => [k, plainValue(v)])) as Record<string, PlainValue>;
}
