// check-pdf.mjs — PDF/UA-1 machine checks (after the Matterhorn Protocol
// 1.1's machine-checkable failure conditions) read back with pdf.js, which
// rebuilds each page's structure through the ParentTree (bottom-up), so
// broken MCID bookkeeping shows. poppler's top-down view is checked by
// check-pdf-poppler.sh. Usage: node check-pdf.mjs FILE.pdf [...]
// Prints "ok NAME" / "FAIL NAME: why" lines, exits 1 on any failure.
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const PAINT = new Set([
  OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill, OPS.fillStroke,
  OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke,
  OPS.showText, OPS.showSpacedText, OPS.nextLineShowText,
  OPS.nextLineSetSpacingShowText, OPS.paintImageXObject,
  OPS.paintInlineImageXObject, OPS.paintImageMaskXObject, OPS.shadingFill,
  OPS.paintXObject, OPS.paintFormXObjectBegin,
].filter((x) => x !== undefined));

const STANDARD = new Set(("Document Part Art Sect Div BlockQuote Caption TOC TOCI " +
  "Index NonStruct Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD " +
  "THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB " +
  "RT RP Warichu WT WP Figure Formula Form").split(" "));

// A list item's marker as the layout draws it: bullet, dash or "12.".
const MARKER = /^(\u2022|\u2013|[0-9]+\.)$/;

let failed = 0;
function result(file, name, problems) {
  const tag = `${basename(file)}:${name}`;
  if (problems.length === 0) console.log(`ok ${tag}`);
  else {
    failed++;
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
    console.log(`FAIL ${tag}: ${problems.slice(0, 5).join("; ")}${more}`);
  }
}

function walk(node, fn, parent = null) {
  if (!node) return;
  fn(node, parent);
  for (const c of node.children || []) walk(c, fn, node);
}

