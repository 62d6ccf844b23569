// The guard's page-side reading (see guard.py): what an element, and everything that acts with
// it, says to a person or to a screen reader -- hidden parts included. Functions only, to
// include; names start with "guard" so they sit beside switch-lib.js without a clash.
//
// Every string is returned raw: the Python side folds case, confusables, zero-width and bidi
// characters (words.py), so this file only has to find the text, never to judge it.

// What can act on a click: the element itself, or an ancestor the click bubbles to.
const GUARD_ACTS = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea,'
  + ' summary, label, [onclick], [role="button"], [role="link"], [role="menuitem"],'
  + ' [role="menuitemcheckbox"], [role="menuitemradio"], [role="tab"], [role="switch"],'
  + ' [role="checkbox"], [role="radio"], [role="option"], [role="treeitem"]';
const GUARD_SKIP = new Set(['script', 'style', 'template', 'noscript']);
// More text than a name ever has: refused rather than judged in part.
const GUARD_MAX_CHARS = 20000;

function guardUp(n) {
  return n.parentElement || (n.parentNode && n.parentNode.host) || null;
}

function guardClosest(el, css) {
  for (let n = el; n; n = guardUp(n)) if (n.matches && n.matches(css)) return n;
  return null;
}

// The strings of a CSS `content` value ("..." parts; Chrome resolves attr() and escapes).
function guardContent(value) {
  const out = [];
  if (!value || value === 'none' || value === 'normal') return '';
  for (const m of value.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)) {
    out.push((m[1] !== undefined ? m[1] : m[2]).replace(/\\(.)/g, '$1'));
  }
  return out.join('');
}

// Not seen by a person: not rendered, invisible, transparent, or too small to read.
function guardUnseen(el, style) {
  if (style.display === 'none' || style.visibility === 'hidden'
      || style.visibility === 'collapse') return true;
  if (Number(style.opacity) < 0.1 || parseFloat(style.fontSize) < 4) return true;
  const colour = style.color.match(/rgba?\(([^)]*)\)/);
  if (colour && colour[1].split(',').length === 4 && Number(colour[1].split(',')[3]) < 0.1) {
    return true;
  }
  const box = el.getBoundingClientRect();
  return (box.width < 1 || box.height < 1) && style.overflow !== 'visible';
}

function guardIdText(el, attr) {
  const root = el.getRootNode();
  return (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)
    .map((id) => ((root.getElementById && root.getElementById(id)) || {}).textContent || '')
    .join(' ');
}

// Everything an element and its subtree say, in three readings and a list of image alts:
//   every: each text node, pseudo-element content and name attribute, hidden ones too,
//          separated by spaces (a word anywhere is found, whatever surrounds it);
//   seen:  what a person reads, joined without separators, leaving out what they cannot
//          see (a word split by invisible filler, "De<span hidden>x</span>lete", is whole);
//   names: the name-giving attributes alone (aria-label, aria-labelledby, title, value, ...);
//   alts:  image alternative text, kept apart (see guard.py: a photo's alt is a name).
function guardRead(root, into) {
  const walk = (node, unseen) => {
    if (into.chars > GUARD_MAX_CHARS) return;
    if (node.nodeType === Node.TEXT_NODE) {
      const t = node.data;
      into.every.push(t);
      if (!unseen) into.seen.push(t);
      into.chars += t.length;
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      for (const child of node.childNodes) walk(child, unseen);
      return;
    }
    const el = node;
    if (GUARD_SKIP.has(el.localName)) return;
    const style = getComputedStyle(el);
    const hidden = unseen || guardUnseen(el, style);
    const names = [el.getAttribute('aria-label'), guardIdText(el, 'aria-labelledby'),
      el.getAttribute('title'), el.getAttribute('placeholder'),
      el.getAttribute('aria-roledescription'), el.getAttribute('aria-valuetext')];
    if (el.localName === 'input' || el.localName === 'button' || el.localName === 'option') {
      names.push(typeof el.value === 'string' ? el.value : el.getAttribute('value'));
    }
    for (const n of names) if (n) { into.names.push(n); into.chars += n.length; }
    if (['img', 'area'].includes(el.localName)
        || (el.localName === 'input' && el.type === 'image')) {
      const alt = el.getAttribute('alt');
      if (alt) into.alts.push(alt);
    }
    if (style.unicodeBidi.includes('override') && style.direction === 'rtl') {
      // Drawn right to left: "eteleD" reads "Delete".
      into.every.push(Array.from(el.textContent).reverse().join(''));
    }
    const before = guardContent(getComputedStyle(el, '::before').content);
    const after = guardContent(getComputedStyle(el, '::after').content);
    if (before) { into.every.push(before); if (!hidden) into.seen.push(before); }
    if (el.shadowRoot) walk(el.shadowRoot, hidden);
    for (const child of el.childNodes) walk(child, hidden);
    if (after) { into.every.push(after); if (!hidden) into.seen.push(after); }
  };
  walk(root, false);
  return into;
}

function guardReading() {
  return {every: [], seen: [], names: [], alts: [], chars: 0};
}

// A short description of an acting element, for the reason a person reads.
function guardDescribe(el) {
  const role = el.getAttribute('role') || '';
  const value = el.localName === 'input' && /^(button|submit|reset)$/.test(el.type) ? el.value : '';
  const text = (el.getAttribute('aria-label') || el.innerText || el.textContent
    || el.getAttribute('title') || value || '').replace(/\s+/g, ' ').trim();
  const dialog = guardClosest(el,
    'dialog, [role="dialog"], [role="alertdialog"], [aria-modal="true"]');
  return {
    tag: el.localName,
    role,
    type: (el.getAttribute('type') || '').toLowerCase(),
    href: el.hasAttribute('href'),
    // A link that leads to a page: its click is a navigation, which the origin boundary
    // judges by its URL ("#..." and "javascript:" lead nowhere: a script acts instead).
    navigates: el.matches('a[href], area[href]')
      && !/^\s*(#|javascript:)/i.test(el.getAttribute('href')),
    expanded: el.hasAttribute('aria-expanded'),
    popup: !!el.getAttribute('aria-haspopup') && el.getAttribute('aria-haspopup') !== 'false',
    dialog: dialog !== null,
    name: text.slice(0, 200),
  };
}

// What a click on `el` would act on and what all of that says: the nearest acting element
// (el or an ancestor), every acting ancestor above it, a label's control; one reading of all.
// Returns {target: el's tag when it is inside the actor, else '', actor, also, control (the
// actor's, when it is a label), reading}.
function guardJudgeClick(el) {
  const acting = [];
  for (let n = el; n; n = guardUp(n)) if (n.matches && n.matches(GUARD_ACTS)) acting.push(n);
  const actor = acting[0] || el;
  const also = acting.slice(1);
  for (const n of [actor, ...also]) {
    if (n.localName === 'label' && n.control && !also.includes(n.control)) also.push(n.control);
  }
  const reading = guardReading();
  for (const n of [actor, ...also]) {
    guardRead(n, reading);
    for (const l of n.labels || []) guardRead(l, reading);
  }
  return {
    target: el === actor ? '' : el.localName,
    actor: guardDescribe(actor),
    also: also.map(guardDescribe),
    control: actor.localName === 'label' && actor.control ? guardDescribe(actor.control) : null,
    reading,
  };
}
