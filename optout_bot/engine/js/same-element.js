// Is the element a suggested locator found the element it was made for? Receives (element,
// wanted). Returns true or false.
(el, wanted) => el === wanted
