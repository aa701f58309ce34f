/* reviewdesk workbench: live countdowns and the notification bell. No framework; htmx does the
   rest. A countdown is any element with data-due (ISO time); the server renders its first value
   in the same format, so the page reads right before this script runs. */
(function () {
  "use strict";

  function clock(seconds, dayUnit) {
    var s = Math.abs(seconds);
    var days = Math.floor(s / 86400);
    var hours = Math.floor((s % 86400) / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    var secs = s % 60;
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var text = (hours || days) ? two(hours) + ":" + two(minutes) + ":" + two(secs) : two(minutes) + ":" + two(secs);
    return days ? days + (dayUnit || "d") + " " + text : text;
  }

  // Narrow columns (data-short-*): over an hour reads 1天3小时 / 5小时12分, below it ticks.
  function text(el, seconds) {
    var s = Math.abs(seconds);
    if (!el.dataset.shortH || s < 3600) { return clock(seconds, el.dataset.day); }
    var days = Math.floor(s / 86400), hours = Math.floor((s % 86400) / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    if (days) { return el.dataset.shortD.replace("%(d)d", days).replace("%(h)d", hours); }
    return el.dataset.shortH.replace("%(h)d", hours).replace("%(m)d", minutes);
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due);
      if (isNaN(due)) { return; }
      var seconds = Math.round((due - now) / 1000);
      var over = seconds < 0;
      var template = over ? el.dataset.over : el.dataset.left;
      if (template) { el.textContent = template.replace("%s", text(el, seconds)); }
      el.classList.toggle("cd-over", over);
      var warn = el.dataset.warn ? Date.parse(el.dataset.warn) : NaN;
      el.classList.toggle("cd-warn", !over && !isNaN(warn) && now >= warn);
    });
  }

  // The bell polls only while its dropdown is closed, so a read click never races a refresh.
  window.rdBellIdle = function () {
    return !document.querySelector("#bell details[open]");
  };

  // Close the bell when clicking elsewhere.
  document.addEventListener("click", function (event) {
    var open = document.querySelector("#bell details[open]");
    if (open && !open.contains(event.target)) { open.removeAttribute("open"); }
  });

  document.addEventListener("htmx:afterSettle", tick);
  document.addEventListener("DOMContentLoaded", tick);
  setInterval(tick, 1000);
})();
