// Django's own admin widgets miss what WCAG 2.1 AA (checked by axe-core,
// tests/test_accessibility_admin.py) asks for, fixed here as they appear:
// the vendored select2 of autocomplete fields gives its search box no label
// and puts its mouse-only "remove all" cross inside the list of choices
// (keyboards remove with Backspace), and the SelectFilter's search icon
// carries an aria-label without a role.
(function () {
  "use strict";

  function labelOf(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim().replace(/:$/, "") : "";
  }

  function fix() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      const container = input.closest(".select2");
      const select = container && container.previousElementSibling;
      const label = select ? labelOf(select) : "";
      if (label) input.setAttribute("aria-label", label);
    });
    document.querySelectorAll(".select2-selection__clear:not([aria-hidden])").forEach(function (el) {
      el.setAttribute("aria-hidden", "true");
    });
    document.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }

  new MutationObserver(fix).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", fix);
})();
