/**
 * A recogniser for the few statement shapes the ConcordDb extractor sends, not a SQL engine:
 *   SELECT [TOP (n)] <columns> FROM [dbo].[T] [WHERE [ID] > v] [ORDER BY [ID]]
 *   SELECT <columns> FROM CHANGETABLE(CHANGES [dbo].[T], v) AS CT
 *     LEFT [OUTER] JOIN [dbo].[T] AS T ON T.[ID] = CT.[ID] [WHERE CT.[ID] > v] [ORDER BY CT.[ID]]
 *   SELECT <expressions without FROM> (CHANGE_TRACKING_CURRENT_VERSION(), …_MIN_VALID_VERSION(OBJECT_ID(…)), literals)
 * where a column is `[alias.]col`, `CAST(col AS nvarchar(n|max))` or `CONVERT(nvarchar(n|max), col[, style])`,
 * optionally `AS [name]`, and v, n are @parameters or integer literals. Anything else is refused
 * with an error that quotes the statement.
 */

export type Token =
  | { kind: "word"; text: string; bracketed: boolean }
  | { kind: "number"; text: string }
  | { kind: "string"; text: string }
  | { kind: "param"; text: string }
  | { kind: "symbol"; text: string };

export class SqlSyntaxError extends Error {}

/** T-SQL reserved words that must be bracketed to be used as names ([Order], [User], [Key] in ConcordDb). */
const RESERVED = new Set([
  "add", "all", "alter", "and", "any", "as", "asc", "between", "by", "case", "cast", "check", "column", "convert", "create",
  "delete", "desc", "distinct", "drop", "else", "end", "exec", "exists", "from", "full", "group", "having", "in", "index",
  "inner", "insert", "into", "is", "join", "key", "left", "like", "not", "null", "on", "or", "order", "outer", "primary",
  "right", "select", "set", "table", "top", "union", "update", "user", "values", "when", "where",
]);

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError("Unclosed quotation mark after the character string '['.");
        if (sql[j] === "]") {
          if (sql[j + 1] === "]") {
            text += "]";
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      tokens.push({ kind: "word", text, bracketed: true });
      i = j + 1;
      continue;
    }
    if ((c === "N" || c === "n") && sql[i + 1] === "'") i++;
    if (sql[i] === "'") {
      let j = i + 1;
      let text = "";
      for (;;) {
        if (j >= sql.length) throw new SqlSyntaxError("Unclosed quotation mark after the character string.");
        if (sql[j] === "'") {
          if (sql[j + 1] === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      tokens.push({ kind: "string", text });
      i = j + 1;
      continue;
    }
    const word = /^(@@?[A-Za-z_][\w$#@]*|[A-Za-z_#][\w$#@]*|\d+(?:\.\d+)?|>=|<=|<>|[(),.*=<>;+-])/.exec(sql.slice(i, i + 200));
    if (!word) throw new SqlSyntaxError(`Incorrect syntax near '${sql.slice(i, i + 20)}'.`);
    const text = word[0];
    if (text.startsWith("@") && !text.startsWith("@@")) tokens.push({ kind: "param", text: text.slice(1).toLowerCase() });
    else if (/^\d/.test(text)) tokens.push({ kind: "number", text });
    else if (/^[@A-Za-z_#]/.test(text)) tokens.push({ kind: "word", text, bracketed: false });
    else tokens.push({ kind: "symbol", text });
    i += text.length;
  }
  return tokens;
}

/** Token-wise equality, case-insensitive for words, for matching the fixed catalog statements. */
export function sameStatement(a: Token[], b: Token[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => t.kind === b[i].kind && (t.kind === "string" ? t.text === b[i].text : t.text.toLowerCase() === b[i].text.toLowerCase()));
}

export type Value = { kind: "param"; name: string } | { kind: "number"; value: bigint } | { kind: "string"; value: string };

export interface ColumnRef {
  qualifier?: string;
  name: string;
}

export type Expression =
  | { kind: "column"; ref: ColumnRef }
  | { kind: "star"; qualifier?: string }
  | { kind: "cast"; ref: ColumnRef; target: TargetType; style?: number }
  | { kind: "literal"; value: Value }
  | { kind: "ct_current_version" }
  | { kind: "ct_min_valid_version"; object: Value };

export interface TargetType {
  name: "nvarchar";
  length: number | "max";
}

export interface SelectItem {
  expression: Expression;
  alias?: string;
}

export interface TableName {
  schema: string;
  name: string;
}

export type SelectSource =
  | { kind: "table"; table: TableName; alias?: string }
  | { kind: "changes"; table: TableName; since: Value; changesAlias: string; rowAlias: string };

export interface SelectStatement {
  top?: Value;
  items: SelectItem[];
  source?: SelectSource;
  /** `WHERE [q.]ID > v`. */
  after?: { ref: ColumnRef; value: Value };
  orderBy?: ColumnRef;
}

class Parser {
  private at = 0;
  constructor(private tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === "word" && !t.bracketed && t.text.toLowerCase() === text;
  }

  private isSymbol(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === "symbol" && t.text === text;
  }

  private near(): string {
    const t = this.peek();
    return t ? `Incorrect syntax near '${t.text}'.` : "Incorrect syntax near the end of the statement.";
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) throw new SqlSyntaxError(this.near());
    this.at++;
  }

  private expectSymbol(text: string): void {
    if (!this.isSymbol(text)) throw new SqlSyntaxError(this.near());
    this.at++;
  }

  /** A name: bracketed, or plain and not a reserved word. */
  private name(): string {
    const t = this.peek();
    if (t?.kind !== "word") throw new SqlSyntaxError(this.near());
    if (!t.bracketed && RESERVED.has(t.text.toLowerCase())) throw new SqlSyntaxError(`Incorrect syntax near the keyword '${t.text}'.`);
    this.at++;
    return t.text;
  }

  private value(): Value {
    const t = this.peek();
    if (t?.kind === "param") {
      this.at++;
      return { kind: "param", name: t.text };
    }
    if (t?.kind === "number" && /^\d+$/.test(t.text)) {
      this.at++;
      return { kind: "number", value: BigInt(t.text) };
    }
    if (t?.kind === "symbol" && t.text === "-" && this.peek(1)?.kind === "number") {
      this.at += 2;
      return { kind: "number", value: -BigInt(this.tokens[this.at - 1].text) };
    }
    if (t?.kind === "string") {
      this.at++;
      return { kind: "string", value: t.text };
    }
    throw new SqlSyntaxError(this.near());
  }

  private tableName(): TableName {
    const first = this.name();
    if (this.isSymbol(".")) {
      this.at++;
      return { schema: first, name: this.name() };
    }
    return { schema: "dbo", name: first };
  }

  private columnRef(): ColumnRef {
    const first = this.name();
    if (this.isSymbol(".")) {
      this.at++;
      return { qualifier: first, name: this.name() };
    }
    return { name: first };
  }

  private targetType(): TargetType {
    const t = this.peek();
    if (t?.kind !== "word" || t.text.toLowerCase() !== "nvarchar") {
      throw new SqlSyntaxError(`The sandbox converts to nvarchar only, not to ${t?.text ?? "(nothing)"}.`);
    }
    this.at++;
    this.expectSymbol("(");
    let length: number | "max";
    if (this.isWord("max")) {
      this.at++;
      length = "max";
    } else {
      const n = this.peek();
      if (n?.kind !== "number") throw new SqlSyntaxError(this.near());
      this.at++;
      length = Number(n.text);
      if (length < 1 || length > 4000) throw new SqlSyntaxError(`The size (${length}) given to the type 'nvarchar' exceeds the maximum allowed (4000).`);
    }
    this.expectSymbol(")");
    return { name: "nvarchar", length };
  }

  private expression(): Expression {
    if (this.isSymbol("*")) {
      this.at++;
      return { kind: "star" };
    }
    if (this.isWord("cast")) {
      this.at++;
      this.expectSymbol("(");
      const ref = this.columnRef();
      this.expectWord("as");
      const target = this.targetType();
      this.expectSymbol(")");
      return { kind: "cast", ref, target };
    }
    if (this.isWord("convert")) {
      this.at++;
      this.expectSymbol("(");
      const target = this.targetType();
      this.expectSymbol(",");
      const ref = this.columnRef();
      let style: number | undefined;
      if (this.isSymbol(",")) {
        this.at++;
        const s = this.peek();
        if (s?.kind !== "number") throw new SqlSyntaxError(this.near());
        this.at++;
        style = Number(s.text);
      }
      this.expectSymbol(")");
      return { kind: "cast", ref, target, style };
    }
    if (this.isWord("change_tracking_current_version")) {
      this.at++;
      this.expectSymbol("(");
      this.expectSymbol(")");
      return { kind: "ct_current_version" };
    }
    if (this.isWord("change_tracking_min_valid_version")) {
      this.at++;
      this.expectSymbol("(");
      this.expectWord("object_id");
      this.expectSymbol("(");
      const object = this.value();
      this.expectSymbol(")");
      this.expectSymbol(")");
      return { kind: "ct_min_valid_version", object };
    }
    const t = this.peek();
    if (t?.kind === "number" || t?.kind === "string" || t?.kind === "param") return { kind: "literal", value: this.value() };
    const ref = this.columnRef();
    if (this.isSymbol(".") && this.isSymbol("*", 1)) {
      this.at += 2;
      return { kind: "star", qualifier: ref.name };
    }
    return { kind: "column", ref };
  }

  private alias(): string | undefined {
    if (this.isWord("as")) {
      this.at++;
      return this.name();
    }
    const t = this.peek();
    if (t?.kind === "word" && (t.bracketed || !RESERVED.has(t.text.toLowerCase()))) {
      this.at++;
      return t.text;
    }
    return undefined;
  }

  select(): SelectStatement {
    this.expectWord("select");
    const statement: SelectStatement = { items: [] };
    if (this.isWord("top")) {
      this.at++;
      this.expectSymbol("(");
      statement.top = this.value();
      this.expectSymbol(")");
    }
    do {
      if (statement.items.length) this.at++;
      const expression = this.expression();
      statement.items.push({ expression, alias: this.alias() });
    } while (this.isSymbol(","));
    if (this.isWord("from")) {
      this.at++;
      if (this.isWord("changetable")) {
        this.at++;
        this.expectSymbol("(");
        this.expectWord("changes");
        const table = this.tableName();
        this.expectSymbol(",");
        const since = this.value();
        this.expectSymbol(")");
        this.expectWord("as");
        const changesAlias = this.name();
        this.expectWord("left");
        if (this.isWord("outer")) this.at++;
        this.expectWord("join");
        const joined = this.tableName();
        if (joined.name.toLowerCase() !== table.name.toLowerCase() || joined.schema.toLowerCase() !== table.schema.toLowerCase()) {
          throw new SqlSyntaxError(`The sandbox joins CHANGETABLE only to its own table (${table.name}), not ${joined.name}.`);
        }
        this.expectWord("as");
        const rowAlias = this.name();
        this.expectWord("on");
        const left = this.columnRef();
        this.expectSymbol("=");
        const right = this.columnRef();
        const sides = [left, right].map((r) => `${r.qualifier?.toLowerCase()}.${r.name.toLowerCase()}`).sort();
        const expected = [`${changesAlias.toLowerCase()}.id`, `${rowAlias.toLowerCase()}.id`].sort();
        if (sides.join() !== expected.join()) throw new SqlSyntaxError("The sandbox joins CHANGETABLE on the ID column only.");
        statement.source = { kind: "changes", table, since, changesAlias, rowAlias };
      } else {
        const table = this.tableName();
        let alias: string | undefined;
        if (this.isWord("as")) {
          this.at++;
          alias = this.name();
        }
        statement.source = { kind: "table", table, alias };
      }
      if (this.isWord("where")) {
        this.at++;
        const ref = this.columnRef();
        this.expectSymbol(">");
        statement.after = { ref, value: this.value() };
      }
      if (this.isWord("order")) {
        this.at++;
        this.expectWord("by");
        statement.orderBy = this.columnRef();
        if (this.isWord("asc")) this.at++;
      }
    }
    if (this.isSymbol(";")) this.at++;
    if (this.at < this.tokens.length) throw new SqlSyntaxError(this.near());
    return statement;
  }
}

export function parseSelect(tokens: Token[]): SelectStatement {
  return new Parser(tokens).select();
}
