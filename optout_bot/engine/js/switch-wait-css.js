// A wait_for_function predicate, the common case of switch-wait.js in one round trip, after
// switch.set_state's quick click (see aimAt in switch-lib.js): has the switch that the CSS
// finds (as Playwright's `.first` would) come to read the wanted state, or did it right after
// the click? Receives [css, wanted ('on' | 'off')]. Throws BLOCKED (ending the wait) when the
// click's watch swallowed it (it did not land on the switch); returns true once either holds;
// false meanwhile, and while the CSS finds nothing or is not provably what Playwright finds
// (the caller's wait then ends by its timeout and the general way takes over).
([css, wanted]) => {
  // @include switch-lib.js
  // @include native-css.js
  // @const AIM_KEY
  const watch = window[AIM_KEY];
  // @const BLOCKED
  if (watch && watch.blocked) { watch.unarm(); delete window[AIM_KEY]; throw new Error(BLOCKED); }
  // It read wanted right after the click, even if the page has put it back since (a save
  // that failed): the click was heard, and the reload's re-read judges the rest.
  const heard = !!watch && watch.after === wanted;
  const el = (nativeQueryAll([css]) || [])[0];
  if (!heard && (!el || read(el) !== wanted)) return false;
  if (watch) { watch.unarm(); delete window[AIM_KEY]; }
  return true;
}
