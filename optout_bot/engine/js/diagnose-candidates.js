// For the diagnosis of a broken flow: the page's interactive elements and what a person
// would call them (role and name, as a screen reader would say them), through open shadow
// roots, at most 2,000. Receives nothing. Returns [{role, name, tag, attributes (the
// stable hooks: id, href, aria-labelledby, data-testid, data-test-id, type, aria-checked),
// visible}].
() => {
  const implicit = (el) => {
    const t = el.tagName.toLowerCase();
    if (t === 'a' && el.hasAttribute('href')) return 'link';
    if (t === 'button' || t === 'summary') return 'button';
    if (t === 'select') return 'combobox';
    if (t === 'input') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      return {checkbox: 'checkbox', radio: 'radio', button: 'button', submit: 'button',
              range: 'slider'}[type] || 'textbox';
    }
    if (/^h[1-6]$/.test(t)) return 'heading';
    return null;
  };
  const nameOf = (el) => {
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const byIds = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
    const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
    return (el.getAttribute('aria-label') || byIds || label || el.innerText ||
            el.getAttribute('title') || el.getAttribute('alt') || el.value || '')
           .replace(/\s+/g, ' ').trim().slice(0, 120);
  };
  const out = [];
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  for (const el of all) {
    const role = el.getAttribute('role') || implicit(el);
    if (!role || ['presentation', 'none', 'generic'].includes(role)) continue;
    const rect = el.getBoundingClientRect();
    const attrs = {};
    for (const a of ['id', 'href', 'aria-labelledby', 'data-testid', 'data-test-id', 'type',
                     'aria-checked']) {
      if (el.hasAttribute(a)) attrs[a] = el.getAttribute(a);
    }
    out.push({role, name: nameOf(el), tag: el.tagName.toLowerCase(), attributes: attrs,
              visible: rect.width > 0 && rect.height > 0});
    if (out.length >= 2000) break;
  }
  return out;
}
