/**
 * A strict, minimal XML 1.0 well-formedness checker for the tests (no dependency may be
 * added): legal characters only, one root element, balanced and matching tags, quoted
 * attributes without `<` or duplicates, and only valid entity / character references.
 * Returns the problems found, empty when the document is well-formed.
 */
const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const REF = /^&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/;

function legal(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

function checkRefs(text: string, where: number, problems: string[]): void {
  for (let i = text.indexOf("&"); i !== -1; i = text.indexOf("&", i + 1)) {
    const m = REF.exec(text.slice(i, i + 12));
    if (!m) {
      problems.push(`offset ${where + i}: bad entity reference ${JSON.stringify(text.slice(i, i + 10))}`);
      continue;
    }
    const code = m[2] ? Number(m[2]) : m[3] ? parseInt(m[3], 16) : undefined;
    if (code !== undefined && !legal(code))
      problems.push(`offset ${where + i}: character reference to illegal U+${code.toString(16)}`);
  }
}

export function xmlProblems(doc: string): string[] {
  const problems: string[] = [];
  let idx = 0;
  for (const ch of doc) {
    const c = ch.codePointAt(0)!;
    if (!legal(c)) problems.push(`offset ${idx}: illegal character U+${c.toString(16).padStart(4, "0")}`);
    idx += ch.length;
  }
  const stack: string[] = [];
  let roots = 0;
  let pos = 0;
  const fail = (msg: string) => problems.push(`offset ${pos}: ${msg}`);
  while (pos < doc.length) {
    const lt = doc.indexOf("<", pos);
    const text = doc.slice(pos, lt === -1 ? doc.length : lt);
    if (stack.length === 0 && text.trim() !== "")
      fail(`text outside the root element: ${JSON.stringify(text.slice(0, 20))}`);
    if (text.includes("]]>")) fail("']]>' in character data");
    checkRefs(text, pos, problems);
    if (lt === -1) break;
    pos = lt;
    const rest = doc.slice(pos);
    const skip = (open: string, close: string) => {
      const end = doc.indexOf(close, pos + open.length);
      if (end === -1) {
        fail(`unterminated ${open}`);
        return doc.length;
      }
      return end + close.length;
    };
    if (rest.startsWith("<?")) {
      if (pos !== 0 && rest.startsWith("<?xml ")) fail("XML declaration not at the start");
      pos = skip("<?", "?>");
    } else if (rest.startsWith("<!--")) {
      const end = skip("<!--", "-->");
      if (doc.slice(pos + 4, end - 3).includes("--")) fail("'--' inside a comment");
      pos = end;
    } else if (rest.startsWith("<![CDATA[")) {
      if (stack.length === 0) fail("CDATA outside the root element");
      pos = skip("<![CDATA[", "]]>");
    } else if (rest.startsWith("<!")) {
      fail("DOCTYPE or other declaration not supported");
      pos = skip("<!", ">");
    } else if (rest.startsWith("</")) {
      const m = /^<\/([A-Za-z_:][A-Za-z0-9_.:-]*)\s*>/.exec(rest);
      if (!m) {
        fail("malformed end tag");
        return problems;
      }
      const open = stack.pop();
      if (open !== m[1]) fail(`end tag </${m[1]}> does not match <${open ?? "(none)"}>`);
      pos += m[0].length;
    } else {
      const name = NAME.exec(rest.slice(1))?.[0];
      if (!name) {
        fail("'<' not followed by a tag name (unescaped '<'?)");
        return problems;
      }
      let p = pos + 1 + name.length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(doc.slice(p))![0];
        p += ws.length;
        if (doc.startsWith("/>", p) || doc.startsWith(">", p)) break;
        if (ws === "") return [...problems, `offset ${p}: expected whitespace, '>' or '/>' in <${name}>`];
        const attr = /^([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*(["'])/.exec(doc.slice(p));
        if (!attr) return [...problems, `offset ${p}: malformed attribute in <${name}>`];
        if (seen.has(attr[1]!)) fail(`duplicate attribute ${attr[1]} in <${name}>`);
        seen.add(attr[1]!);
        const start = p + attr[0].length;
        const end = doc.indexOf(attr[2]!, start);
        if (end === -1) return [...problems, `offset ${p}: unterminated attribute value`];
        const value = doc.slice(start, end);
        if (value.includes("<")) fail(`'<' in attribute ${attr[1]} of <${name}>`);
        checkRefs(value, start, problems);
        p = end + 1;
      }
      const selfClosing = doc.startsWith("/>", p);
      if (stack.length === 0) roots += 1;
      if (!selfClosing) stack.push(name);
      pos = p + (selfClosing ? 2 : 1);
    }
  }
  if (stack.length > 0) problems.push(`unclosed elements at end: ${stack.join(" > ")}`);
  if (roots !== 1) problems.push(`expected exactly one root element, found ${roots}`);
  return problems;
}
