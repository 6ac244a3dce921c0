// The hall's display board: asks the server every second whether a call was made (a tiny answer
// when nothing changed), redraws the lists and announces each new call aloud with the browser's
// speech synthesis. Without this script the board still shows the calls as of its last load.
const board = document.querySelector("[data-module='queue-board']");

function item(text, className) {
  const li = document.createElement("li");
  li.textContent = text;
  if (className) {
    li.className = className;
  }
  return li;
}

function callItem(call) {
  const li = document.createElement("li");
  const code = document.createElement("span");
  code.className = "queue-code";
  code.textContent = call.code;
  const arrow = document.createElement("span");
  arrow.className = "queue-arrow";
  arrow.setAttribute("aria-hidden", "true");
  arrow.textContent = " → ";
  const counter = document.createElement("span");
  counter.className = "queue-counter";
  counter.textContent = `${board.dataset.counterLabel || ""} ${call.counter}`.trim();
  li.append(code, arrow, counter);
  return li;
}

function announce(call) {
  if (!("speechSynthesis" in window)) {
    return;
  }
  // "A-001" is read letter by letter and digit by digit: "A nol nol satu".
  const [prefix, digits] = call.code.split("-");
  const spoken = `${board.dataset.sayNumber} ${prefix} ${digits.split("").join(" ")}, ${board.dataset.sayCounter} ${call.counter}`;
  const utterance = new SpeechSynthesisUtterance(spoken);
  utterance.lang = board.dataset.language || "id-ID";
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}

if (board) {
  const calls = document.getElementById("queue-calls");
  const next = document.getElementById("queue-next");
  let version = board.dataset.version || "";
  let seen = new Map();
  function show(data) {
    version = data.version;
    calls.replaceChildren(...(data.calls.length ? data.calls.map(callItem) : [item(board.dataset.noCall, "queue-empty")]));
    next.replaceChildren(...(data.next.length ? data.next.map((code) => item(code)) : [item(board.dataset.noneWaiting, "queue-empty")]));
    const fresh = new Map(data.calls.map((call) => [call.code, call.calls]));
    for (const call of data.calls) {
      if (seen.get(call.code) !== call.calls) {
        announce(call);
      }
    }
    seen = fresh;
  }
  async function poll() {
    try {
      const response = await fetch(`${board.dataset.url}?v=${encodeURIComponent(version)}`, {
        headers: { Accept: "application/json" },
        cache: "no-store",
      });
      if (response.ok) {
        const data = await response.json();
        if (data.changed) {
          show(data);
        }
      }
    } catch (error) {
      // The network is down for a moment: keep the board as it is and try again.
    }
    window.setTimeout(poll, 1000);
  }
  // Server-Sent Events when the installation serves them (LAYANAN_BOARD_EVENTS); the browser
  // reconnects by itself. If the stream cannot be opened at all, the board polls instead.
  function listen() {
    const source = new EventSource(`${board.dataset.events}?v=${encodeURIComponent(version)}`);
    let opened = false;
    source.addEventListener("open", () => {
      opened = true;
    });
    source.addEventListener("board", (event) => show(JSON.parse(event.data)));
    source.addEventListener("error", () => {
      if (!opened) {
        source.close();
        window.setTimeout(poll, 1000);
      }
    });
  }
  // The calls already on the board when it loaded, with their call counts: only a new call, or
  // a call made again, is announced (also the first call of the day on an empty board).
  seen = new Map([...calls.querySelectorAll(".queue-code")].map((node) => [node.textContent, Number(node.dataset.calls)]));
  if (board.dataset.events && "EventSource" in window) {
    listen();
  } else {
    window.setTimeout(poll, 1000);
  }
}
