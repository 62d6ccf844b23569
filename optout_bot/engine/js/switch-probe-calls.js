// probeCall(el, call, args): what switch.Probe asks of the switch's element, one of
//   'read'      -> 'on' | 'off' | 'unknown' (as switch-read.js);
//   'describe'  -> the evidence description (as switch-describe.js; args[0]: attribute names);
//   'show'      -> true, after scrolling it into view (centred) unless its centre is in the
//                  viewport already. Plain DOM, no waiting: what follows is a screenshot;
//   'judge'     -> what the switch guard judges (switch-facts.js's switchFacts).
// NEXT is the answer no call gives, meaning "not this way: ask the next one". A function to
// include (after switch-lib.js, guard-lib.js and switch-facts.js), not a script of its own.
// @const NEXT
function probeCall(el, call, args) {
  if (call === 'read') return read(el);
  if (call === 'describe') return describe(el, args[0]);
  if (call === 'show') { centre(el, true); return true; }
  if (call === 'judge') return switchFacts(el);
  throw new Error('unknown probe call: ' + call);
}
