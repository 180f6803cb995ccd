// tochuc — small behaviours without inline scripts (CSP-friendly).
document.addEventListener("click", function (event) {
  // Organization picker: a result button fills the input it names.
  const pick = event.target.closest("[data-pick-value]");
  if (pick) {
    const input = document.getElementById(pick.dataset.pickTarget);
    if (input) {
      input.value = pick.dataset.pickValue;
      const label = document.getElementById(pick.dataset.pickTarget + "-label");
      if (label) label.textContent = pick.dataset.pickLabel || "";
      const results = pick.closest(".picker-results");
      if (results) results.innerHTML = "";
    }
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  // Auto-submit small filter forms (date picker, selects) when marked.
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});
document.body.addEventListener("htmx:configRequest", function (event) {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
