/* Measures one page for tests/browser/test_phone_pages.py: targets, table labels, texts. */
(minimum) => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none" || s.opacity === "0") return false;
    if (el.closest("[hidden], [aria-hidden=true], dialog:not([open])")) return false;
    return !(r.right < 0 || r.bottom < 0 || r.left > 5000);
  };
  const describe = (el) => {
    const text = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || "")
      .replace(/\s+/g, " ").trim().slice(0, 40);
    const id = el.id ? "#" + el.id : (el.name ? `[name=${el.name}]` : "");
    const type = el.type && el.tagName === "INPUT" ? `[type=${el.type}]` : "";
    return `${el.tagName.toLowerCase()}${type}${id} “${text}”`;
  };
  const blockOf = (el) => {
    let p = el.parentElement;
    while (p && getComputedStyle(p).display.startsWith("inline")) p = p.parentElement;
    return p;
  };
  const small = [], exempt = [];
  const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el)) continue;
    let r = el.getBoundingClientRect(), w = r.width, h = r.height;
    if (el.type === "checkbox" || el.type === "radio") {
      const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) { const l = label.getBoundingClientRect(); w = Math.max(w, l.width); h = Math.max(h, l.height); }
    }
    if (w >= minimum - 0.5 && h >= minimum - 0.5) continue;
    const size = `${Math.round(w)}×${Math.round(h)}`;
    if (el.tagName === "A" && getComputedStyle(el).display === "inline") {
      const block = blockOf(el);
      const around = block ? block.innerText.replace(/\s+/g, "").length : 0;
      const own = el.innerText.replace(/\s+/g, "").length;
      if (around - own >= 12) { exempt.push(`${describe(el)} ${size}`); continue; }
    }
    small.push(`${describe(el)} ${size}`);
  }
  const unlabelled = [];
  document.querySelectorAll("table").forEach((table, index) => {
    if (!table.tHead || getComputedStyle(table.tHead).display !== "none" || !visible(table)) return;
    const heads = [];
    const headRow = table.tHead.rows[table.tHead.rows.length - 1];
    for (const cell of headRow ? headRow.cells : []) {
      for (let i = 0; i < (cell.colSpan || 1); i++) heads.push(cell.textContent.trim());
    }
    const name = table.id ? "#" + table.id : `table ${index + 1}${table.className ? "." + table.className.replace(/ /g, ".") : ""}`;
    for (const body of table.tBodies) for (const row of body.rows) {
      let column = 0;
      for (const cell of row.cells) {
        const head = heads[column] || "";
        column += cell.colSpan || 1;
        if (cell.tagName !== "TD" || !visible(cell) || !cell.innerText.trim() || !head) continue;
        const before = getComputedStyle(cell, "::before").content;
        if (before && before !== "none" && before !== "normal" && before !== '""') continue;
        unlabelled.push(`${name} column “${head}”: “${cell.innerText.trim().slice(0, 30)}”`);
      }
    }
  });
  const texts = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\s+/g, " ").trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest("script, style, code, pre, svg, [lang]:not(html)") ) continue;
    if (!visible(parent)) continue;
    texts.add(text);
  }
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title], input[type=submit]")) {
    if (el.closest("[lang]:not(html)")) continue;
    for (const a of ["aria-label", "placeholder", "title", "value"]) {
      if (a === "value" && el.type !== "submit") continue;
      const v = el.getAttribute(a); if (v && v.trim()) texts.add(v.trim());
    }
  }
  return {small, exempt, unlabelled, texts: [...texts]};
}