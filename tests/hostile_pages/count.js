// Counts every click that reaches the page, so a test proves a refused click never happened.
window.clicks = 0;
document.addEventListener("click", () => { window.clicks += 1; }, true);
