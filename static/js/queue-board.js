/* Display board: announce each new call with a chime and a spoken Indonesian
   sentence, once the operator has pressed "Turn sound on" (browsers allow
   sound only after a user gesture). HTMX replaces #board-calls every second;
   a call is new when its data-call-key was not seen before (a recall changes
   the key). Served from our origin; the CSP allows no inline script. */
(function () {
  "use strict";
  var seen = new Set();
  var soundOn = false;
  var audio = null;
  // Read by tests and by anyone debugging a silent board.
  var state = (window.ptspBoard = { spoken: [], chimes: 0 });

  function calls() {
    return document.querySelectorAll("#board-calls [data-call-key]");
  }

  function chime() {
    if (!audio) return;
    state.chimes += 1;
    var start = audio.currentTime;
    [784, 659, 523].forEach(function (freq, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start + i * 0.35);
      gain.gain.exponentialRampToValueAtTime(0.4, start + i * 0.35 + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.35 + 0.6);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + i * 0.35);
      osc.stop(start + i * 0.35 + 0.65);
    });
  }

  function say(text) {
    state.spoken.push(text);
    if (!("speechSynthesis" in window) || !text) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "id-ID";
    utterance.rate = 0.9;
    var voice = window.speechSynthesis.getVoices().find(function (v) {
      return (v.lang || "").toLowerCase().indexOf("id") === 0;
    });
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  }

  function announceNew() {
    var fresh = [];
    calls().forEach(function (el) {
      var key = el.getAttribute("data-call-key");
      if (!key || seen.has(key)) return;
      seen.add(key);
      el.classList.add("fresh");
      fresh.push(el.getAttribute("data-speech"));
    });
    if (!soundOn || fresh.length === 0) return;
    chime();
    window.setTimeout(function () { fresh.forEach(say); }, 1100);
  }

  document.addEventListener("DOMContentLoaded", function () {
    calls().forEach(function (el) {
      var key = el.getAttribute("data-call-key");
      if (key) seen.add(key); // calls already on screen are not announced
    });
    var button = document.getElementById("sound-toggle");
    if (button) {
      button.addEventListener("click", function () {
        soundOn = !soundOn;
        button.setAttribute("aria-pressed", String(soundOn));
        button.textContent = button.getAttribute(
          soundOn ? "data-label-on" : "data-label-off"
        );
        if (soundOn) {
          var Context = window.AudioContext || window.webkitAudioContext;
          if (Context && !audio) audio = new Context();
          if (audio) audio.resume();
          chime();
        }
      });
    }
    document.body.addEventListener("htmx:afterSwap", announceNew);
  });
})();
