// The page's interactive elements (through open shadow roots, at most 2,000, in document
// order) with their role, and what a person would call each (its name, as a screen reader
// would say it); included by diagnose-candidates.js and diagnose-element.js.
const diagnoseImplicitRole = (el) => {
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
const diagnoseName = (el) => {
  const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  const byIds = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  return (el.getAttribute('aria-label') || byIds || label || el.innerText ||
          el.getAttribute('title') || el.getAttribute('alt') || el.value || '')
         .replace(/\s+/g, ' ').trim().slice(0, 120);
};
const diagnoseElements = () => {
  const all = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      all.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const out = [];
  for (const el of all) {
    const role = el.getAttribute('role') || diagnoseImplicitRole(el);
    if (!role || ['presentation', 'none', 'generic'].includes(role)) continue;
    out.push({el, role});
    if (out.length >= 2000) break;
  }
  return out;
};
