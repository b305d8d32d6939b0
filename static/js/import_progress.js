// The progress of a background import, updated in place: the page works
// without this script (it reloads itself every few seconds). Every second
// this reads the job's status URL and fills the bar and the elements marked
// data-field; when the job has finished it reloads the page, which then
// shows the preview, what was imported, or why it failed.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section || !window.fetch) {
    return;
  }
  var bar = section.querySelector("progress");
  function update(status) {
    if (status.finished) {
      window.location.reload();
      return;
    }
    bar.max = Math.max(status.progress_max, 1);
    bar.value = status.progress_value;
    section.querySelectorAll("[data-field]").forEach(function (element) {
      var value = status[element.getAttribute("data-field")];
      if (value !== undefined && value !== null && value !== 0) {
        element.textContent = value;
      }
    });
    window.setTimeout(poll, 1000);
  }
  function poll() {
    fetch(section.getAttribute("data-status-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(update)
      .catch(function () {
        // The server is busy or restarting: try again a little later.
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
