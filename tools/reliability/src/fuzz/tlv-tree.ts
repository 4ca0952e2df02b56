/**
 * Length-repairing structure mutation. An input that parses completely as BER-TLV (certificates,
 * CRLs, card files) becomes a tree; one node is changed — its content, its tag, its size, or it is
 * dropped, duplicated, swapped or grafted from another input — and the tree is written back with
 * every enclosing length recomputed. Mutants therefore stay well-formed on the outside and reach
 * the semantic layers (extensions, SAN fields, card-file fields) instead of failing at the first
 * length check. A dictionary of JavaScript-hostile strings (`__proto__`, `constructor`, …) probes
 * lookups keyed by decoded text.
 *
 * @example
 * ```ts
 * const tree = parseTree(certificate);
 * if (tree) mutateTree(tree, random, corpus) && serializeTree(tree);
 * ```
 */
import type { FuzzRandom } from './random.js';

export interface TlvNode {
  /** Tag bytes as they appeared (1–4 bytes). */
  tag: Uint8Array;
  /** Children for constructed nodes whose content parsed; otherwise undefined. */
  children: TlvNode[] | undefined;
  /** Content of primitive nodes (or unparsed constructed ones). */
  content: Uint8Array;
  /**
   * Bytes before the children inside a primitive wrapper that holds DER (an OCTET STRING with
   * an extension value, a BIT STRING's unused-bits octet before a key): undefined for ordinary
   * constructed nodes.
   */
  encapsulated?: Uint8Array;
}

/** Universal OCTET STRING and BIT STRING (X.680 §8.4): often wrap DER (extensions, keys). */
const TAG_OCTET_STRING = 0x04;
const TAG_BIT_STRING = 0x03;

const MAX_NODES = 2048;
const MAX_DEPTH = 24;

/** Strings that hit JavaScript pitfalls when a decoder uses them as keys or numbers. */
export const HOSTILE_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '0x10',
  '',
  ' ',
  '\u0000',
  '\u202e',
  '\ud800',
  '𠮷',
  '%00',
  '../',
];

function readNodes(
  bytes: Uint8Array,
  start: number,
  end: number,
  depth: number,
  budget: { nodes: number },
): TlvNode[] | undefined {
  const nodes: TlvNode[] = [];
  let offset = start;
  while (offset < end) {
    if (++budget.nodes > MAX_NODES) return undefined;
    const tagStart = offset;
    const first = bytes[offset++]!;
    if ((first & 0x1f) === 0x1f) {
      let count = 0;
      for (;;) {
        if (offset >= end || ++count > 3) return undefined;
        if ((bytes[offset++]! & 0x80) === 0) break;
      }
    }
    if (offset >= end) return undefined;
    const tag = bytes.subarray(tagStart, offset);
    const lengthByte = bytes[offset++]!;
    let length = lengthByte;
    if (lengthByte >= 0x80) {
      const count = lengthByte & 0x7f;
      if (count === 0 || count > 4 || offset + count > end) return undefined;
      length = 0;
      for (let index = 0; index < count; index++) length = length * 256 + bytes[offset++]!;
    }
    if (offset + length > end) return undefined;
    const content = bytes.subarray(offset, offset + length);
    let children: TlvNode[] | undefined;
    let encapsulated: Uint8Array | undefined;
    if ((first & 0x20) !== 0 && depth < MAX_DEPTH)
      children = readNodes(bytes, offset, offset + length, depth + 1, budget);
    else if (tag.length === 1 && depth < MAX_DEPTH && length > 1) {
      const skip = first === TAG_BIT_STRING && bytes[offset] === 0 ? 1 : first === TAG_OCTET_STRING ? 0 : -1;
      if (skip >= 0 && (bytes[offset + skip]! & 0x20) !== 0) {
        const inner = readNodes(bytes, offset + skip, offset + length, depth + 1, { ...budget });
        if (inner !== undefined) {
          children = inner;
          encapsulated = bytes.subarray(offset, offset + skip);
        }
      }
    }
    nodes.push({ tag, children, content, ...(encapsulated === undefined ? {} : { encapsulated }) });
    offset += length;
  }
  return nodes;
}

/** Parses `bytes` as a complete sequence of BER-TLV objects, or undefined. */
export function parseTree(bytes: Uint8Array): TlvNode[] | undefined {
  if (bytes.length === 0) return undefined;
  return readNodes(bytes, 0, bytes.length, 0, { nodes: 0 });
}

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
  return [0x80 | octets.length, ...octets];
}

function contentLength(node: TlvNode): number {
  if (node.children === undefined) return node.content.length;
  return (
    (node.encapsulated?.length ?? 0) + node.children.reduce((sum, child) => sum + serializedLength(child), 0)
  );
}

