// Before an unmasked capture: let the page settle (capture-settle-steps.js). Receives
// nothing. Returns the page's devicePixelRatio, which capture.Camera compares with the scale
// its DevTools session captures at.
async () => {
  // @include capture-settle-steps.js
  return devicePixelRatio;
}
