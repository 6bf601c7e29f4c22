/**
 * The web chat page: one self-contained document (no CDN, no build step). Bot text is only ever
 * put in the page through `textContent`, so nothing a message contains can run as markup.
 */

/** The page's own labels; bot messages come from the flows' catalogue, not from here. */
export const PAGE_TEXT = {
  en: {
    title: "Erasure Desk",
    tagline: "Delete your account, unbind a card or remove identity verification. A person is always one message away.",
    welcome:
      "Hello! I can delete your account, unbind a bank card, remove identity verification, export your data, or tell you where a request stands.\nWrite what you need. You can ask for a person at any time.",
    conversation: "Conversation",
    inputLabel: "Your message",
    placeholder: "Type a message…",
    send: "Send",
    language: "Language",
    you: "You",
    bot: "Erasure Desk",
    choices: "Choices",
    typing: "Erasure Desk is typing…",
    reconnecting: "Reconnecting…",
    connected: "Connected",
    notSent: "Your message was not sent.",
    retry: "Try again",
    tooLong: "That message is too long. Please keep it under 4000 characters.",
  },
  zh: {
    title: "Erasure Desk 注销服务台",
    tagline: "注销账号、解绑银行卡、撤销身份认证。随时可以转人工客服。",
    welcome:
      "您好！我可以帮您注销账号、解绑银行卡、撤销身份认证、导出个人数据，或查询您已提交申请的进度。\n请直接告诉我您需要什么，随时可以要求转人工。",
    conversation: "对话记录",
    inputLabel: "您的消息",
    placeholder: "请输入消息…",
    send: "发送",
    language: "语言",
    you: "您",
    bot: "Erasure Desk",
    choices: "选项",
    typing: "Erasure Desk 正在输入…",
    reconnecting: "正在重新连接…",
    connected: "已连接",
    notSent: "消息未能发送。",
    retry: "重试",
    tooLong: "消息太长了，请控制在 4000 字以内。",
  },
} as const;

