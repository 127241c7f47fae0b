// The customer widget: start a chat (routing's session-route), follow the place in line (live
// updates), chat (WebSocket), end it and rate it (ticketing's session-rate). The session lives
// in sessionStorage, so a reload lands back in the same conversation: the page joins again from
// seq 0 and chat sends the whole log, nothing missing. Nothing the page sends makes a customer
// premium: routing takes the tier from a verified identity only.
import { bearer, devToken, facesConfig, postJson, randomId, whenReady } from '../shared/api.js';
import { ChatSocket } from '../shared/chat-socket.js';
import { ConversationView, typingNotifier } from '../shared/conversation.js';
import { follow } from '../shared/live.js';

const KEY = 'meshdesk.widget';
const SKILLS = { general: {}, billing: { billing: 1 }, delivery: { delivery: 1 }, technical: { technical: 1 } };
const $ = (id) => document.getElementById(id);

let config;
let socket = null;
let live = null;
let view = null;
let receiptSent = 0;

const saved = () => JSON.parse(sessionStorage.getItem(KEY) || 'null');
const save = (state) => sessionStorage.setItem(KEY, JSON.stringify(state));

async function main() {
  config = await facesConfig();
  view = new ConversationView({ log: $('log'), typing: $('typing'), me: null, otherName: 'Agent' });
  $('start').addEventListener('submit', startChat);
  $('compose').addEventListener('submit', sendMessage);
  $('message').addEventListener('input', typingNotifier((on) => socket && socket.typing(on)));
  $('end').addEventListener('click', endChat);
  $('again').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
  for (const button of document.querySelectorAll('.rating button')) {
    button.addEventListener('click', () => rate(Number(button.textContent)));
  }
  document.addEventListener('visibilitychange', sendReceipt);
  const state = saved();
  if (state) {
    openChat(state);
  } else {
    $('start').hidden = false;
    $('name').focus();
  }
}

