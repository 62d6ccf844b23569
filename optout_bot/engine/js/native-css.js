// nativeQueryAll(selectors): every element document.querySelectorAll finds for the CSS
// selectors, in order -- when those are provably the elements Playwright's CSS engine finds:
// standard CSS (no Playwright extension; the browser throws on those), and no open shadow
// root in the document (Playwright's CSS pierces them, querySelectorAll does not). Returns
// null otherwise, and the caller asks Playwright instead.
//
// nativeVisible(el): Playwright's own test of "visible" (its injected script's
// isElementVisible): rendered (checkVisibility), `visibility: visible`, and a box wider and
// taller than 0. null for `display: contents`, whose rule (any visible child) is left to
// Playwright.
//
// Functions to include, not a script of their own (see locators.py for why they exist).
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

function nativeVisible(el) {
  const style = getComputedStyle(el);
  if (style.display === 'contents') return null;
  if (!el.checkVisibility() || style.visibility !== 'visible') return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0;
}
