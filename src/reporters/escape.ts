/**
 * Escaping for every output format. Text in a report comes from the cluster (event
 * messages, kubectl output with ANSI colours, names) and must never break the file.
 */

/**
 * Whether XML 1.0 (§2.2 Char) allows the code point: TAB, LF, CR, U+0020–U+D7FF,
 * U+E000–U+FFFD, U+10000–U+10FFFF. Other C0 controls, lone surrogates, U+FFFE and U+FFFF
 * cannot even be written as `&#...;`.
 */
function xmlAllows(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/**
 * Replaces characters that XML 1.0 (and HTML) cannot carry with a visible `\xNN` /
 * `\uNNNN` spelling, so `ESC[31m` from coloured output stays readable as `\x1B[31m`;
 * a lone surrogate becomes U+FFFD.
 */
export function replaceIllegalChars(text: string): string {
  let out = "";
  let from = 0;
  let i = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (!xmlAllows(c)) {
      const hex = c.toString(16).toUpperCase();
      const spelled =
        c >= 0xd800 && c <= 0xdfff ? "\uFFFD" : c <= 0xff ? `\\x${hex.padStart(2, "0")}` : `\\u${hex.padStart(4, "0")}`;
      out += text.slice(from, i) + spelled;
      from = i + ch.length;
    }
    i += ch.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** XML character data (element content). */
export function xmlText(text: string): string {
  return replaceIllegalChars(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * XML attribute value (double-quoted). Tabs and line breaks are written as character
 * references because a parser would otherwise normalise them to spaces.
 */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

/** HTML text or attribute value (quotes included, so it is safe in both). */
export function html(text: string | number): string {
  return replaceIllegalChars(String(text))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * One GitHub-flavoured-markdown table cell or list item: a single line, `|` escaped so it
 * cannot split the row, HTML and emphasis characters neutralised.
 */
export function mdText(text: string): string {
  return replaceIllegalChars(text)
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([*_`[\]~#])/g, "\\$1");
}
