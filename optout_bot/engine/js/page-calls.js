// pageCall(el, call, args): a question the engine asks of an element it found, one of
//   'read'        -> the switch's state, 'on' | 'off' | 'unknown' (as switch-read.js);
//   'describe'    -> the switch's evidence description (as switch-describe.js; args[0]:
//                    attribute names);
//   'show'        -> true, after scrolling it into view (centred) unless its centre is in the
//                    viewport already. Plain DOM, no waiting: what follows is a screenshot;
//   'judge'       -> what the switch guard judges (switch-facts.js's switchFacts);
//   'click-ready' -> whether the switch can be clicked as it is, the common case of
//                    switch.set_state: {state, same (the element is its own control), lands
//                    (where a click on it lands, as switch-click-lands.js; null unless same)};
//   'guard-click' -> what the click guard judges (guard-lib.js's guardJudgeClick).
// NEXT is the answer no call gives, meaning "not this way: ask the next one". A function to
// include (after switch-lib.js, guard-lib.js and switch-facts.js), not a script of its own.
// @const NEXT
function pageCall(el, call, args) {
  if (call === 'read') return read(el);
  if (call === 'describe') return describe(el, args[0]);
  if (call === 'show') { centre(el, true); return true; }
  if (call === 'judge') return switchFacts(el);
  if (call === 'guard-click') return guardJudgeClick(el);
  if (call === 'click-ready') {
    const same = control(el) === el;
    return {state: read(el), same, lands: same ? probe(el, el) : null};
  }
  throw new Error('unknown page call: ' + call);
}
