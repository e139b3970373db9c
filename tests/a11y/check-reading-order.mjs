// check-reading-order.mjs — poppler's plain text extraction (`pdftotext`
// without -layout, which orders text by its own geometric heuristics, not
// by the content stream or the tags) reads every RAG table row by row.
// The rows come from the structure tree (pdf.js, per page): each body TR
// of a Table holding a RAG word, its first cell (the measure's name) and
// its second (the latest value). In that page's `pdftotext` output each
// name must precede its own latest value, and that value the next name.
// Usage: node check-reading-order.mjs FILE.pdf [...]
// Prints "ok NAME" / "FAIL NAME: why" lines, exits 1 on any failure.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { basename } from "node:path";

const RAG = new Set(["Green", "Amber", "Red", "Not rated"]);
const norm = (s) => s.replace(/\s+/g, " ").trim();
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Where `what` occurs in `text` at or after `from`, as whole words.
function find(text, what, from) {
  const re = new RegExp(`(^|\\s)${esc(what)}(?=\\s|$)`, "g");
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + m[1].length : -1;
}

let failed = 0;
async function check(file) {
  const data = new Uint8Array(readFileSync(file));
  const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false,
                                  useSystemFonts: false }).promise;
  const problems = [];
  let nrows = 0, ntables = 0;
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const tree = await page.getStructTree();
    const tc = await page.getTextContent({ includeMarkedContent: true });
    // The text of each marked-content id.
    const byId = new Map();
    let cur = [];
    for (const it of tc.items) {
      if (it.type === "beginMarkedContentProps" || it.type === "beginMarkedContent") cur.push(it.id || null);
      else if (it.type === "endMarkedContent") cur.pop();
      else if (it.str !== undefined && cur.length && cur[cur.length - 1]) {
        const id = cur[cur.length - 1];
        byId.set(id, (byId.get(id) || []).concat(it.str));
      }
    }
    const textOf = (n) => {
      const out = [];
      (function walk(x) {
        if (x.type === "content" && byId.has(x.id)) out.push(...byId.get(x.id).filter((s) => s.trim() !== ""));
        for (const c of x.children || []) walk(c);
      })(n);
      return out;
    };
    const tables = [];
    (function walk(n) {
      if (n.role === "Table") tables.push(n);
      else for (const c of n.children || []) walk(c);
    })(tree || {});
    let plain = null;
    for (const t of tables) {
      const rows = [];
      (function walk(n) {
        if (n.role === "TR") rows.push(n);
        else if (n.role !== "THead") for (const c of n.children || []) walk(c);
      })(t);
      const body = rows.map((tr) => (tr.children || []).filter((c) => c.role === "TH" || c.role === "TD"))
        .map((cells) => cells.map((c) => textOf(c)))
        .filter((cells) => cells.length >= 2 && cells[0].length && cells[1].length);
      if (!body.some((cells) => cells.some((c) => RAG.has(norm(c.join(" ")))))) continue;
      ntables++;
      if (plain === null)
        plain = norm(execFileSync("pdftotext", ["-f", String(p), "-l", String(p), file, "-"],
                                  { encoding: "utf8" }));
      let at = 0, prev = 0;
      for (const cells of body) {
        const name = norm(cells[0].join(" ")), value = norm(cells[1][0]);
        // the first occurrence after the previous row's name (a later one,
        // in a chart title say, must not hide a name read too early)
        const n = find(plain, name, prev);
        if (n < 0) {
          problems.push(`page ${p}: "${name}" not found in order (after ${prev} characters)`);
          break;
        }
        if (n < at) {
          problems.push(`page ${p}: "${name}" is read before the previous row's latest value`);
          break;
        }
        prev = n + name.length;
        const v = find(plain, value, n + name.length);
        // the next name must come after the value, so the value is this row's
        if (v < 0) {
          problems.push(`page ${p}: "${name}" is not followed by its latest value ${value}`);
          break;
        }
        at = v + value.length;
        nrows++;
      }
    }
    page.cleanup();
  }
  const tag = `${basename(file)}:rag-rows-in-order`;
  if (problems.length === 0) console.log(`ok ${tag} (${ntables} table parts, ${nrows} rows)`);
  else {
    failed++;
    console.log(`FAIL ${tag}: ${problems.slice(0, 4).join("; ")}`);
  }
  await pdf.destroy();
}

for (const f of process.argv.slice(2)) {
  try { await check(f); }
  catch (e) { failed++; console.log(`FAIL ${basename(f)}:rag-rows-in-order: ${e.message}`); }
}
process.exit(failed ? 1 : 0);
