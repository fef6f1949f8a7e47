/**
 * A tiny, regex-free XML well-formedness checker and tree builder for the SVG tests: elements,
 * quoted attributes (no duplicates), character data, the five predefined entities and numeric
 * character references, comments and a leading `<?xml …?>` declaration. Throws on anything
 * malformed, with the offset.
 */

export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Decoded character data directly inside this element. */
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

const isNameStart = (c: string): boolean =>
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || c === ":";
const isNameChar = (c: string): boolean =>
  isNameStart(c) || (c >= "0" && c <= "9") || c === "-" || c === ".";
const isSpace = (c: string): boolean => c === " " || c === "\n" || c === "\t" || c === "\r";

export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (message: string): never => {
    throw new Error(`XML: ${message} at offset ${i}`);
  };
  const peek = (s: string): boolean => source.startsWith(s, i);
  const skipSpace = (): void => {
    while (i < source.length && isSpace(source[i] as string)) i++;
  };
  const name = (): string => {
    const start = i;
    if (!isNameStart(source[i] ?? "")) fail("expected a name");
    while (i < source.length && isNameChar(source[i] as string)) i++;
    return source.slice(start, i);
  };
  const decode = (raw: string): string => {
    let out = "";
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k] as string;
      if (c === "<") fail("raw < in character data");
      if (c !== "&") {
        const code = c.charCodeAt(0);
        if (code < 0x20 && c !== "\n" && c !== "\t" && c !== "\r") fail("control character");
        out += c;
        continue;
      }
      const end = raw.indexOf(";", k);
      if (end === -1) fail("unterminated entity");
      const ent = raw.slice(k + 1, end);
      if (ent.startsWith("#x")) out += String.fromCodePoint(Number.parseInt(ent.slice(2), 16));
      else if (ent.startsWith("#")) out += String.fromCodePoint(Number.parseInt(ent.slice(1), 10));
      else if (ENTITIES[ent] !== undefined) out += ENTITIES[ent];
      else fail(`unknown entity &${ent};`);
      k = end;
    }
    return out;
  };
  const misc = (): void => {
    for (;;) {
      skipSpace();
      if (peek("<!--")) {
        const end = source.indexOf("-->", i);
        if (end === -1) fail("unterminated comment");
        i = end + 3;
      } else return;
    }
  };
  const element = (): XmlElement => {
    if (!peek("<")) fail("expected <");
    i++;
    const tag = name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (peek("/>")) {
        i += 2;
        return { name: tag, attrs, children: [], text: "" };
      }
      if (peek(">")) {
        i++;
        break;
      }
      if (i === before) fail("expected whitespace before an attribute");
      const attr = name();
      if (attr in attrs) fail(`duplicate attribute ${attr}`);
      skipSpace();
      if (!peek("=")) fail("expected =");
      i++;
      skipSpace();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail("expected a quoted value");
      const end = source.indexOf(quote as string, i + 1);
      if (end === -1) fail("unterminated attribute value");
      attrs[attr] = decode(source.slice(i + 1, end));
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = "";
    for (;;) {
      if (i >= source.length) fail(`unclosed <${tag}>`);
      if (peek("</")) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (!peek(">")) fail("expected >");
        i++;
        return { name: tag, attrs, children, text };
      }
      if (peek("<!--")) {
        const end = source.indexOf("-->", i);
        if (end === -1) fail("unterminated comment");
        i = end + 3;
        continue;
      }
      if (peek("<")) {
        children.push(element());
        continue;
      }
      const next = source.indexOf("<", i);
      const end = next === -1 ? source.length : next;
      text += decode(source.slice(i, end));
      i = end;
    }
  };
  if (peek("<?xml")) {
    const end = source.indexOf("?>", i);
    if (end === -1) fail("unterminated declaration");
    i = end + 2;
  }
  misc();
  const root = element();
  misc();
  if (i !== source.length) fail("content after the root element");
  return root;
}

/** Every element of the tree, depth first. */
export function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const child of root.children) out.push(...allElements(child));
  return out;
}

/** Elements whose `class` attribute contains `cls`. */
export function byClass(root: XmlElement, cls: string): XmlElement[] {
  return allElements(root).filter((e) => (e.attrs.class ?? "").split(" ").includes(cls));
}

/** All character data under an element. */
export function textOf(el: XmlElement): string {
  return el.text + el.children.map(textOf).join("");
}
