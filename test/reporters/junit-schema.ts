/**
 * The rules of the strict JUnit schema Jenkins validates against (the Ant format as its xUnit
 * plug-in defines it), written out for the tests: which attributes each element may carry,
 * which are required, and which children it may hold in which order. No attribute or
 * element of anyone's own. Returns the violations, empty when the document follows it.
 */
interface Rule {
  attrs: readonly string[];
  required?: readonly string[];
  /** Allowed children in order, each with its maximum count (Infinity: unbounded). */
  children?: readonly (readonly [string, number])[];
  /** Holds text (and no elements). */
  text?: boolean;
  /** At least one child is required (properties needs a property). */
  nonEmpty?: boolean;
}

const RULES: Record<string, Rule> = {
  testsuites: {
    attrs: ["name", "time", "tests", "failures", "disabled", "errors"],
    children: [["testsuite", Infinity]],
  },
  testsuite: {
    attrs: [
      "name",
      "tests",
      "failures",
      "errors",
      "time",
      "disabled",
      "skipped",
      "timestamp",
      "hostname",
      "id",
      "package",
    ],
    required: ["name", "tests"],
    children: [
      ["properties", 1],
      ["testcase", Infinity],
      ["system-out", 1],
      ["system-err", 1],
    ],
  },
  properties: { attrs: [], children: [["property", Infinity]], nonEmpty: true },
  property: { attrs: ["name", "value"], required: ["name", "value"], children: [] },
  testcase: {
    attrs: ["name", "assertions", "time", "classname", "status"],
    required: ["name"],
    children: [
      ["skipped", 1],
      ["error", Infinity],
      ["failure", Infinity],
      ["system-out", Infinity],
      ["system-err", Infinity],
    ],
  },
  failure: { attrs: ["type", "message"], text: true },
  error: { attrs: ["type", "message"], text: true },
  skipped: { attrs: [], text: true },
  "system-out": { attrs: [], text: true },
  "system-err": { attrs: [], text: true },
};

interface Node {
  name: string;
  attrs: string[];
  children: Node[];
}

function parse(xml: string): Node {
  const root: Node = { name: "#document", attrs: [], children: [] };
  const stack = [root];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      stack.pop();
      continue;
    }
    const node: Node = { name: name!, attrs: [...attrText!.matchAll(/([\w:.-]+)="/g)].map((a) => a[1]!), children: [] };
    stack.at(-1)!.children.push(node);
    if (!selfClose) stack.push(node);
  }
  return root;
}

function check(node: Node, path: string, out: string[]): void {
  const rule = RULES[node.name];
  if (!rule) return void out.push(`${path}: element <${node.name}> is not in the schema`);
  for (const a of node.attrs) if (!rule.attrs.includes(a)) out.push(`${path}: attribute ${a} is not allowed`);
  for (const a of rule.required ?? []) if (!node.attrs.includes(a)) out.push(`${path}: attribute ${a} is required`);
  if (rule.text && node.children.length) out.push(`${path}: holds elements, only text is allowed`);
  if (rule.nonEmpty && node.children.length === 0) out.push(`${path}: needs at least one child`);
  let slot = 0;
  let count = 0;
  const order = rule.children ?? [];
  for (const child of node.children) {
    while (slot < order.length && order[slot]![0] !== child.name) [slot, count] = [slot + 1, 0];
    if (slot === order.length) out.push(`${path}: <${child.name}> is not allowed here (or out of order)`);
    else if (++count > order[slot]![1]) out.push(`${path}: too many <${child.name}>`);
    check(child, `${path}/${child.name}`, out);
    if (slot === order.length) slot = 0;
  }
}

export function junitSchemaProblems(xml: string): string[] {
  const doc = parse(xml);
  const out: string[] = [];
  if (doc.children.length !== 1 || doc.children[0]!.name !== "testsuites") out.push("the root must be <testsuites>");
  for (const c of doc.children) check(c, c.name, out);
  return out;
}
