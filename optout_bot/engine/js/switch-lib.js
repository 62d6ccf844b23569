// The switch engine's page-side functions, shared by every script that reads, waits on or
// acts on a switch (switch-*.js include this file), so reading, waiting and acting can never
// disagree. Functions and constants only: the including script calls them and returns.
// Needs SWITCHY (the CSS of switch-like controls, pagecalls.SWITCHY_CSS), defined below from
// Python so the page and the Python side use one list.
// @const SWITCHY
const INTERACTIVE = 'a[href], button, input, select, textarea, summary, [contenteditable=""],'
  + ' [contenteditable="true"], [role="link"], [role="button"], [role="switch"],'
  + ' [role="checkbox"], [role="menuitem"], [role="tab"], [role="option"]';

// 'on' | 'off' | 'unknown' (it has a state, and it is indeterminate) | null (none of its own).
function own(el) {
  if (el.localName === 'input' && (el.type === 'checkbox' || el.type === 'radio')) {
    if (el.indeterminate) return 'unknown';
    return el.checked ? 'on' : 'off';
  }
  for (const attr of ['aria-checked', 'aria-pressed']) {
    const v = el.getAttribute(attr);
    if (v === 'true') return 'on';
    if (v === 'false') return 'off';
    if (v === 'mixed') return 'unknown';
  }
  const ds = el.getAttribute('data-state');
  if (ds === 'checked' || ds === 'on') return 'on';
  if (ds === 'unchecked' || ds === 'off') return 'off';
  if (ds === 'indeterminate') return 'unknown';
  if (el.localName.includes('-')) {
    // A custom element's own state (Material's <md-switch selected>): the live property
    // first, like a native checkbox; else the boolean attribute, whose absence means off
    // only when the element declares that it watches it (observedAttributes).
    if (el.indeterminate === true) return 'unknown';
    for (const name of ['checked', 'selected']) {
      if (typeof el[name] === 'boolean') return el[name] ? 'on' : 'off';
    }
    if (el.hasAttribute('checked') || el.hasAttribute('selected')) return 'on';
    const cls = customElements.get(el.localName);
    const observed = (cls && cls.observedAttributes) || [];
    if (observed.includes('checked') || observed.includes('selected')) return 'off';
  }
  return null;
}

// The element's parent, crossing out of a shadow root to its host.
function parentOf(n) {
  return n.parentElement || (n.parentNode && n.parentNode.host) || null;
}

function within(outer, node) {
  for (let n = node; n; n = parentOf(n)) if (n === outer) return true;
  return false;
}

// Switch-like elements under root, through open shadow roots; not inside another match
// (a matched <md-switch>'s own insides are its business).
function switchesUnder(root) {
  const out = [];
  const visit = (scope) => {
    for (const child of scope.children) {
      if (child.matches(SWITCHY)) { out.push(child); continue; }
      if (child.shadowRoot) visit(child.shadowRoot);
      visit(child);
    }
  };
  visit(root);
  return out;
}

// The element that carries the state: el itself, or the one switch-like control in its open
// shadow root, else in its light DOM. Null when there is none, or more than one.
function control(el) {
  for (let depth = 0; el && depth < 4; depth++) {
    if (own(el) !== null) return el;
    let found = el.shadowRoot ? switchesUnder(el.shadowRoot) : [];
    if (found.length === 0) found = switchesUnder(el);
    if (found.length !== 1) return null;
    el = found[0];
  }
  return null;
}

function read(el) {
  if (!el || !el.isConnected) return 'unknown';
  const c = control(el);
  const s = c ? own(c) : null;
  return s === 'on' || s === 'off' ? s : 'unknown';
}

function busy(el) {
  for (const n of [el, control(el)]) {
    if (!n) continue;
    if (n.disabled === true || n.getAttribute('aria-busy') === 'true'
        || n.getAttribute('aria-disabled') === 'true') return true;
  }
  return false;
}

// The element under a point, looking through open shadow roots.
function deepHit(doc, x, y) {
  let hit = doc.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  return hit;
}

// The element's centre in its viewport (scrolled into view when outside it); null when it
// has no box (0x0, display:none) and empty is false.
function centre(el, empty) {
  const view = el.ownerDocument.defaultView;
  const mid = (r) => ({x: r.left + r.width / 2, y: r.top + r.height / 2});
  const inside = (p) => p.x >= 0 && p.y >= 0 && p.x < view.innerWidth && p.y < view.innerHeight;
  let r = el.getBoundingClientRect();
  if (!empty && (r.width < 1 || r.height < 1)) return null;
  if (!inside(mid(r))) {
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    r = el.getBoundingClientRect();
  }
  return inside(mid(r)) ? mid(r) : null;
}

// The switch's own surroundings: two levels up, short of <body>.
function neighbourhood(ctl) {
  const doc = ctl.ownerDocument;
  let n = ctl;
  for (let i = 0; i < 2; i++) {
    const p = parentOf(n);
    if (!p || p === doc.body || p === doc.documentElement) break;
    n = p;
  }
  return n;
}

