// pageCall(el, call, args): a question the engine asks of an element it found, one of
//   'read'        -> the switch's state, 'on' | 'off' | 'unknown' (as switch-read.js);
//   'describe'    -> the switch's evidence description (as switch-describe.js; args[0]:
//                    attribute names);
//   'show'        -> true, after scrolling it into view (centred) unless its centre is in the
//                    viewport already. Plain DOM, no waiting: what follows is a screenshot;
//   'judge'       -> what the switch guard judges (switch-facts.js's switchFacts);
//   'aim'         -> switch.set_state's quick way: {state, x, y}, where to click the switch
//                    (its centre, in view) with the watch that the click lands on it armed
//                    (see aimAt in switch-lib.js), or {state} alone when the element is not
//                    its own control or a click there would not land on it alone;
//   'guard-click' -> what the click guard judges (guard-lib.js's guardJudgeClick).
// NEXT is the answer no call gives, meaning "not this way: ask the next one". A function to
// include (after switch-lib.js, guard-lib.js and switch-facts.js), not a script of its own.
// @const NEXT
// @const AIM_KEY
function pageCall(el, call, args) {
  if (call === 'read') return read(el);
  if (call === 'describe') return describe(el, args[0]);
  if (call === 'show') { centre(el, true); return true; }
  if (call === 'judge') return switchFacts(el);
  if (call === 'guard-click') return guardJudgeClick(el);
  if (call === 'aim') {
    const state = read(el);
    const aim = state !== 'unknown' && control(el) === el ? aimAt(el) : null;
    if (!aim) return {state};
    window[AIM_KEY] = aim.watch;
    return {state, x: aim.x, y: aim.y};
  }
  throw new Error('unknown page call: ' + call);
}
