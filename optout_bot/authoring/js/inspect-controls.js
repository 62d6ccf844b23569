// What inspect reports of each control: its role, accessible name and where the name comes
// from, tag, input type, the attributes asked for, whether it has a box, whether it is in a
// shadow root, and -- for a control with no name of its own -- the nearest text in its row,
// with what a CSS selector needs to reach the control from it. Reads no form values.
// Receives [controls (the array inspect-collect.js gave), attribute names]. Returns one
// object per control, in the same order.
([els, attrs]) => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const parentOf = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const within = (outer, node) => {
    for (let n = node; n; n = parentOf(n)) if (n === outer) return true;
    return false;
  };
  const hidden = (n) => {
    for (let e = n; e; e = parentOf(e)) {
      if (e.getAttribute && e.getAttribute('aria-hidden') === 'true') return true;
      // Scripts, and form fields' contents (a textarea's text is its value).
      if (['script', 'style', 'template', 'noscript', 'textarea', 'select']
        .includes(e.localName)) return true;
    }
    return false;
  };
  // Text a person reads in n: no aria-hidden parts, scripts or form controls' values.
  const textOf = (n) => {
    let text = '';
    const walker = n.ownerDocument.createTreeWalker(n, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      if (!hidden(t.parentElement)) text += ' ' + t.data;
    }
    return norm(text);
  };
  const roleOf = (el) => {
    const explicit = norm(el.getAttribute('role')).split(' ')[0];
    if (explicit) return explicit;
    if (el.localName === 'input') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (type === 'checkbox' || type === 'radio') return type;
    }
    if (el.localName === 'button') return 'button';
    return '';
  };
  // [name, where it comes from]: what a screen reader (and Playwright's get_by_role) says.
  const ownName = (el, role) => {
    const root = el.getRootNode();
    const ids = norm(el.getAttribute('aria-labelledby')).split(' ').filter(Boolean);
    if (ids.length) {
      const text = norm(ids.map((id) => {
        const n = root.getElementById ? root.getElementById(id) : null;
        return n ? textOf(n) : '';
      }).join(' '));
      if (text) return [text, 'aria-labelledby'];
    }
    const label = norm(el.getAttribute('aria-label'));
    if (label) return [label, 'aria-label'];
    const labels = el.labels ? Array.from(el.labels) : [];
    const fromLabels = norm(labels.map(textOf).join(' '));
    if (fromLabels) return [fromLabels, 'label'];
    if (el.localName !== 'input' && ['switch', 'checkbox', 'radio', 'button'].includes(role)) {
      const content = textOf(el);
      if (content) return [content, 'content'];
    }
    const title = norm(el.getAttribute('title'));
    if (title) return [title, 'title'];
    return ['', ''];
  };
  // The nearest text before the control in its row (else the first after it), up to three
  // levels up, for a control with no name of its own: what a person would call it.
  const nearby = (el) => {
    let anchor = el;
    for (let row = parentOf(el), depth = 0; row && depth < 3; depth++, row = parentOf(row)) {
      const doc = row.ownerDocument;
      if (row === doc.body || row === doc.documentElement) break;
      while (anchor.parentNode !== row && parentOf(anchor) !== row) anchor = parentOf(anchor);
      let before = null, after = null;
      const walker = doc.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!norm(t.data) || hidden(t.parentElement) || within(el, t)) continue;
        const where = anchor.compareDocumentPosition(t);
        if (where & Node.DOCUMENT_POSITION_PRECEDING) before = t;
        else if (!after && (where & Node.DOCUMENT_POSITION_FOLLOWING)) after = t;
      }
      const t = before || after;
      if (t) return {text: textOf(t.parentElement)};
    }
    return null;
  };
  return els.map((el) => {
    const role = roleOf(el);
    const [name, nameFrom] = ownName(el, role);
    const out = {
      role, name, nameFrom, tag: el.localName,
      type: el.localName === 'input' ? (el.getAttribute('type') || '').toLowerCase() : '',
      attrs: {}, visible: false, near: null,
    };
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v !== null) out.attrs[a] = v;
    }
    const r = el.getBoundingClientRect();
    out.visible = r.width > 0 && r.height > 0
      && getComputedStyle(el).visibility !== 'hidden';
    if (!name) out.near = nearby(el);
    const root = el.getRootNode();
    out.labelledbyResolves = norm(el.getAttribute('aria-labelledby')).split(' ')
      .filter(Boolean).every((id) => root.getElementById && root.getElementById(id));
    out.inShadow = root !== el.ownerDocument;
    return out;
  });
}
