// switchFacts(el): what the switch guard (guard.py) judges before the switch is read or set:
//   control: the element that carries the state (switch-lib.js's control()), described, with
//            `kind`: 'checkbox' (a native one), 'switch' (role switch / checkbox, aria-checked,
//            Radix's data-state, a custom element's checked / selected), 'toggle-button'
//            (aria-pressed alone: Follow, Like), 'other' (a radio, ...), or null (no control);
//   name, from: its name on the page and where it came from: aria-labelledby, aria-label,
//            its <label>s, title, its own text (name from content), else aria-describedby,
//            else the nearest text beside it (see besideText);
//   reading: everything the control, its host and its labels say (guard-lib.js's guardRead).
// A function to include after switch-lib.js and guard-lib.js, not a script of its own.
function switchKind(ctl) {
  if (!ctl) return null;
  const role = ctl.getAttribute('role') || '';
  if (ctl.localName === 'input') return ctl.type === 'checkbox' ? 'checkbox' : 'other';
  if (['switch', 'checkbox', 'menuitemcheckbox'].includes(role)) return 'switch';
  if (ctl.hasAttribute('aria-checked')) return 'switch';
  if (ctl.hasAttribute('aria-pressed')) return 'toggle-button';
  if (['checked', 'unchecked'].includes(ctl.getAttribute('data-state'))) return 'switch';
  if (ctl.localName.includes('-')) return 'switch';
  return 'other';
}

function switchOwnName(n) {
  const by = guardIdText(n, 'aria-labelledby').trim();
  if (by) return [by, 'aria-labelledby'];
  const label = (n.getAttribute('aria-label') || '').trim();
  if (label) return [label, 'aria-label'];
  const labels = labelsOf(n).map((l) => l.innerText || l.textContent || '').join(' ').trim();
  if (labels) return [labels, 'label'];
  const title = (n.getAttribute('title') || '').trim();
  if (title) return [title, 'title'];
  if (n.localName !== 'input') {
    const own = (n.innerText || '').trim();
    if (own) return [own, 'content'];
  }
  return null;
}

// The nearest text beside a nameless switch, as a person reads a row: the nearest preceding
// sibling with text, else the nearest following one, looking up to three levels; never a
// sibling that is or holds a switch, a link or a button (that is another row, or an action).
function besideText(ctl) {
  const doc = ctl.ownerDocument;
  let n = ctl;
  for (let depth = 0; depth < 3 && n && n.parentNode; depth++) {
    const sibs = Array.from(n.parentNode.children);
    const i = sibs.indexOf(n);
    const text = (s) => {
      if (GUARD_SKIP.has(s.localName) || s.matches(SWITCHY) || s.querySelector(SWITCHY)
          || s.matches(GUARD_ACTS) || s.querySelector(GUARD_ACTS)) return '';
      return (s.innerText || '').trim();
    };
    for (let j = i - 1; j >= 0; j--) { const t = text(sibs[j]); if (t) return t; }
    for (let j = i + 1; j < sibs.length; j++) { const t = text(sibs[j]); if (t) return t; }
    const up = parentOf(n);
    if (!up || up === doc.body || up === doc.documentElement) break;
    n = up;
  }
  return '';
}

function switchFacts(el) {
  const ctl = control(el);
  const c = ctl || el;
  const own = [c, el].filter((n, i, all) => all.indexOf(n) === i);
  let named = null;
  for (const n of own) { named = named || switchOwnName(n); }
  if (!named) {
    const described = own.map((n) => guardIdText(n, 'aria-describedby')).join(' ').trim();
    if (described) named = [described, 'aria-describedby'];
  }
  if (!named) {
    const beside = besideText(c);
    if (beside) named = [beside, 'beside'];
  }
  const reading = guardReading();
  for (const n of own) {
    guardRead(n, reading);
    for (const l of labelsOf(n)) guardRead(l, reading);
  }
  if (named) reading.names.push(named[0]);
  return {
    control: Object.assign(guardDescribe(c), {kind: switchKind(ctl)}),
    name: named ? named[0].replace(/\s+/g, ' ') : '',
    from: named ? named[1] : '',
    reading,
  };
}