async function startChat(event) {
  event.preventDefault();
  $('start-error').textContent = '';
  const button = $('start').querySelector('button');
  button.disabled = true;
  try {
    // Who the customer is comes from a verified token (and with it the tier: never from the page).
    const customerId = randomId('c-');
    const identity = await devToken(config, 'customer', customerId);
    // The page names the session, so that a retried start is the same session (routing's idempotency key).
    const routed = await postJson('/session-route', {
      sessionId: globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : randomId('s-') + randomId(''),
      channel: 'web',
      language: $('language').value,
      skills: SKILLS[$('topic').value] || {},
    }, bearer(identity));
    const state = { sessionId: routed.sessionId, token: routed.customerToken, identity, customerId,
      name: $('name').value };
    save(state);
    $('start').hidden = true;
    openChat(state);
  } catch (e) {
    $('start-error').textContent = `Could not start the chat: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

function openChat(state) {
  $('chat').hidden = false;
  $('chat-title').textContent = state.name ? `Hello ${state.name}` : 'Your conversation';
  view.me = state.customerId;
  view.reset();
  live = follow(`/live/session/${encodeURIComponent(state.sessionId)}`, bearer(state.identity), (name, data) => {
    if (name === 'session') {
      showWhere(data);
    }
  });
  socket = new ChatSocket({
    urls: config.chatUrls,
    token: state.token,
    sessionId: state.sessionId,
    participantId: state.customerId,
    role: 'CUSTOMER',
    renew: async () => {
      const renewed = await postJson('/session-token', { sessionId: state.sessionId }, bearer(state.identity));
      save({ ...saved(), token: renewed.token });
      return renewed.token;
    },
    onPacket: (packet) => {
      if (view.apply(packet)) {
        sendReceipt();
      }
      if (view.closed) {
        chatEnded();
      }
    },
    onState: (s) => {
      if (s === 'reconnecting') {
        $('where').textContent = 'Connection lost; reconnecting…';
      } else if (s === 'open' && lastSession) {
        // Back on a chat instance: the place in line (or the agent) is what matters again.
        showWhere(lastSession);
      }
    },
    onEnd: (error) => {
      if (error) {
        $('chat-error').textContent = `The chat stopped: ${error.message}`;
      }
      chatEnded();
    },
  }).start(0);
  $('message').focus();
}

// The last session update routing pushed, shown again once a lost chat connection is back.
let lastSession = null;

function showWhere(session) {
  lastSession = session;
  const where = $('where');
  if (session.state === 'queued') {
    const wait = session.estimatedWaitSeconds;
    const about = wait === null || wait === undefined ? ''
      : wait < 60 ? ' (less than a minute)' : ` (about ${Math.round(wait / 60)} min)`;
    where.textContent = `You are number ${session.queuePosition} in line${about}. You can write already.`;
  } else if (session.state === 'assigned') {
    where.textContent = 'An agent is with you.';
  } else if (session.state === 'closed') {
    where.textContent = 'This chat has ended.';
  }
}

function sendMessage(event) {
  event.preventDefault();
  const input = $('message');
  const text = input.value.trim();
  if (!text || !socket || view.closed) {
    return;
  }
  const clientMsgId = socket.text(text);
  view.pending(clientMsgId, text);
  socket.typing(false);
  input.value = '';
  input.focus();
}

// One receipt per burst (a replayed history is many texts at once; chat limits packets per second).
let receiptTimer = null;
function sendReceipt() {
  if (receiptTimer) {
    return;
  }
  receiptTimer = setTimeout(() => {
    receiptTimer = null;
    if (socket && document.visibilityState === 'visible' && view.lastOtherSeq > receiptSent) {
      receiptSent = view.lastOtherSeq;
      socket.receipt(receiptSent);
    }
  }, 250);
}

async function endChat() {
  const state = saved();
  $('end').disabled = true;
  try {
    // Leaving before anyone answered is abandoning; ending a served chat means it is done.
    const outcome = $('where').textContent.startsWith('You are number') ? 'abandoned' : 'resolved';
    await postJson('/session-close', { sessionId: state.sessionId, outcome }, bearer(state.identity));
  } catch (e) {
    $('chat-error').textContent = `Could not end the chat: ${e.message}`;
    $('end').disabled = false;
  }
}

function chatEnded() {
  if (!$('after').hidden) {
    return;
  }
  if (live) {
    live.stop();
  }
  $('where').textContent = 'This chat has ended.';
  $('compose').querySelector('button').disabled = true;
  $('message').disabled = true;
  $('end').hidden = true;
  $('after').hidden = false;
  const state = saved();
  if (state && state.rated) {
    showRated(state.rated);
  } else {
    document.querySelector('.rating button').focus();
  }
}

async function rate(score) {
  const state = saved();
  const buttons = document.querySelectorAll('.rating button');
  buttons.forEach((b) => { b.disabled = true; });
  $('rated').textContent = 'Sending your rating…';
  try {
    // Chat hands the transcript to ticketing a moment after the end: until then "not yet" (409).
    await whenReady(() => postJson(`${config.ticketingUrl}/session-rate`, { sessionId: state.sessionId, score },
      bearer(state.identity)),
      { notYet: (e) => e.status === 409 && /not been archived/.test(e.message) });
    save({ ...state, rated: score });
    showRated(score);
  } catch (e) {
    $('rated').textContent = `The rating was not recorded: ${e.message}`;
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function showRated(score) {
  for (const b of document.querySelectorAll('.rating button')) {
    b.disabled = true;
    b.setAttribute('aria-pressed', String(Number(b.textContent) === score));
  }
  $('rated').textContent = `Thank you! You rated this chat ${score} out of 5.`;
}

main().catch((e) => {
  document.querySelector('main').insertAdjacentHTML('beforeend', '<p class="error" role="alert"></p>');
  document.querySelector('main .error:last-child').textContent = `The chat could not load: ${e.message}`;
});
