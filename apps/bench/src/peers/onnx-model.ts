/**
 * One-node (or few-node) ONNX models built in code: a tiny protobuf writer for the few
 * ModelProto fields needed (onnx.proto3 field numbers), so no model file and no protobuf
 * dependency. Browser-safe.
 */
import type { OpId } from '../workloads.js';

const enc = new TextEncoder();

class Writer {
  private readonly parts: number[] = [];
  varint(v: number | bigint): this {
    let n = BigInt.asUintN(64, BigInt(v));
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) b |= 0x80;
      this.parts.push(b);
    } while (n > 0n);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): this {
    return this.tag(field, 0).varint(v);
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  str(field: number, s: string): this {
    return this.bytes(field, enc.encode(s));
  }
  msg(field: number, w: Writer): this {
    return this.bytes(field, w.finish());
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    for (const x of b) this.parts.push(x);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** TensorProto.DataType */
export const FLOAT = 1;
export const INT64 = 7;
export const BOOL = 9;

interface ValueInfo {
  name: string;
  type: number;
  dims: number[];
}

interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: { name: string; int?: number; str?: string }[];
}

interface Init {
  name: string;
  type: number;
  dims: number[];
  raw: Uint8Array;
}

function valueInfo(v: ValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.dims) shape.msg(1, new Writer().int(1, d));
  const tensorType = new Writer().int(1, v.type).msg(2, shape);
  return new Writer().str(1, v.name).msg(2, new Writer().msg(1, tensorType));
}

function node(n: Node, i: number): Writer {
  const w = new Writer();
  for (const x of n.inputs) w.str(1, x);
  for (const x of n.outputs) w.str(2, x);
  w.str(3, `n${i}`).str(4, n.op);
  for (const a of n.attrs ?? []) {
    const aw = new Writer().str(1, a.name);
    if (a.int !== undefined) aw.int(3, a.int).int(20, 2);
    else if (a.str !== undefined) aw.bytes(4, enc.encode(a.str)).int(20, 3);
    w.msg(5, aw);
  }
  return w;
}

function initializer(t: Init): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  return w.int(2, t.type).str(8, t.name).bytes(9, t.raw);
}

export function buildModel(g: {
  nodes: Node[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  inits?: Init[];
  opset?: number;
}): Uint8Array {
  const graph = new Writer();
  g.nodes.forEach((n, i) => {
    graph.msg(1, node(n, i));
  });
  graph.str(2, 'softmax_kit_bench');
  for (const t of g.inits ?? []) graph.msg(5, initializer(t));
  for (const v of g.inputs) graph.msg(11, valueInfo(v));
  for (const v of g.outputs) graph.msg(12, valueInfo(v));
  return new Writer()
    .int(1, 8) // ir_version 8
    .str(2, 'softmax-kit-bench')
    .msg(7, graph)
    .msg(8, new Writer().str(1, '').int(2, g.opset ?? 17))
    .finish();
}

const f32 = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);
const i64 = (v: number[]) => new Uint8Array(new BigInt64Array(v.map((x) => BigInt(x))).buffer);

/** Input / output names of the models below. */
export interface ModelSpec {
  model: Uint8Array;
  /** graph input names, in the order: main tensor, then the second input if any */
  inputs: string[];
  outputs: string[];
  /** what the graph computes (for the report) */
  doc: string;
}

/**
 * The model for an op on a [rows, cols] float32 input, last axis:
 * softmax: Softmax(axis=-1); logSoftmax: LogSoftmax(axis=-1); maskedSoftmax: Where(M, X, -inf)
 * then Softmax; softmaxBackward: Y * (DY - ReduceSum(DY * Y, -1, keepdims)); crossEntropy:
 * SoftmaxCrossEntropyLoss(mean) for the loss and (Softmax(X) - OneHot(labels)) / rows for the grad.
 */
