// The query page's editor: CodeMirror 6 with SPARQL highlighting, completion of the server's prefixes,
// vocabulary, keywords and variables, the named queries as examples, results paged in the page,
// downloads in the endpoint's formats, and the endpoint's syntax errors marked where they are.
// Everything it needs comes from the form's data attributes; it talks only to its own origin.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { lintGutter, setDiagnostics } from "@codemirror/lint";

const XSD = "http://www.w3.org/2001/XMLSchema#";
const RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
// datatypes whose values speak for themselves when the lexical form is a valid one
const EVIDENT = {
  [XSD + "string"]: /[\s\S]*/,
  [XSD + "integer"]: /^[+-]?\d+$/,
  [XSD + "decimal"]: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  [XSD + "double"]: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|-?INF)$/,
  [XSD + "float"]: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|NaN|-?INF)$/,
  [XSD + "boolean"]: /^(true|false)$/,
  [XSD + "date"]: /^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/,
  [XSD + "dateTime"]: /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
};
const NUMERIC = new Set(["integer", "decimal", "double", "float"].map((t) => XSD + t));
const KEYWORDS = (
  "SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE DISTINCT REDUCED FROM NAMED GRAPH OPTIONAL FILTER " +
  "BIND VALUES UNION MINUS SERVICE GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET AS NOT EXISTS IN " +
  "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI " +
  "STRSTARTS STRENDS CONTAINS REGEX REPLACE SUBSTR LCASE UCASE STRLEN CONCAT COALESCE IF YEAR MONTH DAY NOW"
).split(" ");
const PAGE_SIZES = [10, 25, 50, 100, 500];

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function queryForm(text) {
  const body = text.replace(/#[^\n]*/g, " ").replace(/\b(PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)/gi, " ");
  const word = /[A-Za-z]+/.exec(body);
  return word ? word[0].toUpperCase() : "";
}

function declaredPrefixes(text) {
  const out = {};
  for (const m of text.matchAll(/PREFIX\s+([^\s:]*):\s*<([^>]*)>/gi)) out[m[1]] = m[2];
  return out;
}

class Terms {
  // How an IRI is shown (a prefixed name) and where it links (our page, or the IRI if it is a web address).
  constructor(prefixes, baseIri) {
    this.prefixes = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
    this.baseIri = baseIri;
    this.basePath = new URL(baseIri).pathname;
  }
  withQuery(text) {
    const own = declaredPrefixes(text);
    return new Terms({ ...Object.fromEntries(this.prefixes), ...own, ngid: this.baseIri }, this.baseIri);
  }
  short(iri) {
    for (const [prefix, ns] of this.prefixes) {
      if (iri.startsWith(ns) && iri.length > ns.length && /^[\w.\-/%#=,]*$/.test(iri.slice(ns.length))) {
        return `${prefix}:${iri.slice(ns.length)}`;
      }
    }
    return `<${iri}>`;
  }
  href(iri) {
    const wd = /^http:\/\/www\.wikidata\.org\/entity\/(Q[1-9][0-9]*)$/.exec(iri);
    if (wd) return `/wikidata/${wd[1]}`;
    if (iri.startsWith(this.baseIri)) return this.basePath + encodeURI(iri.slice(this.baseIri.length));
    return /^https?:\/\//i.test(iri) && iri.trim() === iri ? iri : null;
  }
}

function literalNote(term, terms) {
  // The datatype or language shown beside a literal: only where it says something the value does not.
  if (term["xml:lang"]) return { note: "@" + term["xml:lang"], title: "language-tagged string" };
  const datatype = term.datatype;
  if (!datatype || datatype === RDF_LANG_STRING) return { note: "", title: "xsd:string" };
  const evident = EVIDENT[datatype];
  if (evident && evident.test(term.value)) return { note: "", title: terms.short(datatype) };
  return { note: terms.short(datatype), title: terms.short(datatype) };
}

function cell(term, terms) {
  if (!term) return el("td", { class: "unbound" }, el("span", { class: "muted" }, "–"));
  if (term.type === "uri") {
    const href = terms.href(term.value);
    const text = terms.short(term.value);
    return el("td", {}, href ? el("a", { href, title: term.value }, text) : el("span", { title: term.value }, text));
  }
  if (term.type === "bnode") return el("td", { class: "bnode" }, `_:${term.value}`);
  const { note, title } = literalNote(term, terms);
  const numeric = NUMERIC.has(term.datatype) && !note;
  return el(
    "td",
    { class: numeric ? "num" : null, title },
    term.value,
    note ? el("span", { class: "note" }, note) : null,
  );
}

// N-Triples, as the endpoint writes CONSTRUCT and DESCRIBE answers: one triple per line.
const NT_TERM = /\s*(?:<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?)/y;

function unescapeNt(text) {
  return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_m, u4, u8, c) => {
    if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
    return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] ?? c;
  });
}

