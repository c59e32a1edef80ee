// The waiting room, progressively enhanced: without this file the page refreshes itself
// (<noscript> refresh) and has an « Actualiser » button. With it, the position is asked for
// again after the delay each answer gives (slower far from the front, faster near it), the
// live region announces changes, and the turn plays a sound (once « Activer l'alerte sonore »
// was pressed: browsers play sound only after a gesture), changes the title and opens the
// submission page. An error or a lost connection only delays the next question.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var room = document.querySelector("[data-waiting-room]");
    if (!room || room.getAttribute("data-status") !== "waiting") { return; }
    var sound = room.querySelector("[data-turn-sound]");
    var soundButton = room.querySelector("[data-sound-on]");
    var soundState = room.querySelector("[data-sound-state]");
    var soundOn = false;
    if (soundButton && sound) {
      soundButton.hidden = false;
      soundButton.addEventListener("click", function () {
        // Played muted once now, within the gesture, so that the browser allows it later.
        sound.muted = true;
        var played = sound.play();
        var done = function () { sound.pause(); sound.currentTime = 0; sound.muted = false; };
        if (played && played.then) { played.then(done, done); } else { done(); }
        soundOn = true;
        soundButton.hidden = true;
        if (soundState) { soundState.hidden = false; }
      });
    }
    var field = function (name) { return room.querySelector('[data-wr="' + name + '"]'); };
    var url = room.getAttribute("data-poll-url");
    // The pass says whose ticket it is: the polls go without cookies (no session to read or
    // write), so that the server answers them from Redis in one round trip.
    var pass = room.getAttribute("data-pass");
    var delay = Number(room.getAttribute("data-poll")) || 10;
    var turn = function (data) {
      document.title = data.title + " — " + document.title;
      field("title").textContent = data.title;
      field("message").textContent = data.message;
      var box = document.getElementById("wr-message");
      box.className = "notice notice--success";
      if (soundOn && sound) { sound.play().catch(function () {}); }
      // Time to hear the sound and read the message, then the page that lets one sign in.
      setTimeout(function () { window.location.assign(data.turn_url); }, 4000);
    };
    var ask = function () {
      fetch(url, {
        credentials: "omit",
        headers: { Accept: "application/json", "X-Guichet-Pass": pass }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          delay = Number(data.poll) || delay;
          if (data.status === "admitted" && data.turn_url) { turn(data); return; }
          if (data.status !== "waiting" && data.status !== "slow_down") {
            window.location.reload();
            return;
          }
          if (data.status === "waiting") {
            var shown = field("position");
            var before = shown ? Number(shown.textContent) : NaN;
            var message = field("message");
            var text = data.message;
            // A position that grows is explained (people admitted but absent took their
            // number back, ahead of this one), never left unsaid.
            if (data.position !== null && before && data.position > before && data.position_grew) {
              text = data.message + " " + data.position_grew;
            }
            ["position", "ahead"].forEach(function (name) {
              var element = field(name);
              if (element && data[name] !== null && String(data[name]) !== element.textContent) {
                element.textContent = data[name];
              }
            });
            var wait = field("wait");
            if (wait && data.wait_text && wait.textContent !== data.wait_text) {
              wait.textContent = data.wait_text;
            }
            if (message && message.textContent !== text) { message.textContent = text; }
          }
          setTimeout(ask, delay * 1000);
        })
        .catch(function () { setTimeout(ask, delay * 1000); });
    };
    setTimeout(ask, delay * 1000);
  });
})();
