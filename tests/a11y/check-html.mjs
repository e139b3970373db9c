// check-html.mjs — axe-core in Debian's chromium (headless) on each HTML
// twin: zero violations of the WCAG 2.x A and AA rules; plus the twin's
// own promises (lang, one h1, headings without skipped levels, tables with
// caption and th scope, SVG charts with role="img", <title>, <desc> and
// real <text>, no scripts). Usage: node check-html.mjs FILE.html [...]
// Prints "ok NAME" / "FAIL NAME: why"; exits 1 on any failure.
import puppeteer from "puppeteer-core";
import { createRequire } from "node:module";
import { readFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const chrome = process.env.CHROMIUM ||
  ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
if (!chrome) { console.log("skip html-axe: no chromium"); process.exit(0); }

let failed = 0;
function result(file, name, problems) {
  const tag = `${basename(file)}:${name}`;
  if (problems.length === 0) console.log(`ok ${tag}`);
  else { failed++; console.log(`FAIL ${tag}: ${problems.slice(0, 6).join("; ")}`); }
}

const profile = mkdtempSync(join(tmpdir(), "ragpack-chromium-"));
const browser = await puppeteer.launch({
  executablePath: chrome,
  headless: true,
  userDataDir: profile,
  args: ["--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
try {
  for (const f of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(true);
    await page.goto(pathToFileURL(resolve(f)).href, { waitUntil: "load" });
    const scripts = await page.evaluate(() => document.querySelectorAll("script").length);
    await page.addScriptTag({ content: axeSource });
    const res = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        resultTypes: ["violations"] }));
    result(f, "axe-wcag2-a-aa", res.violations.map((v) =>
      `${v.id} (${v.impact}) x${v.nodes.length}: ${v.nodes[0]?.target?.join(" ")} ${v.nodes[0]?.failureSummary?.replace(/\s+/g, " ").slice(0, 160) ?? ""}`));
    const own = await page.evaluate(() => {
      const p = [];
      const lang = document.documentElement.getAttribute("lang");
      if (!lang || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang)) p.push(`html lang "${lang}"`);
      if (!document.title.trim()) p.push("empty <title>");
      if (document.querySelectorAll("link[rel=stylesheet], img[src^=http]").length) p.push("not self-contained");
      const h1 = document.querySelectorAll("h1").length;
      if (h1 !== 1) p.push(`${h1} h1 elements`);
      let prev = 0;
      for (const h of document.querySelectorAll("h1,h2,h3,h4,h5,h6")) {
        const l = +h.tagName[1];
        if (l > prev + 1) p.push(`${h.tagName} "${h.textContent.slice(0, 30)}" after h${prev}`);
        prev = l;
      }
      const nav = document.querySelector("nav");
      if (nav) for (const a of nav.querySelectorAll("a[href^='#']"))
        if (!document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1))))
          p.push(`contents link ${a.getAttribute("href")} has no target`);
      for (const t of document.querySelectorAll("table")) {
        if (!t.querySelector("caption")?.textContent.trim()) p.push("table without caption");
        for (const th of t.querySelectorAll("th"))
          if (!["col", "row", "colgroup", "rowgroup"].includes(th.getAttribute("scope")))
            { p.push("th without scope"); break; }
      }
      for (const s of document.querySelectorAll("figure svg")) {
        if (s.getAttribute("role") !== "img") p.push("chart svg without role=img");
        if (!s.querySelector("title")?.textContent.trim()) p.push("chart svg without <title>");
        if (!s.querySelector("desc")?.textContent.trim()) p.push("chart svg without <desc>");
        if (!s.querySelector("text")) p.push("chart svg without <text>");
        if (s.querySelector("use, symbol")) p.push("chart svg uses glyph outlines");
      }
      for (const r of document.querySelectorAll(".rag"))
        if (!/\b(Red|Amber|Green|Not rated)\b/.test(r.textContent)) p.push(`RAG mark without its word: "${r.textContent}"`);
      return { p, n: document.querySelectorAll("figure svg").length,
               t: document.querySelectorAll("table").length };
    });
    if (scripts) own.p.push(`${scripts} scripts`);
    result(f, "html-structure", own.p);
    console.log(`# ${basename(f)}: ${own.t} tables, ${own.n} charts`);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