// Would a click at target's centre land on target, and on nothing else that acts?
//   'ok'            it lands on target (or inside it);
//   'covered-other' something unrelated is on top (a pop-up): Playwright's click waits for
//                   it to go, and runs the flow's overlay handlers meanwhile;
//   'on-control'    target is something else (a label) but the click lands on the control;
//   'covered-own'   the switch's own drawing is on top (a track over a hidden input);
//   'hidden'        no box to click (0x0, display:none, clipped, pointer-events:none);
//   'unsafe'        it would land on a link or another control inside target.
function probe(target, ctl) {
  if (!target || !target.isConnected) return 'hidden';
  const p = centre(target, false);
  if (!p) return 'hidden';
  const hit = deepHit(target.ownerDocument, p.x, p.y);
  if (hit && within(target, hit)) {
    for (let n = hit; n && n !== target; n = parentOf(n)) {
      if (n.matches(INTERACTIVE) && !within(ctl, n) && !within(n, ctl)) return 'unsafe';
    }
    return target !== ctl && within(ctl, hit) ? 'on-control' : 'ok';
  }
  // Nothing there, or only what holds it: target is clipped away or lets the pointer through.
  if (!hit || within(hit, target)) return 'hidden';
  return within(neighbourhood(ctl), hit) ? 'covered-own' : 'covered-other';
}

// Its <label>s: label[for=id] and a wrapping label (el.labels has both), an enclosing label
// across shadow roots, then the <label>s its aria-labelledby names.
function labelsOf(ctl) {
  const out = [];
  const add = (l) => { if (l && l.localName === 'label' && !out.includes(l)) out.push(l); };
  for (const l of ctl.labels || []) add(l);
  for (let n = parentOf(ctl); n; n = parentOf(n)) if (n.localName === 'label') { add(n); break; }
  for (let n = ctl; n; n = n.getRootNode().host) {
    const root = n.getRootNode();
    for (const id of (n.getAttribute('aria-labelledby') || '').split(/\s+/)) {
      if (id && root.getElementById) add(root.getElementById(id));
    }
  }
  return out;
}

function actsOnItsOwn(el, ctl) {
  const acts = (n) => n !== ctl && !within(ctl, n) && !within(n, ctl) && n.matches(INTERACTIVE);
  return acts(el) || Array.from(el.querySelectorAll(INTERACTIVE)).some(acts);
}

// The drawn track a visually hidden input sits under: what is drawn where the input is, else
// a drawn sibling (named like a track first), else the parent. Drawn: no text of its own, or
// named like a track. Never a label (those had their turn), nor anything that holds a link or
// another control; null when no click lands on one.
function trackOf(ctl) {
  const doc = ctl.ownerDocument;
  const parent = parentOf(ctl);
  // A control that takes clicks itself has no track standing in for it.
  if (!parent || probe(ctl, ctl) === 'ok') return null;
  const avoid = [ctl, ...labelsOf(ctl)];
  const candidates = [];
  const at = centre(ctl, true);
  if (at) {
    const hit = deepHit(doc, at.x, at.y);
    if (hit && within(parent, hit) && !within(ctl, hit)) candidates.push(hit);
  }
  const named = (n) => /track|thumb|slider|toggle|switch|knob|handle/i.test(
    (n.getAttribute('class') || '') + ' ' + (n.getAttribute('part') || ''));
  const siblings = Array.from(ctl.parentNode.children).filter((n) => n !== ctl);
  siblings.sort((a, b) => Number(named(b)) - Number(named(a)));
  candidates.push(...siblings);
  if (parent !== doc.body && parent !== doc.documentElement) candidates.push(parent);
  for (const c of candidates) {
    if (avoid.some((a) => a === c || (a !== ctl && (within(a, c) || within(c, a))))) continue;
    if (c.localName === 'label' || actsOnItsOwn(c, ctl)) continue;
    if (!named(c) && c.textContent.trim()) continue;
    if (probe(c, ctl) === 'ok') return c;  // not 'on-control': that is the first click again
  }
  return null;
}

// What identifies it on the page, and its live state, for the evidence record.
function describe(el, attrs) {
  const out = {tag: el.tagName.toLowerCase()};
  for (const a of attrs) out[a] = el.getAttribute(a);
  const c = control(el) || el;
  if (c !== el) {
    const role = c.getAttribute('role'), type = c.getAttribute('type');
    out.control = c.localName + (role ? `[role=${role}]` : '') + (type ? `[type=${type}]` : '');
  }
  if ('checked' in c) out.checked = String(c.checked);
  let label = '';
  for (const n of [c, el]) {
    const root = n.getRootNode();
    const ids = (n.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    label = label || ids.map(id => ((root.getElementById && root.getElementById(id)) || {})
      .textContent || '').join(' ').trim() || (n.getAttribute('aria-label') || '').trim();
  }
  out.label = label.slice(0, 200);
  return out;
}

// Where a person would click the switch, and a watch that the click lands there: a click
// by coordinates (switch.set_state's quick way) goes where the switch is now, checked here,
// and the watch (capture phase, on the window: before the page's own listeners on the
// element) swallows every event of that click whose target is not inside el, should
// something else have moved under the pointer since, and says so (`watch.blocked`); it also
// notes what the switch read right after the click (`watch.after`). The watch ends with the
// click, or when unarmed. Null when a click at its centre would not land on it.
function aimAt(el) {
  if (probe(el, el) !== 'ok') return null;
  const p = centre(el, false);
  if (!p) return null;
  const watch = {blocked: false};
  const kinds = ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'];
  const check = (event) => {
    const target = event.composedPath()[0];
    if (!(target instanceof Node) || !within(el, target)) {
      watch.blocked = true;
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    if (event.type === 'click') {
      watch.unarm();
      // What the switch reads once the page's own click handlers have run: a page that
      // flips it and flips it back when its save fails may do both before any wait sees it.
      if (!watch.blocked) setTimeout(() => { watch.after = read(el); }, 0);
    }
  };
  watch.unarm = () => kinds.forEach((k) => window.removeEventListener(k, check, true));
  kinds.forEach((k) => window.addEventListener(k, check, true));
  return {watch, x: p.x, y: p.y};
}

// The deepest focused element, through shadow roots.
function focusedIn(doc) {
  let a = doc.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a;
}
