// Before a masked capture whose masks are all plain CSS (page.evaluate, one round trip):
// let the page settle, find the masks with querySelectorAll where that provably finds what
// Playwright finds (native-css.js), and paint them. Receives [selectors, color]. Returns the
// page's devicePixelRatio; null (nothing painted) when querySelectorAll cannot be trusted
// for these selectors on this page -- capture.Camera then asks Playwright's engine.
async ([selectors, color]) => {
  // @include capture-settle-steps.js
  // @include capture-masks-lib.js
  // @include native-css.js
  const elements = nativeQueryAll(selectors);
  if (!elements) return null;
  paint(elements, color);
  return devicePixelRatio;
}