export function renderChatPage({ nonce }: { nonce: string }): string {
  // JSON in a <script> must not close the element early.
  const texts = JSON.stringify(PAGE_TEXT).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>Erasure Desk</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main class="app">
  <header>
    <div class="heading">
      <h1 id="title">Erasure Desk</h1>
      <p id="tagline" class="tagline"></p>
    </div>
    <div class="lang" role="group" aria-labelledby="lang-label">
      <span id="lang-label" class="sr-only">Language</span>
      <button type="button" data-lang="en" aria-pressed="true" lang="en">EN</button>
      <button type="button" data-lang="zh" aria-pressed="false" lang="zh">中文</button>
    </div>
  </header>
  <p id="status" class="status" role="status" aria-live="polite"></p>
  <h2 id="log-label" class="sr-only">Conversation</h2>
  <section id="log" role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="log-label" tabindex="0"></section>
  <p id="typing" class="typing" hidden></p>
  <form id="composer" autocomplete="off">
    <label for="input" id="input-label" class="sr-only">Your message</label>
    <textarea id="input" name="text" rows="1" maxlength="4000" enterkeyhint="send"></textarea>
    <button type="submit" id="send">Send</button>
  </form>
</main>
<script nonce="${nonce}">
const TEXT = ${texts};
${SCRIPT}
</script>
</body>
</html>
`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --ink: #1b1f24; --muted: #57606a; --bot: #eef1f4;
  --me: #0b5cad; --me-ink: #fff; --accent: #0b5cad; --line: #d0d7de; --warn: #8a4b00; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --panel: #161b22; --ink: #e6edf3; --muted: #9da7b3;
  --bot: #21262d; --me: #2f81f7; --me-ink: #fff; --accent: #58a6ff; --line: #30363d; --warn: #e3b341; } }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { background: var(--bg); color: var(--ink); font: 16px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC",
  "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
.app { position: relative; display: flex; flex-direction: column; height: 100vh; height: 100dvh; max-width: 44rem; margin: 0 auto;
  background: var(--panel); border-inline: 1px solid var(--line); }
header { display: flex; gap: .75rem; align-items: flex-start; justify-content: space-between; padding: .75rem 1rem;
  border-bottom: 1px solid var(--line); }
h1 { font-size: 1.15rem; margin: 0; }
.tagline { margin: .15rem 0 0; color: var(--muted); font-size: .875rem; }
.lang { display: flex; flex-shrink: 0; border: 1px solid var(--line); border-radius: .5rem; overflow: hidden; }
.lang button { border: 0; background: transparent; color: var(--ink); padding: .4rem .7rem; min-height: 2.5rem; font: inherit; cursor: pointer; }
.lang button[aria-pressed="true"] { background: var(--accent); color: #fff; }
.status { margin: 0; padding: 0 1rem; font-size: .875rem; color: var(--warn); }
.status:not(:empty) { padding: .4rem 1rem; border-bottom: 1px solid var(--line); }
#log { position: relative; flex: 1; overflow-y: auto; padding: 1rem; display: flex; flex-direction: column; gap: .6rem; }
.msg { max-width: 85%; padding: .55rem .8rem; border-radius: .9rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg p { margin: 0; }
.bot { align-self: flex-start; background: var(--bot); border-bottom-left-radius: .25rem; }
.me { align-self: flex-end; background: var(--me); color: var(--me-ink); border-bottom-right-radius: .25rem; }
.note { align-self: center; color: var(--muted); font-size: .875rem; text-align: center; }
.choices { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .5rem; white-space: normal; }
.choices button, .note button { font: inherit; min-height: 2.75rem; padding: .45rem .9rem; border-radius: 1.4rem;
  border: 1px solid var(--accent); background: var(--panel); color: var(--accent); cursor: pointer; }
.choices button:disabled { opacity: .55; cursor: default; }
.choices button[aria-pressed="true"] { background: var(--accent); color: #fff; opacity: 1; }
.typing { margin: 0; padding: 0 1rem .4rem; color: var(--muted); font-size: .875rem; }
form { display: flex; gap: .5rem; padding: .75rem 1rem calc(.75rem + env(safe-area-inset-bottom)); border-top: 1px solid var(--line); }
textarea { flex: 1; resize: none; font: inherit; padding: .6rem .75rem; border-radius: .6rem; border: 1px solid var(--line);
  background: var(--bg); color: var(--ink); max-height: 8rem; }
#send { font: inherit; padding: 0 1.1rem; min-height: 2.75rem; border: 0; border-radius: .6rem; background: var(--accent); color: #fff; cursor: pointer; }
button:focus-visible, textarea:focus-visible, #log:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); border: 0; }
@media (max-width: 30rem) { header { padding: .6rem .75rem; } .tagline { font-size: .8rem; } #log { padding: .75rem; }
  .msg { max-width: 92%; } .app { border: 0; } }
`;

/** Plain browser JavaScript (no build step); kept free of template-literal syntax on purpose. */
const SCRIPT = `
"use strict";
(function () {
  var STORE = "erasure-desk.";
  var memory = {};
  function load(key) { try { return localStorage.getItem(STORE + key); } catch (e) { return memory[key] || null; } }
  function save(key, value) { try { localStorage.setItem(STORE + key, value); } catch (e) { memory[key] = value; } }

  // randomUUID needs a secure context; getRandomValues works on plain http too (a laptop on the LAN).
  function randomId() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  var userId = load("userId");
  if (!userId || !/^[A-Za-z0-9_-]{8,128}$/.test(userId)) { userId = randomId(); save("userId", userId); }
  var lang = load("lang") || ((navigator.language || "").toLowerCase().indexOf("zh") === 0 ? "zh" : "en");
  if (!TEXT[lang]) lang = "en";

  var log = document.getElementById("log");
  var input = document.getElementById("input");
  var form = document.getElementById("composer");
  var statusLine = document.getElementById("status");
  var typing = document.getElementById("typing");
  var seen = {};
  var lastEventId = null;
  var inFlight = 0;
  var queue = Promise.resolve();

  function t(key) { return TEXT[lang][key]; }

  function applyLanguage() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("title");
    document.getElementById("title").textContent = t("title");
    document.getElementById("tagline").textContent = t("tagline");
    document.getElementById("lang-label").textContent = t("language");
    document.getElementById("log-label").textContent = t("conversation");
    document.getElementById("input-label").textContent = t("inputLabel");
    document.getElementById("send").textContent = t("send");
    input.placeholder = t("placeholder");
    typing.textContent = t("typing");
    Array.prototype.forEach.call(document.querySelectorAll("[data-lang]"), function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (el) {
      el.textContent = t(el.getAttribute("data-text"));
    });
    if (statusLine.getAttribute("data-state") === "reconnecting") statusLine.textContent = t("reconnecting");
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function bubble(kind, text, textKey) {
    var item = document.createElement("div");
    item.className = "msg " + kind;
    var who = document.createElement("span");
    who.className = "sr-only";
    who.setAttribute("data-text", kind === "me" ? "you" : "bot");
    who.textContent = t(kind === "me" ? "you" : "bot");
    var body = document.createElement("p");
    body.textContent = text;
    if (textKey) body.setAttribute("data-text", textKey);
    item.appendChild(who);
    item.appendChild(body);
    log.appendChild(item);
    scrollDown();
    return item;
  }

  function showReply(reply) {
    var item = bubble("bot", String(reply.text || ""));
    var buttons = Array.isArray(reply.buttons) ? reply.buttons : [];
    if (buttons.length === 0) return;
    var group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t("choices"));
    buttons.forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = String(choice.label);
      button.addEventListener("click", function () {
        // One answer per question: a second click must not confirm twice.
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
        button.setAttribute("aria-pressed", "true");
        send(String(choice.value), String(choice.label));
        input.focus();
      });
      group.appendChild(button);
    });
    item.appendChild(group);
    scrollDown();
  }

  function note(textKey, retry) {
    var item = document.createElement("div");
    item.className = "note";
    var text = document.createElement("p");
    text.setAttribute("data-text", textKey);
    text.textContent = t(textKey);
    item.appendChild(text);
    if (retry) {
      var again = document.createElement("button");
      again.type = "button";
      again.setAttribute("data-text", "retry");
      again.textContent = t("retry");
      again.addEventListener("click", function () { item.remove(); retry(); });
      item.appendChild(again);
    }
    log.appendChild(item);
    scrollDown();
  }

  function setTyping(delta) {
    inFlight += delta;
    typing.hidden = inFlight === 0;
  }

  // Messages go out one at a time so the bot sees them in the order they were typed.
  function send(text, shown) {
    bubble("me", shown === undefined ? text : shown);
    var payload = { userId: userId, text: text, lang: lang, messageId: randomId().replace(/[^A-Za-z0-9_-]/g, "") };
    queue = queue.then(function () { return post(payload); });
  }

  function post(payload) {
    setTyping(1);
    return fetch("api/webchat/messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    }).then(function (response) {
      if (response.status === 413) { note("tooLong"); return; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json().then(function (body) { (body.replies || []).forEach(showReply); });
    }).catch(function () {
      // The same messageId on retry lets the server drop a copy that did arrive.
      note("notSent", function () { queue = queue.then(function () { return post(payload); }); });
    }).then(function () { setTyping(-1); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-lang]"), function (button) {
    button.addEventListener("click", function () {
      lang = button.getAttribute("data-lang");
      save("lang", lang);
      applyLanguage();
    });
  });

  function setStatus(state) {
    statusLine.setAttribute("data-state", state);
    statusLine.textContent = state === "reconnecting" ? t("reconnecting") : "";
  }

  var source = null;
  var backoff = 1000;
  function connect() {
    var url = "api/webchat/stream?userId=" + encodeURIComponent(userId);
    if (lastEventId) url += "&lastEventId=" + encodeURIComponent(lastEventId);
    source = new EventSource(url);
    source.addEventListener("open", function () { backoff = 1000; setStatus("connected"); });
    source.addEventListener("message", function (event) {
      if (event.lastEventId) lastEventId = event.lastEventId;
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.id && seen[message.id]) return;
      if (message.id) seen[message.id] = true;
      showReply(message);
    });
    source.addEventListener("error", function () {
      setStatus("reconnecting");
      // The browser retries by itself while CONNECTING; once CLOSED (server refused) it is up to us.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, 15000);
      }
    });
  }

  applyLanguage();
  bubble("bot", t("welcome"), "welcome");
  connect();
  input.focus();
})();
`;
