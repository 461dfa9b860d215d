import { ReportError, lineColumn } from "./errors.js";

/** An XML element: enough of XML for JUnit reports (elements, attributes, text, CDATA, comments). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string, fail: (offset: number, problem: string) => never, base: number): string {
  if (!s.includes("&")) return s;
  return s.replace(/&([^;&\s]{0,10});?/g, (match, name: string, offset: number) => {
    if (!match.endsWith(";")) fail(base + offset, `unterminated entity "${match}"`);
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const named = NAMED[name];
    if (named === undefined) fail(base + offset, `unknown entity "&${name};"`);
    return named;
  });
}

/** Parses an XML document into its root element. Errors name the file, line and column. */
export function parseXml(xml: string, file: string): XmlElement {
  const fail = (offset: number, problem: string): never => {
    const { line, column } = lineColumn(xml, offset);
    throw new ReportError(file, `line ${line}, column ${column}`, `not valid XML: ${problem}`);
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, fail, i);
      else if (raw.trim() !== "") fail(i, "text outside the root element");
    }
    if (lt === -1) break;
    if (xml.startsWith("<!--", lt)) {
      const end = xml.indexOf("-->", lt + 4);
      if (end === -1) fail(lt, "unterminated comment");
      i = end + 3;
    } else if (xml.startsWith("<![CDATA[", lt)) {
      const end = xml.indexOf("]]>", lt + 9);
      if (end === -1) fail(lt, "unterminated CDATA section");
      const top = stack[stack.length - 1];
      if (!top) fail(lt, "CDATA outside the root element");
      top!.text += xml.slice(lt + 9, end);
      i = end + 3;
    } else if (xml.startsWith("<?", lt)) {
      const end = xml.indexOf("?>", lt + 2);
      if (end === -1) fail(lt, "unterminated processing instruction");
      i = end + 2;
    } else if (xml.startsWith("<!DOCTYPE", lt)) {
      if (xml.slice(lt, xml.indexOf(">", lt)).includes("[")) fail(lt, "DOCTYPE with an internal subset is not accepted in a test report");
      const end = xml.indexOf(">", lt);
      if (end === -1) fail(lt, "unterminated DOCTYPE");
      i = end + 1;
    } else if (xml[lt + 1] === "/") {
      const end = xml.indexOf(">", lt);
      if (end === -1) fail(lt, "unterminated closing tag");
      const name = xml.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top) fail(lt, `closing tag </${name}> without an opening tag`);
      if (top!.name !== name) fail(lt, `expected </${top!.name}> but found </${name}>`);
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(lt, lt + 200));
      if (!m) fail(lt, "expected an element name after <");
      const el: XmlElement = { name: m![1]!, attrs: {}, children: [], text: "" };
      let p = lt + m![0].length;
      const attrRe = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')|\s*(\/?>)/y;
      for (;;) {
        attrRe.lastIndex = p;
        const a = attrRe.exec(xml);
        if (!a) fail(p, `malformed attribute or tag <${el.name}>`);
        p = attrRe.lastIndex;
        if (a![5]) {
          const parent = stack[stack.length - 1];
          if (parent) parent.children.push(el);
          else if (root) fail(lt, "a second root element");
          else root = el;
          if (a![5] === ">") stack.push(el);
          break;
        }
        el.attrs[a![1]!] = decodeEntities(a![3] ?? a![4] ?? "", fail, p);
      }
      i = p;
    }
  }
  if (stack.length > 0) fail(xml.length, `element <${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) fail(0, "no root element");
  return root!;
}