async function check(file) {
  const data = new Uint8Array(readFileSync(file));
  const pdf = await getDocument({ data, verbosity: 0, isEvalSupported: false,
                                  useSystemFonts: false }).promise;
  const { info, metadata } = await pdf.getMetadata();
  const mark = await pdf.getMarkInfo();
  const vp = await pdf.getViewerPreferences();

  // 06-*, 07-001, 11-*: document level.
  const doc = [];
  if (!mark || mark.Marked !== true) doc.push("MarkInfo /Marked is not true");
  if (!info.Language || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(info.Language))
    doc.push(`catalog /Lang is "${info.Language}"`);
  if (!info.Title) doc.push("no document title in Info");
  if (!vp || vp.DisplayDocTitle !== true) doc.push("ViewerPreferences /DisplayDocTitle is not true");
  if (!metadata) doc.push("no XMP metadata stream");
  else {
    if (!metadata.get("dc:title")) doc.push("XMP has no dc:title");
    const raw = metadata.getRaw ? metadata.getRaw() : "";
    if (!/<pdfuaid:part>1<\/pdfuaid:part>/.test(raw)) doc.push("XMP has no pdfuaid:part 1");
  }
  if (info.PDFFormatVersion !== "1.7") doc.push(`PDF version ${info.PDFFormatVersion}, not 1.7`);
  if (!info.IsLinearized && info.IsAcroFormPresent) doc.push("unexpected form");
  result(file, "document-catalog", doc);

  const untagged = [], unreachable = [], dangling = [], alt = [], types = [],
        nesting = [], links = [], textout = [], lists = [];
  let nmcid = 0, nfig = 0, nmarker = 0;
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const tree = await page.getStructTree();
    // Content ids the structure reaches for this page (via the ParentTree).
    const reached = new Set();
    const roles = new Map();
    (function up(n, par) {       // parent links, for the chains below
      if (!n) return;
      n.parent = par;
      for (const c of n.children || []) up(c, n);
    })(tree, null);
    walk(tree, (n, parent) => {
      if (n.type === "content" && n.id) reached.add(n.id);
      if (n.role !== undefined) {
        if (n.role !== "Root" && !STANDARD.has(n.role))
          types.push(`page ${p}: non-standard type ${n.role}`);
        if (n.role === "Figure") {
          nfig++;
          if (!n.alt || !n.alt.trim()) alt.push(`page ${p}: Figure without /Alt`);
        }
        const pr = parent && parent.role;
        const need = { TR: ["Table", "THead", "TBody", "TFoot"], TH: ["TR"], TD: ["TR"],
                       THead: ["Table"], TBody: ["Table"], TOCI: ["TOC"], LI: ["L"],
                       Lbl: ["LI"], LBody: ["LI"] };
        if (need[n.role] && pr && !need[n.role].includes(pr))
          nesting.push(`page ${p}: ${n.role} inside ${pr}`);
        if (n.role === "L" && ["P", "Span", "Link", "Lbl", "L", "H1", "H2", "H3"].includes(pr))
          nesting.push(`page ${p}: L inside ${pr}`);
        if (n.role === "L" && !(n.children || []).some((c) => c.role === "LI"))
          nesting.push(`page ${p}: L without LI`);
      }
      // The roles above each piece of content, innermost first.
      if (n.type === "content" && n.id) {
        const chain = [];
        for (let a = parent; a; a = a.parent) if (a.role) chain.push(a.role);
        roles.set(n.id, chain);
      }
    });
    // Every marked-content sequence with an MCID is reached by the tree;
    // every text run is inside a tagged sequence or an artifact.
    const tc = await page.getTextContent({ includeMarkedContent: true });
    const stack = [];
    for (const it of tc.items) {
      if (it.type === "beginMarkedContentProps" || it.type === "beginMarkedContent") {
        stack.push(it);
        if (it.type === "beginMarkedContentProps" && it.id) {
          nmcid++;
          if (!reached.has(it.id)) unreachable.push(`page ${p}: ${it.tag} ${it.id} not in the structure tree`);
        }
      } else if (it.type === "endMarkedContent") {
        stack.pop();
      } else if (it.str !== undefined && it.str.trim() !== "" && stack.length === 0) {
        textout.push(`page ${p}: text "${it.str.slice(0, 30)}" outside marked content`);
      } else if (it.str !== undefined && MARKER.test(it.str.trim())) {
        // A list marker ("•", "–", "3.") is an Lbl in LI in L (16-*: a list
        // drawn as a list is tagged as one).
        const top = stack[stack.length - 1];
        const chain = top && top.id ? roles.get(top.id) || [] : [];
        if (!top || top.tag !== "Lbl" || chain[0] !== "Lbl" || chain[1] !== "LI" || chain[2] !== "L")
          lists.push(`page ${p}: list marker "${it.str.trim()}" in ${top ? top.tag : "nothing"} (${chain.slice(0, 3).join(" < ") || "untagged"}), not Lbl < LI < L`);
        nmarker++;
      }
    }
    const inContent = new Set(tc.items.filter((i) => i.type === "beginMarkedContentProps" && i.id).map((i) => i.id));
    for (const id of reached) if (!inContent.has(id)) dangling.push(`page ${p}: ${id} in the tree but not in the content`);
    // 01-005: no painting outside a marked-content sequence (artifact or tagged).
    const ops = await page.getOperatorList();
    let depth = 0;
    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      if (fn === OPS.beginMarkedContent || fn === OPS.beginMarkedContentProps) depth++;
      else if (fn === OPS.endMarkedContent) depth--;
      else if (PAINT.has(fn) && depth <= 0) {
        untagged.push(`page ${p}: op ${fn} at operator ${i} outside marked content`);
      }
    }
    if (depth !== 0) untagged.push(`page ${p}: unbalanced BDC/EMC (${depth})`);
    // 28-*: link annotations have Contents and a StructParent (checked
    // against the tree by poppler); /Tabs /S.
    const annots = await page.getAnnotations();
    for (const a of annots) {
      if (a.subtype === "Link" && !(a.contentsObj && a.contentsObj.str))
        links.push(`page ${p}: Link annotation without /Contents`);
      if (a.subtype === "Link" && (a.structParent === undefined || a.structParent < 0))
        links.push(`page ${p}: Link annotation without /StructParent`);
    }
    page.cleanup();
  }
  result(file, "no-untagged-paint", untagged.concat(textout));
  result(file, "mcid-reachable", unreachable.concat(dangling));
  if (nmcid === 0) result(file, "has-marked-content", ["no tagged content at all"]);
  result(file, "figure-alt", alt);
  result(file, "standard-types", types);
  result(file, "table-toc-nesting", nesting);
  result(file, "link-annotations", links);
  result(file, "lists", lists);
  console.log(`# ${basename(file)}: ${pdf.numPages} pages, ${nmcid} tagged sequences, ${nfig} figure parts, ${nmarker} list items`);
  await pdf.destroy();
}

const files = process.argv.slice(2);
for (const f of files) {
  try { await check(f); }
  catch (e) { failed++; console.log(`FAIL ${basename(f)}:read: ${e.message}`); }
}
process.exit(failed ? 1 : 0);
