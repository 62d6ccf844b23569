// Statements (not a function) for the top of an async script's body: finish the page's
// finite CSS animations and transitions (an infinite spinner is left alone), then wait, at
// most a second, for its web fonts -- as Playwright's screenshot does with
// animations="disabled", so a switch is not caught half-way across. Receives and returns
// nothing; the including script goes on.
for (const a of document.getAnimations()) {
  const end = a.effect && a.effect.getComputedTiming().endTime;
  if (end !== undefined && end !== Infinity) { try { a.finish(); } catch (e) {} }
}
await Promise.race([document.fonts.ready, new Promise((r) => setTimeout(r, 1000))]);