export function modelFor(op: OpId, rows: number, cols: number): ModelSpec {
  const shape = [rows, cols];
  const X = { name: 'X', type: FLOAT, dims: shape };
  const Y = { name: 'Y', type: FLOAT, dims: shape };
  switch (op) {
    case 'softmax':
    case 'logSoftmax': {
      const kind = op === 'softmax' ? 'Softmax' : 'LogSoftmax';
      return {
        model: buildModel({
          nodes: [{ op: kind, inputs: ['X'], outputs: ['Y'], attrs: [{ name: 'axis', int: -1 }] }],
          inputs: [X],
          outputs: [Y],
        }),
        inputs: ['X'],
        outputs: ['Y'],
        doc: `one ${kind} node (axis -1)`,
      };
    }
    case 'maskedSoftmax':
      return {
        model: buildModel({
          nodes: [
            { op: 'Where', inputs: ['M', 'X', 'NEG_INF'], outputs: ['XM'] },
            { op: 'Softmax', inputs: ['XM'], outputs: ['Y'], attrs: [{ name: 'axis', int: -1 }] },
          ],
          inputs: [X, { name: 'M', type: BOOL, dims: shape }],
          outputs: [Y],
          inits: [{ name: 'NEG_INF', type: FLOAT, dims: [], raw: f32([Number.NEGATIVE_INFINITY]) }],
        }),
        inputs: ['X', 'M'],
        outputs: ['Y'],
        doc: 'Where(mask, x, -inf) then Softmax',
      };
    case 'softmaxBackward':
      return {
        model: buildModel({
          nodes: [
            { op: 'Mul', inputs: ['DY', 'Y'], outputs: ['P'] },
            { op: 'ReduceSum', inputs: ['P', 'AXES'], outputs: ['S'], attrs: [{ name: 'keepdims', int: 1 }] },
            { op: 'Sub', inputs: ['DY', 'S'], outputs: ['D'] },
            { op: 'Mul', inputs: ['Y', 'D'], outputs: ['DX'] },
          ],
          inputs: [Y, { name: 'DY', type: FLOAT, dims: shape }],
          outputs: [{ name: 'DX', type: FLOAT, dims: shape }],
          inits: [{ name: 'AXES', type: INT64, dims: [1], raw: i64([-1]) }],
        }),
        inputs: ['Y', 'DY'],
        outputs: ['DX'],
        doc: 'composed: Y * (DY - ReduceSum(DY * Y, -1)) (standard ONNX has no SoftmaxGrad)',
      };
    case 'crossEntropy':
      return {
        model: buildModel({
          nodes: [
            {
              op: 'SoftmaxCrossEntropyLoss',
              inputs: ['X', 'L'],
              outputs: ['LOSS'],
              attrs: [{ name: 'reduction', str: 'mean' }],
            },
            { op: 'Softmax', inputs: ['X'], outputs: ['P'], attrs: [{ name: 'axis', int: -1 }] },
            {
              op: 'OneHot',
              inputs: ['L', 'DEPTH', 'VALUES'],
              outputs: ['OH'],
              attrs: [{ name: 'axis', int: -1 }],
            },
            { op: 'Sub', inputs: ['P', 'OH'], outputs: ['G0'] },
            { op: 'Mul', inputs: ['G0', 'SCALE'], outputs: ['G'] },
          ],
          inputs: [X, { name: 'L', type: INT64, dims: [rows] }],
          outputs: [
            { name: 'LOSS', type: FLOAT, dims: [] },
            { name: 'G', type: FLOAT, dims: shape },
          ],
          inits: [
            { name: 'DEPTH', type: INT64, dims: [], raw: i64([cols]) },
            { name: 'VALUES', type: FLOAT, dims: [2], raw: f32([0, 1]) },
            { name: 'SCALE', type: FLOAT, dims: [], raw: f32([1 / rows]) },
          ],
        }),
        inputs: ['X', 'L'],
        outputs: ['LOSS', 'G'],
        doc: 'SoftmaxCrossEntropyLoss(mean) + (Softmax(X) - OneHot(labels)) / rows for the grad',
      };
  }
}
