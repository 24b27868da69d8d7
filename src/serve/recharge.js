// amiris serve: reloads the page when the site has been rebuilt (preview only, never published).
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  if (version === null) {
    return;
  }
  function wait(delay) {
    setTimeout(function () {
      fetch("/__amiris/evenements?version=" + encodeURIComponent(version), { cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (String(data.version) !== version) {
            window.location.reload();
          } else {
            wait(0);
          }
        })
        .catch(function () {
          // The server is restarting or stopped: try again a little later.
          wait(1000);
        });
    }, delay);
  }
  wait(0);
})();
