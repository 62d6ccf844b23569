// Every control on the page: the elements matching css (switch-likes and radios, as
// inspect.CONTROLS_CSS), through open shadow roots, in document order; not one inside another
// (a matched host's own insides are its business). Receives the CSS. Returns an array of
// elements (for evaluate_handle).
(css) => {
  // Controls under root, through open shadow roots, in document order; not one inside
  // another (a matched host's own insides are its business).
  const out = [];
  const within = (outer, node) => {
    for (let n = node; n; n = n.parentElement || (n.parentNode && n.parentNode.host) || null)
      if (n === outer) return true;
    return false;
  };
  const visit = (scope) => {
    for (const el of scope.querySelectorAll('*')) {
      if (el.matches(css) && !out.some((o) => within(o, el))) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return out;
}
