// Before a masked capture (evaluate_all on the masks' combined locator): let the page
// settle, then paint the masks over the elements Playwright's selector engine found.
// Receives (elements, color). Returns the page's devicePixelRatio.
async (elements, color) => {
  // @include capture-settle-steps.js
  // @include capture-masks-lib.js
  paint(elements, color);
  return devicePixelRatio;
}
