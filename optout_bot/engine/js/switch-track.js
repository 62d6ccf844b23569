// The drawn track a visually hidden input sits under, which takes the pointer instead of the
// input. Receives the control. Returns that element (for evaluate_handle), or null when the
// control takes clicks itself or no click lands on a track safely.
(ctl) => {
  // @include switch-lib.js
  return trackOf(ctl);
}