function serializedLength(node: TlvNode): number {
  const content = contentLength(node);
  return node.tag.length + lengthOctets(content).length + content;
}

function write(nodes: readonly TlvNode[], out: Uint8Array, offset: number): number {
  for (const node of nodes) {
    out.set(node.tag, offset);
    offset += node.tag.length;
    const octets = lengthOctets(contentLength(node));
    out.set(octets, offset);
    offset += octets.length;
    if (node.children === undefined) {
      out.set(node.content, offset);
      offset += node.content.length;
    } else {
      if (node.encapsulated !== undefined) {
        out.set(node.encapsulated, offset);
        offset += node.encapsulated.length;
      }
      offset = write(node.children, out, offset);
    }
  }
  return offset;
}

/** Writes the tree back with minimal (DER) lengths everywhere. */
export function serializeTree(nodes: readonly TlvNode[]): Uint8Array {
  const out = new Uint8Array(nodes.reduce((sum, node) => sum + serializedLength(node), 0));
  write(nodes, out, 0);
  return out;
}

/** A deep copy (grafts must never make a node its own ancestor). */
function clone(node: TlvNode): TlvNode {
  return {
    tag: node.tag,
    content: node.content,
    children: node.children?.map(clone),
    ...(node.encapsulated === undefined ? {} : { encapsulated: node.encapsulated }),
  };
}

/** Every node with its sibling list, depth-first. */
function flatten(
  nodes: TlvNode[],
  into: Array<{ node: TlvNode; siblings: TlvNode[] }> = [],
): Array<{ node: TlvNode; siblings: TlvNode[] }> {
  for (const node of nodes) {
    into.push({ node, siblings: nodes });
    if (node.children !== undefined) flatten(node.children, into);
  }
  return into;
}

const TAGS = [
  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x30, 0x31, 0x80, 0x81, 0x82,
  0x86, 0x87, 0xa0, 0xa1, 0xa3, 0xa4,
];
const encoder = new TextEncoder();

function newContent(random: FuzzRandom, old: Uint8Array): Uint8Array {
  switch (random.below(9)) {
    case 0:
      return encoder.encode(random.pick(HOSTILE_STRINGS));
    case 1:
      return new Uint8Array(0);
    case 2:
      return Uint8Array.of(random.pick([0x00, 0x01, 0x7f, 0x80, 0xff]));
    case 3:
      return random.bytes(random.between(1, 40));
    case 4: {
      // Inflate: the content repeated up to ~16 KiB (huge integers, exponents, strings).
      const unit = old.length > 0 ? old : Uint8Array.of(0xff);
      const copies = Math.max(1, Math.floor(random.between(256, 16_384) / unit.length));
      const out = new Uint8Array(unit.length * copies);
      for (let index = 0; index < copies; index++) out.set(unit, index * unit.length);
      return out;
    }
    case 5:
      return old.subarray(0, random.below(old.length + 1));
    case 6: {
      const out = old.slice();
      if (out.length > 0) out[random.below(out.length)]! ^= 1 << random.below(8);
      return out;
    }
    case 7:
      return encoder.encode(String(random.pick([0, 1, 3, 9, 10, 99, 1e6, -1])));
    default: {
      const out = new Uint8Array(old.length + 1);
      out.set(old);
      out[old.length] = random.below(256);
      return out;
    }
  }
}

/**
 * Changes one node of `tree` in place. Returns false when nothing applied.
 *
 * @example
 * ```ts
 * mutateTree(tree, random, [otherTree]);
 * ```
 */
export function mutateTree(tree: TlvNode[], random: FuzzRandom, donors: readonly TlvNode[][]): boolean {
  const all = flatten(tree);
  if (all.length === 0) return false;
  const { node, siblings } = random.pick(all);
  switch (random.below(7)) {
    case 0:
    case 1:
      node.children = undefined;
      delete node.encapsulated;
      node.content = newContent(random, node.content);
      return true;
    case 2:
      node.tag = Uint8Array.of(random.pick(TAGS));
      return true;
    case 3:
      siblings.splice(siblings.indexOf(node), 1);
      return true;
    case 4:
      siblings.splice(siblings.indexOf(node), 0, clone(node));
      return true;
    case 5: {
      const other = random.pick(siblings);
      const a = siblings.indexOf(node);
      const b = siblings.indexOf(other);
      siblings[a] = other;
      siblings[b] = node;
      return true;
    }
    default: {
      const donor = donors.length > 0 ? flatten(random.pick(donors)) : all;
      if (donor.length === 0) return false;
      siblings[siblings.indexOf(node)] = clone(random.pick(donor).node);
      return true;
    }
  }
}
