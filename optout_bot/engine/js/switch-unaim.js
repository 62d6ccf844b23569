// Ends the watch of switch.set_state's quick click (see aimAt in switch-lib.js) when the
// click did not end it itself (it failed, or the page stopped its events). Receives nothing.
// Returns true.
() => {
  // @const AIM_KEY
  const watch = window[AIM_KEY];
  if (watch) { watch.unarm(); delete window[AIM_KEY]; }
  return true;
}
