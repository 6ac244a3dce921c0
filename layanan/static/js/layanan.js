// Layanan: small optional enhancements. Every page works without this file (old phones, JavaScript
// off, a script blocked on a slow connection); it only saves a few steps where it runs.

// An error summary gets the focus, so a screen reader reads the problems first.
const summary = document.querySelector("[data-module='error-summary']");
if (summary) {
  summary.focus();
}

// A link in the error summary focuses its field and scrolls its label (or legend) into view; the
// plain anchor would hide the question above the top of the screen.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest(".error-summary a[href^='#']") : null;
  const input = link && document.getElementById(link.getAttribute("href").slice(1));
  if (!input) {
    return;
  }
  const label = input.closest("fieldset")?.querySelector("legend") || document.querySelector(`label[for='${input.id}']`);
  event.preventDefault();
  (label || input).scrollIntoView();
  input.focus({ preventScroll: true });
});

// Print buttons exist only where printing from a button can work.
for (const button of document.querySelectorAll("[data-module='print']")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Forms marked data-prevent-double-submit ignore a second press for a few seconds: on a slow
// connection people press again and would otherwise send the same application twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-prevent-double-submit")) {
    return;
  }
  if (form.dataset.submitting) {
    event.preventDefault();
    return;
  }
  form.dataset.submitting = "true";
  setTimeout(() => delete form.dataset.submitting, 5000);
});
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-submitting]")) {
    delete form.dataset.submitting;
  }
});

// A table frame that does not overflow needs no keyboard stop of its own (checked again when a
// phone is turned).
const tableFrames = document.querySelectorAll("[data-module='table-wrap']");
const updateTableFrames = () => {
  for (const frame of tableFrames) {
    if (frame.scrollWidth > frame.clientWidth) {
      frame.setAttribute("tabindex", "0");
    } else {
      frame.removeAttribute("tabindex");
    }
  }
};
if (tableFrames.length) {
  updateTableFrames();
  window.addEventListener("resize", updateTableFrames);
}
