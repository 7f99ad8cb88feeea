import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

type GraphProto = InstanceType<typeof onnx.GraphProto>;
type AttributeProto = InstanceType<typeof onnx.AttributeProto>;

/** ONNX's element type codes used here (`TensorProto.DataType`). */
export const ElementType = { float: 1, int64: 7, bool: 9 } as const;

/** A tensor input or output: its name, element type and dimensions (a string for a symbolic one). */
export type ValueSpec = { readonly name: string; readonly type: number; readonly dims: readonly (number | string)[] };

/** A constant tensor of the graph. */
export type InitializerSpec = {
  readonly name: string;
  readonly type: number;
  readonly dims: readonly number[];
  readonly floats?: Float32Array;
  readonly ints?: readonly number[];
  readonly bools?: readonly boolean[];
};

/** One node: an operator, its inputs and outputs, and its attributes (integers, floats or a graph). */
export type NodeSpec = {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, number | bigint | GraphSpec>>;
};

export type GraphSpec = {
  readonly name: string;
  readonly inputs: readonly ValueSpec[];
  readonly outputs: readonly ValueSpec[];
  readonly initializers?: readonly InitializerSpec[];
  readonly nodes: readonly NodeSpec[];
};

/** The ONNX opset the models are written for. */
export const OPSET = 13;

/**
 * Serialises a graph as an ONNX model (IR version 8, default-domain opset 13): the bytes a miner
 * publishes and a validator loads. A thin layer over the `onnx-proto` protobuf definitions.
 */
export function encodeModel(graph: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "taonet",
    opsetImport: [{ domain: "", version: OPSET }],
    graph: graphProto(graph),
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Parses model bytes; throws on bytes that are not a protobuf ModelProto. */
export function decodeModel(bytes: Uint8Array) {
  return onnx.ModelProto.decode(bytes);
}

function graphProto(graph: GraphSpec): GraphProto {
  return onnx.GraphProto.create({
    name: graph.name,
    input: graph.inputs.map(valueInfo),
    output: graph.outputs.map(valueInfo),
    initializer: (graph.initializers ?? []).map(tensor),
    node: graph.nodes.map((node, i): InstanceType<typeof onnx.NodeProto> =>
      onnx.NodeProto.create({
        opType: node.op,
        name: `${node.op.toLowerCase()}_${i}`,
        input: [...node.inputs],
        output: [...node.outputs],
        attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attribute(name, value)),
      }),
    ),
  });
}

function valueInfo(value: ValueSpec) {
  return onnx.ValueInfoProto.create({
    name: value.name,
    type: {
      tensorType: {
        elemType: value.type,
        shape: { dim: value.dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function tensor(init: InitializerSpec) {
  return onnx.TensorProto.create({
    name: init.name,
    dataType: init.type,
    dims: [...init.dims],
    ...(init.floats
      ? { rawData: new Uint8Array(init.floats.buffer, init.floats.byteOffset, init.floats.byteLength) }
      : {}),
    ...(init.ints ? { int64Data: [...init.ints] } : {}),
    ...(init.bools ? { int32Data: init.bools.map((b) => (b ? 1 : 0)) } : {}),
  });
}

function attribute(name: string, value: number | bigint | GraphSpec): AttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "object")
    return onnx.AttributeProto.create({ name, type: AttributeType.GRAPH, g: graphProto(value) });
  if (typeof value === "bigint" || Number.isInteger(value))
    return onnx.AttributeProto.create({ name, type: AttributeType.INT, i: Number(value) });
  return onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value });
}
