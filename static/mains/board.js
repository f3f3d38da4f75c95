// The dispatch board: a short sound when the poll brings new orders, if the user turned it on.
// The poll itself is htmx (desk/partials/board_poller.html); the flash comes with its answer.
(function () {
  "use strict";
  var KEY = "mains.board.sound";
  var audio = null;

  function soundOn() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function showToggle(button) {
    var on = soundOn();
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector("span").textContent = on ? button.dataset.on : button.dataset.off;
    button.querySelector("i").className = on ? "bi bi-volume-up" : "bi bi-volume-mute";
  }

  function beep() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    audio = audio || new Context();
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.type = "sine";
    tone.frequency.value = 880;
    gain.gain.setValueAtTime(0.15, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.4);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("board-sound");
    if (button) {
      showToggle(button);
      button.addEventListener("click", function () {
        try { window.localStorage.setItem(KEY, soundOn() ? "0" : "1"); } catch (e) { return; }
        showToggle(button);
        if (soundOn()) { beep(); }  // a click lets the browser start audio; and a sample
      });
    }
  });

  document.body.addEventListener("board-arrivals", function (event) {
    document.body.dataset.boardArrivals = String((event.detail && event.detail.count) || 0);
    if (soundOn()) { beep(); }
  });
})();
