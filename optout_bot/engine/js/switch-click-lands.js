// Would a click at target's centre land on it, and on nothing else that acts? Receives
// (target, control): what is about to be clicked (the control, a label, a drawn track) and
// the switch's control. Scrolls target into view when its centre is outside the viewport.
// Returns 'ok', 'on-control', 'covered-other', 'covered-own', 'hidden' or 'unsafe' (see
// probe() in switch-lib.js for what each means).
(target, ctl) => {
  // @include switch-lib.js
  return probe(target, ctl);
}
