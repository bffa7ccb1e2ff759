/**
 * The part of Xero's `where` language the sandbox understands: comparisons of fields
 * (`Type=="ACCREC"`, `Contact.ContactID==guid("…")`, `Date>=DateTime(2025,01,01)`, `Total>100`),
 * `.Contains("…")` / `.StartsWith("…")`, joined with AND / OR / && / || and parentheses.
 * Anything else is a QueryParseException, as Xero answers a malformed filter.
 */

export class QueryParseError extends Error {}

type Value = string | number | boolean | null;
type Token = { kind: "ident" | "string" | "number" | "op" | "paren" | "comma" | "dot"; text: string; at: number };

/** Reads a record's field by a dotted path; returns numbers for money, milliseconds for dates. */
export type FieldReader = (path: string[]) => Value | undefined;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?)|(==|!=|>=|<=|&&|\|\||>|<)|([A-Za-z_][A-Za-z0-9_]*)|([()])|(,)|(\.))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(input);
    if (!m) throw new QueryParseError(`Unexpected character at position ${at}: '${input.slice(at, at + 10)}'`);
    const start = m.index + m[0].length - m[0].trimStart().length;
    if (m[1]) tokens.push({ kind: "string", text: JSON.parse(m[1]), at: start });
    else if (m[2]) tokens.push({ kind: "number", text: m[2], at: start });
    else if (m[3]) tokens.push({ kind: "op", text: m[3], at: start });
    else if (m[4]) tokens.push({ kind: "ident", text: m[4], at: start });
    else if (m[5]) tokens.push({ kind: "paren", text: m[5], at: start });
    else if (m[6]) tokens.push({ kind: "comma", text: ",", at: start });
    else tokens.push({ kind: "dot", text: ".", at: start });
    at = pattern.lastIndex;
  }
  return tokens;
}

export type Predicate = (read: FieldReader) => boolean;

/** Parses a filter; `fields` are the top-level names the entity has (others are an error, as in Xero). */
export function parseWhere(input: string, fields: ReadonlySet<string>, entity: string): Predicate {
  const tokens = tokenize(input);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (what: string): never => {
    const token = tokens[i];
    throw new QueryParseError(token ? `${what} at position ${token.at} ('${token.text}')` : `${what} at the end of the expression`);
  };
  const expect = (kind: Token["kind"], text?: string) => {
    const token = tokens[i];
    if (!token || token.kind !== kind || (text !== undefined && token.text !== text)) fail(`Expected ${text ?? kind}`);
    i++;
    return token;
  };

  function orExpr(): Predicate {
    let left = andExpr();
    while (peek() && ((peek().kind === "op" && peek().text === "||") || (peek().kind === "ident" && peek().text.toUpperCase() === "OR"))) {
      i++;
      const l = left;
      const r = andExpr();
      left = (read) => l(read) || r(read);
    }
    return left;
  }
  function andExpr(): Predicate {
    let left = term();
    while (peek() && ((peek().kind === "op" && peek().text === "&&") || (peek().kind === "ident" && peek().text.toUpperCase() === "AND"))) {
      i++;
      const l = left;
      const r = term();
      left = (read) => l(read) && r(read);
    }
    return left;
  }
  function term(): Predicate {
    const token = peek();
    if (!token) return fail("Expression expected");
    if (token.kind === "paren" && token.text === "(") {
      i++;
      const inner = orExpr();
      expect("paren", ")");
      return inner;
    }
    if (token.kind === "ident" && token.text.toUpperCase() === "NOT") {
      i++;
      const inner = term();
      return (read) => !inner(read);
    }
    const path = fieldPath();
    const next = peek();
    if (next?.kind === "dot") {
      i++;
      const method = expect("ident").text;
      expect("paren", "(");
      const arg = expect("string").text;
      expect("paren", ")");
      const test =
        method === "Contains" ? (s: string) => s.includes(arg) : method === "StartsWith" ? (s: string) => s.startsWith(arg) : method === "EndsWith" ? (s: string) => s.endsWith(arg) : fail(`No applicable method '${method}'`);
      return (read) => {
        const value = read(path);
        return typeof value === "string" && test(value);
      };
    }
    const op = expect("op").text;
    if (op === "&&" || op === "||") fail("Operator expected");
    const right = literal();
    return (read) => compare(read(path), op, right);
  }
  function fieldPath(): string[] {
    const first = expect("ident").text;
    if (!fields.has(first)) throw new QueryParseError(`No property or field '${first}' exists in type '${entity}'`);
    const path = [first];
    while (peek()?.kind === "dot" && tokens[i + 1]?.kind === "ident" && tokens[i + 2]?.kind !== "paren") {
      i++;
      path.push(expect("ident").text);
    }
    return path;
  }
  function literal(): Value {
    const token = tokens[i++];
    if (!token) return fail("Value expected");
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.kind === "ident") {
      if (token.text === "true" || token.text === "false") return token.text === "true";
      if (token.text === "null") return null;
      if (token.text === "guid" || token.text === "Guid") {
        expect("paren", "(");
        const value = expect("string").text.toLowerCase();
        expect("paren", ")");
        return value;
      }
      if (token.text === "DateTime") {
        expect("paren", "(");
        const parts = [Number(expect("number").text)];
        while (peek()?.kind === "comma") {
          i++;
          parts.push(Number(expect("number").text));
        }
        expect("paren", ")");
        if (parts.length < 3) fail("DateTime needs year, month and day");
        return Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0);
      }
    }
    i--;
    return fail("Value expected");
  }

  const predicate = orExpr();
  if (i < tokens.length) fail("Syntax error");
  return predicate;
}

function compare(left: Value | undefined, op: string, right: Value): boolean {
  const l = typeof left === "string" && typeof right === "string" && /^[0-9a-f-]{36}$/i.test(right) ? left.toLowerCase() : left;
  switch (op) {
    case "==":
      return l === right;
    case "!=":
      return l !== right;
    default: {
      if (l === null || l === undefined || right === null) return false;
      if (op === ">") return l > right;
      if (op === "<") return l < right;
      if (op === ">=") return l >= right;
      return l <= right;
    }
  }
}