function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const row = [];
    NT_TERM.lastIndex = 0;
    for (let i = 0; i < 3; i += 1) {
      const m = NT_TERM.exec(line);
      if (!m) break;
      if (m[1] !== undefined) row.push({ type: "uri", value: unescapeNt(m[1]) });
      else if (m[2] !== undefined) row.push({ type: "bnode", value: m[2] });
      else {
        const term = { type: "literal", value: unescapeNt(m[3]) };
        if (m[4]) term["xml:lang"] = m[4];
        if (m[5]) term.datatype = m[5];
        row.push(term);
      }
    }
    if (row.length === 3) rows.push({ subject: row[0], predicate: row[1], object: row[2] });
  }
  return rows;
}

class QueryPage {
  constructor(form) {
    this.form = form;
    this.textarea = form.querySelector("textarea[name=query]");
    this.endpoint = form.dataset.endpoint || "/sparql";
    this.prefixes = JSON.parse(form.dataset.prefixes || "{}");
    this.vocabulary = JSON.parse(form.dataset.vocabulary || "[]");
    this.formats = { select: JSON.parse(form.dataset.selectFormats || "[]"), graph: JSON.parse(form.dataset.graphFormats || "[]") };
    this.terms = new Terms(this.prefixes, form.dataset.baseIri);
    this.pageSize = Number(form.dataset.pageSize) || 50;
    this.result = null;
    this.page = 0;
    this.marked = false;
    this.build();
  }

