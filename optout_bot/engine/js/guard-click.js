// The click guard's one reading (guard.py): what a click on the element would act on, and
// everything that says. Receives the element the flow's locator found. Returns
// {target, actor, also, reading} (see guardJudgeClick in guard-lib.js).
(el) => {
  // @include guard-lib.js
  return guardJudgeClick(el);
}
