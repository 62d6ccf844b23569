// The <label>s that set the control when clicked: label[for=id], a wrapping label, an
// enclosing label across shadow roots, then those its aria-labelledby names. Receives the
// control. Returns an array of elements (for evaluate_handle), possibly empty.
(ctl) => {
  // @include switch-lib.js
  return labelsOf(ctl);
}
