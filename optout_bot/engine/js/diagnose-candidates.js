// For the diagnosis of a broken flow: the page's interactive elements and what a person
// would call them (see diagnose-lib.js). Receives nothing. Returns [{index (its place in
// diagnose-lib.js's list, for diagnose-element.js), role, name, tag, attributes (the stable
// hooks: id, role, href, aria-labelledby, data-testid, data-test-id, type, aria-checked),
// visible}].
() => {
  // @include diagnose-lib.js
  return diagnoseElements().map(({el, role}, index) => {
    const rect = el.getBoundingClientRect();
    const attrs = {};
    for (const a of ['id', 'role', 'href', 'aria-labelledby', 'data-testid', 'data-test-id',
                     'type', 'aria-checked']) {
      if (el.hasAttribute(a)) attrs[a] = el.getAttribute(a);
    }
    return {index, role, name: diagnoseName(el), tag: el.tagName.toLowerCase(),
            attributes: attrs, visible: rect.width > 0 && rect.height > 0};
  });
}
