// The element a diagnosis candidate (diagnose-candidates.js) was, for checking the locators
// made for it. Receives [index, role, name]. Returns the element at that place of
// diagnose-lib.js's list when it still has that role and name, else null (the page changed).
([index, role, name]) => {
  // @include diagnose-lib.js
  const found = diagnoseElements()[index];
  return found && found.role === role && diagnoseName(found.el) === name ? found.el : null;
}