  build() {
    this.textarea.hidden = true;
    for (const node of this.form.querySelectorAll(".no-script")) node.hidden = true;
    const host = el("div", { class: "editor", "data-editor": "" });
    this.textarea.after(host);
    this.view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: this.textarea.value,
        extensions: [
          Prec.highest(
            keymap.of([
              { key: "Mod-Enter", run: () => (this.run(), true) },
              { key: "Shift-Enter", run: () => (this.run(), true) },
            ]),
          ),
          basicSetup,
          StreamLanguage.define(sparql),
          lintGutter(),
          autocompletion({ override: [(context) => this.complete(context)], activateOnTyping: true }),
          keymap.of(completionKeymap),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            this.textarea.value = update.state.doc.toString();
            this.updateDownloads();
            if (this.marked) {
              this.marked = false;
              this.view.dispatch(setDiagnostics(this.view.state, []));
            }
          }),
        ],
      }),
    });
    const run = el("button", { type: "button", class: "run" }, "Run query");
    run.addEventListener("click", () => this.run());
    this.status = el("span", { class: "status muted small", role: "status" });
    this.downloads = el("span", { class: "formats downloads small" });
    this.form.querySelector(".editor-actions").append(run, el("span", { class: "muted small" }, " Ctrl+Enter "), this.status, this.downloads);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    for (const link of document.querySelectorAll("a[data-example]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.load(link.dataset.example);
      });
    }
    this.output = document.getElementById("results");
    this.updateDownloads();
    const hasServerResult = this.output && this.output.querySelector(".server-result");
    if (hasServerResult && this.textarea.value.trim()) this.run();
  }

  text() {
    return this.view.state.doc.toString();
  }

  load(text) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
    this.view.focus();
  }

  // ------------------------------------------------------------------ completion

  complete(context) {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    if (/#/.test(before.replace(/<[^>]*>|"[^"]*"|'[^']*'/g, ""))) return null;
    if (/<[^>]*$/.test(before) || /^[^"]*("[^"]*")*[^"]*"[^"]*$/.test(before)) return null;
    const prefixDecl = /^\s*PREFIX\s+([\w-]*)$/i.exec(before);
    if (prefixDecl) {
      return {
        from: context.pos - prefixDecl[1].length,
        options: Object.entries(this.prefixes).map(([prefix, ns]) => ({
          label: `${prefix}:`,
          detail: `<${ns}>`,
          apply: `${prefix}: <${ns}>`,
          type: "namespace",
        })),
      };
    }
    const variable = context.matchBefore(/[?$][\w]*$/);
    if (variable) {
      const names = new Set([...this.text().matchAll(/[?$]([A-Za-z_]\w*)/g)].map((m) => m[1]));
      names.delete(variable.text.slice(1));
      return { from: variable.from, options: [...names].map((name) => ({ label: `?${name}`, type: "variable" })) };
    }
    const word = context.matchBefore(/[A-Za-z_][\w-]*(:[\w.-]*)?$/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    if (word.text.includes(":")) {
      const prefix = word.text.split(":")[0];
      const options = this.vocabulary
        .filter((term) => term.startsWith(prefix + ":"))
        .map((term) => ({ label: term, type: "property", apply: this.applyPrefixed(term) }));
      return options.length ? { from: word.from, options, validFor: /^[\w-]*:[\w.-]*$/ } : null;
    }
    const options = [
      ...Object.entries(this.prefixes).map(([prefix, ns]) => ({
        label: `${prefix}:`,
        detail: ns,
        type: "namespace",
        boost: 1,
        apply: this.applyPrefixed(`${prefix}:`),
      })),
      ...KEYWORDS.map((keyword) => ({ label: keyword, type: "keyword" })),
    ];
    return { from: word.from, options, validFor: /^[\w-]*$/ };
  }

  applyPrefixed(name) {
    // Inserts the prefixed name and, if the query does not declare its prefix yet, the PREFIX line on top.
    return (view, _completion, from, to) => {
      const prefix = name.split(":")[0];
      const changes = [{ from, to, insert: name }];
      let cursor = from + name.length;
      if (!(prefix in declaredPrefixes(view.state.doc.toString())) && this.prefixes[prefix]) {
        const declaration = `PREFIX ${prefix}: <${this.prefixes[prefix]}>\n`;
        changes.push({ from: 0, insert: declaration });
        cursor += declaration.length;
      }
      view.dispatch({ changes, selection: { anchor: cursor } });
    };
  }

  // ------------------------------------------------------------------ running

  downloadUrl(format) {
    return `${this.endpoint}?${new URLSearchParams({ query: this.text(), format })}`;
  }

  updateDownloads() {
    const form = queryForm(this.text());
    const graph = form === "CONSTRUCT" || form === "DESCRIBE";
    const formats = graph ? this.formats.graph : this.formats.select;
    this.downloads.replaceChildren(
      "Download: ",
      ...formats.map((f) => el("a", { href: this.downloadUrl(f.name), download: `result.${f.extension}`, title: f.media_type }, f.name)),
    );
  }

  async run() {
    const query = this.text();
    if (!query.trim()) return;
    this.status.textContent = "running…";
    this.output.setAttribute("aria-busy", "true");
    const started = performance.now();
    let response;
    try {
      response = await fetch(this.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/sparql-results+json, application/n-triples;q=0.9",
        },
        body: new URLSearchParams({ query }),
      });
    } catch (error) {
      this.showError({ status: 0, message: `the endpoint did not answer: ${error}` });
      return;
    } finally {
      this.output.removeAttribute("aria-busy");
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    const body = await response.text();
    if (!response.ok) {
      let error = { status: response.status, message: body.trim() };
      if (type === "application/json") {
        try {
          error = JSON.parse(body).error;
        } catch (_e) {
          // not our error document: show the text as it came
        }
      }
      this.status.textContent = `error ${response.status} after ${seconds} s`;
      this.showError(error);
      return;
    }
    history.replaceState(null, "", `${location.pathname}?${new URLSearchParams({ query })}`);
    const terms = this.terms.withQuery(query);
    if (type === "application/n-triples") {
      this.result = { names: ["subject", "predicate", "object"], rows: parseNTriples(body), terms, noun: "triple" };
    } else {
      const data = JSON.parse(body);
      if ("boolean" in data) {
        this.result = { boolean: data.boolean, terms };
      } else {
        this.result = { names: data.head.vars, rows: data.results.bindings, terms, noun: "row" };
      }
    }
    this.page = 0;
    const count = this.result.rows ? this.result.rows.length : 1;
    this.status.textContent = `${count.toLocaleString("en")} ${this.result.noun || "answer"}${count === 1 ? "" : "s"} in ${seconds} s`;
    this.render();
  }

  showError(error) {
    this.result = null;
    const parts = [el("b", {}, error.status ? `Error ${error.status}: ` : "Error: "), error.message];
    const card = el("div", { class: "card error", role: "alert" }, el("p", {}, parts));
    if (error.excerpt) card.append(el("pre", { class: "excerpt" }, error.excerpt));
    if (error.line) {
      card.dataset.line = error.line;
      card.dataset.column = error.column;
      const doc = this.view.state.doc;
      const line = doc.line(Math.min(error.line, doc.lines));
      const from = Math.min(line.from + error.column - 1, line.to);
      const to = Math.max(from, Math.min(line.from + (error.end_column || error.column + 1) - 1, line.to));
      this.view.dispatch(setDiagnostics(this.view.state, [{ from, to, severity: "error", message: error.message }]));
      this.view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
      this.marked = true;
    }
    this.output.replaceChildren(card);
  }

  // ------------------------------------------------------------------ results

  render() {
    const result = this.result;
    if ("boolean" in result) {
      this.output.replaceChildren(el("div", { class: "card boolean" }, el("b", {}, String(result.boolean))));
      return;
    }
    const pages = Math.max(1, Math.ceil(result.rows.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    const first = this.page * this.pageSize;
    const shown = result.rows.slice(first, first + this.pageSize);
    const numeric = result.names.map((n) => {
      const bound = shown.map((row) => row[n]).filter(Boolean);
      return bound.length > 0 && bound.every((t) => t.type === "literal" && NUMERIC.has(t.datatype));
    });
    const table = el(
      "table",
      { class: "results" },
      el(
        "thead",
        {},
        el("tr", {}, el("th", { class: "num" }, "#"), result.names.map((n, i) => el("th", { class: numeric[i] ? "num" : null }, n))),
      ),
      el(
        "tbody",
        {},
        shown.map((row, i) =>
          el("tr", {}, el("td", { class: "num muted" }, first + i + 1), result.names.map((n) => cell(row[n], result.terms))),
        ),
      ),
    );
    this.output.replaceChildren(this.pager(pages, first, shown.length), el("div", { class: "card table-card" }, table));
  }

  pager(pages, first, count) {
    const total = this.result.rows.length;
    const go = (page) => () => {
      this.page = page;
      this.render();
    };
    const button = (label, page, title) => {
      const b = el("button", { type: "button", "data-page": page, title, disabled: page < 0 || page >= pages || page === this.page }, label);
      b.addEventListener("click", go(page));
      return b;
    };
    const sizes = el("select", { "aria-label": "rows per page" }, PAGE_SIZES.map((n) => el("option", { value: n, selected: n === this.pageSize }, n)));
    sizes.addEventListener("change", () => {
      this.pageSize = Number(sizes.value);
      this.page = Math.floor(first / this.pageSize);
      this.render();
    });
    const range = total ? `${this.result.noun}s ${first + 1}–${first + count} of ${total.toLocaleString("en")}` : `no ${this.result.noun}s`;
    return el(
      "nav",
      { class: "pager small", "aria-label": "result pages" },
      button("«", 0, "first page"),
      button("‹", this.page - 1, "previous page"),
      el("span", { class: "page-info" }, `page ${this.page + 1} of ${pages} · ${range}`),
      button("›", this.page + 1, "next page"),
      button("»", pages - 1, "last page"),
      el("label", {}, " per page ", sizes),
    );
  }
}

function start() {
  const form = document.getElementById("query-form");
  if (form) window.queryPage = new QueryPage(form);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
