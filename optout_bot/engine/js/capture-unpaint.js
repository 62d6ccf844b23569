// Removes the masks the last capture painted (capture-masks-lib.js). Receives and returns
// nothing.
() => {
  // @include capture-masks-lib.js
  unpaint();
}
