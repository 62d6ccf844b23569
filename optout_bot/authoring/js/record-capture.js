// The recorder's half in the page (authoring/record.py). Runs in an isolated world of every
// frame of the recording's page: it sees the page's DOM and events, the page's scripts do not
// see it. Receives {binding, generated, testIds, stateWords}: the binding that carries each
// message to optout-bot, the source of the "looks generated" regex for ids, the test-id
// attributes, and the words a settings list shows after a setting's name for its state.
//
// Each click a person makes is described (what a flow step needs: the element's verified
// alternatives, role, name, a title) and let through unchanged. A click on a switch or a
// checkbox is not let through: nothing is changed while recording. That click ends the
// recording (and every click after it is held back too, while optout-bot reads the switch).
({binding, generated, testIds, stateWords}) => {
  if (window.__optoutRecorder) return;
  window.__optoutRecorder = true;
  const GENERATED = new RegExp(generated, 'i');
  const STATE = new RegExp(stateWords, 'i');
  const send = (message) => {
    try { window[binding](JSON.stringify(message)); } catch (e) { /* the binding is gone */ }
  };
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const parentOf = (n) => n.parentElement || (n.parentNode && n.parentNode.host) || null;
  const attr = (el, name) => norm(el.getAttribute(name));
  // A CSS string literal.
  const q = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')
    .replace(/[\n\r\f]/g, (c) => '\\' + c.charCodeAt(0).toString(16) + ' ') + '"';

  const INTERACTIVE = [
    'a[href]', 'button', 'input', 'select', 'summary', 'label', '[role="button"]',
    '[role="link"]', '[role="menuitem"]', '[role="menuitemcheckbox"]', '[role="menuitemradio"]',
    '[role="tab"]', '[role="switch"]', '[role="checkbox"]', '[role="radio"]', '[role="option"]',
    '[role="treeitem"]', '[aria-haspopup]:not([aria-haspopup="false"])',
  ].join(', ');
  const SWITCHY = 'input[type="checkbox" i], [role="switch"], [role="checkbox"], '
    + '[role="menuitemcheckbox"]';
  const LANDMARKS = ['header', 'nav', 'main', 'aside', 'footer', '[role="dialog"]',
    '[role="menu"]', '[role="navigation"]', '[role="banner"]'];
  const DIALOGS = '[role="dialog"], [role="alertdialog"], dialog, [aria-modal="true"]';

  // -- what a screen reader (and Playwright's get_by_role) calls an element --------------------
  const hiddenForAria = (el) => {
    for (let e = el; e; e = parentOf(e)) {
      if (e.getAttribute && e.getAttribute('aria-hidden') === 'true') return true;
      if (e.nodeType === 1) {
        const style = getComputedStyle(e);
        if (style.display === 'none') return true;
        if (e === el && style.visibility !== 'visible') return true;
      }
    }
    return false;
  };
  const IMPLICIT = {
    a: (el) => el.hasAttribute('href') ? 'link' : '',
    button: () => 'button',
    summary: () => 'button',
    select: () => 'combobox',
    textarea: () => 'textbox',
    dialog: () => 'dialog',
    nav: () => 'navigation',
    input: (el) => {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      return {checkbox: 'checkbox', radio: 'radio', button: 'button', submit: 'button',
        reset: 'button', image: 'button', range: 'slider', search: 'searchbox'}[type]
        || 'textbox';
    },
  };
  const roleOf = (el) => {
    const explicit = attr(el, 'role').split(' ')[0];
    if (explicit) return explicit;
    const implicit = IMPLICIT[el.localName];
    return implicit ? implicit(el) : '';
  };
  // [name, text]: the accessible name from the element's content, and the same without the
  // alternative text of images (a member's photo carries their name: never in a flow).
  const content = (node) => {
    let all = '', text = '';
    for (const child of node.childNodes) {
      if (child.nodeType === 3) { all += child.data; text += child.data; continue; }
      if (child.nodeType !== 1 || hiddenForAria(child)) continue;
      if (['script', 'style', 'template', 'noscript'].includes(child.localName)) continue;
      const label = attr(child, 'aria-label');
      if (label) { all += ' ' + label + ' '; text += ' ' + label + ' '; continue; }
      if (child.localName === 'img') { all += ' ' + attr(child, 'alt') + ' '; continue; }
      if (child.localName === 'svg') continue;
      const [a, t] = content(child);
      all += ' ' + a + ' '; text += ' ' + t + ' ';
    }
    return [norm(all), norm(text)];
  };
  const FROM_CONTENT = ['button', 'link', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'tab', 'switch', 'checkbox', 'radio', 'option', 'treeitem', 'heading', 'cell'];
  const nameOf = (el, role) => {
    const root = el.getRootNode();
    const ids = attr(el, 'aria-labelledby').split(' ').filter(Boolean);
    if (ids.length) {
      const named = norm(ids.map((id) => {
        const n = root.getElementById ? root.getElementById(id) : null;
        return n ? content(n)[0] : '';
      }).join(' '));
      if (named) return [named, named];
    }
    const label = attr(el, 'aria-label');
    if (label) return [label, label];
    if (el.labels && el.labels.length) {
      const all = norm(Array.from(el.labels).map((l) => content(l)[0]).join(' '));
      const text = norm(Array.from(el.labels).map((l) => content(l)[1]).join(' '));
      if (all) return [all, text];
    }
    if (el.localName === 'img') return [attr(el, 'alt'), ''];
    if (el.localName !== 'input' && FROM_CONTENT.includes(role)) {
      const found = content(el);
      if (found[0]) return found;
    }
    const title = attr(el, 'title');
    return [title, title];
  };

  // -- alternatives, each checked to find exactly this element ---------------------------------
  const onlyThis = (css, el) => {
    try {
      const found = el.ownerDocument.querySelectorAll(css);
      return found.length === 1 && found[0] === el;
    } catch (e) {
      return false;
    }
  };
  const ROLE_CSS = {
    link: 'a[href], [role="link"]',
    button: 'button, summary, input[type="button" i], input[type="submit" i], '
      + 'input[type="reset" i], input[type="image" i], [role="button"]',
    checkbox: 'input[type="checkbox" i], [role="checkbox"]',
    radio: 'input[type="radio" i], [role="radio"]',
    dialog: 'dialog, [role="dialog"]',
  };
  // Exactly one element of this role answers to this name (as get_by_role finds: visible
  // ones only), and it is `el`.
  const onlyNamed = (el, role, test) => {
    const css = ROLE_CSS[role] || `[role=${q(role)}]`;
    let count = 0, same = false;
    for (const other of el.ownerDocument.querySelectorAll(css)) {
      if (roleOf(other) !== role || hiddenForAria(other)) continue;
      if (!test(nameOf(other, role)[0])) continue;
      count += 1;
      same = other === el;
      if (count > 1) return false;
    }
    return count === 1 && same;
  };
  const regexEscape = (s) => s.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&');

  const landmarkOf = (el) => {
    for (const landmark of LANDMARKS) if (el.parentElement && el.parentElement.closest(landmark)) {
      return landmark;
    }
    return '';
  };

  // Every locator a careful author would write for `el`, best first, each verified: hooks the
  // same in every language first (the link's path, aria-labelledby, ids that do not look made
  // up, test ids, the page's structure), then its role and name in the page's language.
  const alternativesFor = (el) => {
    const out = [];
    const add = (alt, ok) => {
      const key = JSON.stringify(alt);
      if (ok && !out.some((o) => JSON.stringify(o) === key)) out.push(alt);
    };
    const css = (selector) => add({css: selector}, onlyThis(selector, el));
    const tag = el.localName;
    const roleAttr = attr(el, 'role');
    const base = tag + (roleAttr ? `[role=${q(roleAttr)}]` : '');
    const landmark = landmarkOf(el);
    if (tag === 'a' && el.hasAttribute('href')) {
      let url = null;
      try { url = new URL(el.href); } catch (e) { url = null; }
      const path = url ? url.pathname.replace(/\/+$/, '') : '';
      if (url && url.origin === location.origin && path && !GENERATED.test(path)) {
        const raw = el.getAttribute('href').replace(/\/+$/, '');
        const sel = raw.endsWith(path) ? `a[href$=${q(path)}]` : `a[href*=${q(path)}]`;
        css(sel);
        if (landmark && !onlyThis(sel, el)) css(`${landmark} ${sel}`);
      }
    }
    const labelledby = attr(el, 'aria-labelledby');
    if (labelledby && !labelledby.split(' ').some((id) => GENERATED.test(id))) {
      css(`${base}[aria-labelledby=${q(labelledby)}]`);
      if (roleAttr) css(`[role=${q(roleAttr)}][aria-labelledby=${q(labelledby)}]`);
    }
    for (const name of testIds) {
      const value = attr(el, name);
      if (value && !GENERATED.test(value)) css(`[${name}=${q(value)}]`);
    }
    const id = attr(el, 'id');
    if (id && !GENERATED.test(id)) css(/^[A-Za-z][\w-]*$/.test(id) ? `#${id}` : `[id=${q(id)}]`);
    const nameAttr = attr(el, 'name');
    if (nameAttr && !GENERATED.test(nameAttr) && ['input', 'select', 'button'].includes(tag)) {
      css(`${tag}[name=${q(nameAttr)}]`);
    }
    // A menu button in the top bar: found by what it is and where, not by its words.
    const opens = ['aria-expanded', 'aria-haspopup'].find((a) => el.hasAttribute(a));
    if (opens && landmark) {
      const img = el.querySelector('img') ? ':has(img)' : '';
      css(`${landmark} ${base}[${opens}]${img}`);
      if (landmark !== 'header' && el.closest('header')) css(`header ${base}[${opens}]${img}`);
    }
    const role = roleOf(el);
    const [name, text] = nameOf(el, role);
    const state = role && role !== 'switch' && role !== 'checkbox' ? text.match(STATE) : null;
    if (role && name) {
      if (name === text && state && state.index > 0) {
        // "Data for Generative AI Improvement On": the name as it starts, whatever the state.
        const pattern = `^${regexEscape(text.slice(0, state.index))}`;
        const re = new RegExp(pattern);
        add({role, name_regex: pattern}, onlyNamed(el, role, (n) => re.test(n)));
      } else if (name === text) {
        add({role, name}, onlyNamed(el, role, (n) => n === name));
      } else if (text) {
        // The name holds an image's words (a photo's alt: the member's name): the rest of it,
        // anchored at its end, and never the image's words.
        const pattern = `(^|\\s)${regexEscape(text)}$`;
        const re = new RegExp(pattern);
        add({role, name_regex: pattern}, onlyNamed(el, role, (n) => re.test(n)));
      }
    }
    const label = attr(el, 'aria-label');
    if (label && label === text) css(`${base}[aria-label=${q(label)}]`);
    return {alternatives: out, role, name: state ? text.slice(0, state.index) : text, tag};
  };

  // -- what was clicked --------------------------------------------------------------------------
  const clicked = (event) => {
    const first = event.composedPath()[0];
    let el = first && first.nodeType === 1 ? first : first && first.parentElement;
    for (let n = el, depth = 0; n && depth < 12; n = parentOf(n), depth++) {
      if (n.nodeType === 1 && n.matches(INTERACTIVE)) return n;
    }
    return null;
  };
  const switchOf = (el) => {
    if (!el) return null;
    if (el.matches(SWITCHY)) return el;
    if (el.localName === 'label' && el.control && el.control.matches(SWITCHY)) return el.control;
    return null;
  };
  const dialogOf = (el) => {
    const dialog = el.closest(DIALOGS);
    if (!dialog) return null;
    const found = alternativesFor(dialog);
    const role = roleOf(dialog) === 'alertdialog' ? 'alertdialog' : 'dialog';
    const [name] = nameOf(dialog, role);
    return {alternatives: found.alternatives, role, name};
  };
  const pageFacts = () => {
    const meta = (n) => {
      const m = document.querySelector(`meta[property=${q(n)}], meta[name=${q(n)}]`);
      return m ? attr(m, 'content') : '';
    };
    const h1 = document.querySelector('main h1, h1');
    return {
      url: location.href,
      site: meta('og:site_name') || meta('application-name'),
      title: norm(document.title),
      heading: h1 ? content(h1)[1] : '',
      top: window === window.top,
    };
  };

  const described = (el) => {
    const found = alternativesFor(el);
    const dialog = dialogOf(el);
    if (dialog) {
      // What is clicked in a pop-up is looked for inside the pop-up: never on the page.
      const box = el.closest(DIALOGS);
      const scope = box.localName === 'dialog' ? 'dialog' : `[role=${q(roleOf(box) || 'dialog')}]`;
      found.alternatives = found.alternatives.map((alt) => {
        if (!alt.css || alt.css.startsWith(scope)) return alt;
        const scoped = `${scope} ${alt.css}`;
        return onlyThis(scoped, el) ? {css: scoped} : alt;
      });
    }
    return {...found, dialog, expands: el.hasAttribute('aria-expanded')
      || el.hasAttribute('aria-haspopup'), page: pageFacts()};
  };

  // A label's click is followed by the browser's own click on its control: one click.
  let lastLabelControl = null;
  let ended = false;
  const block = (event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };
  const onClick = (event) => {
    if (ended) return block(event);
    const el = clicked(event);
    if (!el) return;
    if (lastLabelControl && el === lastLabelControl) { lastLabelControl = null; return; }
    const sw = switchOf(el);
    if (sw) {
      block(event);
      ended = true;
      send({kind: 'switch', ...described(sw)});
      return;
    }
    if (el.localName === 'label' && el.control) lastLabelControl = el.control;
    send({kind: 'click', ...described(el)});
  };
  // The presses before a click on a switch are the page's cue too (some switches toggle on
  // pointerdown): they never reach the page.
  const onPress = (event) => {
    if (ended || switchOf(clicked(event))) event.stopImmediatePropagation();
  };
  const onKey = (event) => {
    if (event.key !== ' ' && event.key !== 'Enter') return;
    const sw = switchOf(clicked(event));
    if (!sw && !ended) return;
    block(event);
    if (sw && !ended) {
      ended = true;
      send({kind: 'switch', ...described(sw)});
    }
  };
  for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'touchstart',
    'touchend']) {
    window.addEventListener(type, onPress, true);
  }
  window.addEventListener('click', onClick, true);
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('keyup', (event) => {
    if ((event.key === ' ' || event.key === 'Enter') && switchOf(clicked(event))) block(event);
  }, true);
  send({kind: 'ready', page: pageFacts()});
}
