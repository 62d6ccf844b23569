// Focuses the control, so a Space key press reaches it and nothing else. Receives the
// control. Returns true when the focus (through shadow roots) is now on it or inside it.
(ctl) => {
  // @include switch-lib.js
  ctl.focus(); const a = focusedIn(ctl.ownerDocument); return !!a && within(ctl, a);
}
