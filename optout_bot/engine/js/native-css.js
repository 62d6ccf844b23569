// nativeQueryAll(selectors): every element document.querySelectorAll finds for the CSS
// selectors, in order -- when those are provably the elements Playwright's CSS engine finds:
// standard CSS (no Playwright extension; the browser throws on those), and no open shadow
// root in the document (Playwright's CSS pierces them, querySelectorAll does not). Returns
// null otherwise, and the caller asks Playwright instead. A function to include, not a script
// of its own (see locators.py for why it exists).
function nativeQueryAll(selectors) {
  const top = document.documentElement;
  if (!top) return null;
  const walker = document.createTreeWalker(top, NodeFilter.SHOW_ELEMENT);
  for (let n = walker.currentNode; n; n = walker.nextNode()) if (n.shadowRoot) return null;
  const found = [];
  for (const css of selectors) {
    try { found.push(...document.querySelectorAll(css)); } catch (e) { return null; }
  }
  return found;
}
