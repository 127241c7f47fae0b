// The agent console: sign in, register and keep presence (heartbeats while the page is open),
// see assigned sessions appear live (routing's /live/agent), chat in each (history on open,
// typing, receipts, canned replies), close a session with its outcome, and for an unresolved
// one show the ticket it became, with its transcript (ticketing's ticket-get).
import { bearer, devToken, facesConfig, postJson, whenReady } from '../shared/api.js';
import { ChatSocket } from '../shared/chat-socket.js';
import { ConversationView, typingNotifier } from '../shared/conversation.js';
import { follow } from '../shared/live.js';

const KEY = 'meshdesk.console';
const $ = (id) => document.getElementById(id);

let config;
let agent = null;
let heartbeat = null;
const chats = new Map();
let current = null;

// Every call carries the agent's verified token: the functions believe nothing else.
const who = () => bearer(agent.token);

async function main() {
  config = await facesConfig();
  $('signin').addEventListener('submit', signIn);
  $('status').addEventListener('change', () => setStatus($('status').value));
  $('compose').addEventListener('submit', sendMessage);
  $('message').addEventListener('input', typingNotifier((on) => current && current.socket.typing(on)));
  $('close').addEventListener('click', () => {
    const open = $('outcomes').hidden;
    $('outcomes').hidden = !open;
    $('close').setAttribute('aria-expanded', String(open));
    if (open) {
      $('outcomes').querySelector('button').focus();
    }
  });
  for (const b of $('outcomes').querySelectorAll('button')) {
    b.addEventListener('click', () => closeSession(b.dataset.outcome));
  }
  for (const reply of config.cannedReplies) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = reply;
    b.addEventListener('click', () => {
      $('message').value = reply;
      $('message').focus();
    });
    $('canned').append(b);
  }
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  if (saved) {
    agent = saved;
    await enterDesk();
  } else {
    $('signin').hidden = false;
    $('agent-id').focus();
  }
}

function profile(agentId) {
  const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const skills = {};
  for (const entry of list($('skills').value)) {
    const [name, level] = entry.split(':').map((s) => s.trim());
    skills[name] = Number(level || 3);
  }
  return {
    agentId,
    displayName: $('display-name').value.trim() || agentId,
    languages: list($('languages').value),
    skills,
    capacity: Number($('capacity').value || 100),
  };
}

async function signIn(event) {
  event.preventDefault();
  $('signin-error').textContent = '';
  try {
    agent = profile($('agent-id').value.trim());
    agent.token = await devToken(config, 'agent', agent.agentId);
    await register();
    sessionStorage.setItem(KEY, JSON.stringify(agent));
    await enterDesk();
  } catch (e) {
    $('signin-error').textContent = `Could not sign in: ${e.message}`;
  }
}

async function register() {
  const { token, ...registration } = agent;
  await postJson('/agent-register', registration, who());
}

async function enterDesk() {
  $('signin').hidden = true;
  $('desk').hidden = false;
  $('me').textContent = `· ${agent.displayName} (${agent.agentId})`;
  await register();
  startHeartbeats();
  presence('Available: new sessions come to you.');
  follow('/live/agent', who(), (name, data) => {
    if (name === 'sessions') {
      showSessions(data);
    } else if (name === 'queue') {
      showQueue(data);
    }
  });
  $('status').focus();
}

function startHeartbeats() {
  clearInterval(heartbeat);
  heartbeat = setInterval(async () => {
    try {
      await postJson('/agent-heartbeat', { agentId: agent.agentId }, who());
    } catch (e) {
      if (e.status === 404) {
        // The lease ran out (the tab slept): register again, as a new sign-in would.
        await register().catch(() => {});
      }
    }
  }, config.heartbeatSeconds * 1000);
}

async function setStatus(status) {
  try {
    if (status === 'offline') {
      clearInterval(heartbeat);
      await postJson('/agent-status', { agentId: agent.agentId, status }, who());
      presence('Offline: your open sessions went back to the queue.');
      return;
    }
    // Back from offline the agent registers again (offline removed its presence).
    await register();
    startHeartbeats();
    await postJson('/agent-status', { agentId: agent.agentId, status }, who());
    presence(status === 'away' ? 'Away: you keep your sessions and get no new ones.'
      : 'Available: new sessions come to you.');
  } catch (e) {
    presence(`The status did not change: ${e.message}`);
  }
}

function presence(text) {
  $('presence').textContent = text;
}

function showSessions(sessions) {
  const list = $('sessions');
  const ids = new Set(sessions.map((s) => s.sessionId));
  for (const li of [...list.children]) {
    if (!ids.has(li.dataset.sessionId)) {
      li.remove();
    }
  }
  for (const s of sessions) {
    if (list.querySelector(`[data-session-id="${CSS.escape(s.sessionId)}"]`)) {
      continue;
    }
    const li = document.createElement('li');
    li.dataset.sessionId = s.sessionId;
    li.setAttribute('aria-label', `Session ${s.sessionId} from ${s.customerId}`);
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `${s.customerId} · ${s.channel} · ${s.language}${s.priority === 'premium' ? ' · premium' : ''}`;
    b.title = `Session ${s.sessionId}`;
    b.addEventListener('click', () => openSession(s));
    li.append(b);
    list.append(li);
  }
  $('no-sessions').hidden = sessions.length > 0;
}

function showQueue(q) {
  $('q-premium').textContent = q.premium;
  $('q-standard').textContent = q.standard;
  $('q-waiting').textContent = q.waiting;
  $('q-oldest').textContent = q.waiting ? `${Math.round(q.oldestWaitSeconds)} s` : '–';
}

async function openSession(s) {
  for (const b of $('sessions').querySelectorAll('button')) {
    b.setAttribute('aria-current', String(b.parentElement.dataset.sessionId === s.sessionId));
  }
  $('ticket').hidden = true;
  $('chat').hidden = false;
  $('chat-title').textContent = `Session ${s.sessionId}`;
  $('chat-info').textContent = `${s.customerId} · ${s.channel} · ${s.language} · skills ${JSON.stringify(s.skills)}`;
  $('chat-error').textContent = '';
  $('outcomes').hidden = true;
  $('close').setAttribute('aria-expanded', 'false');
  $('close').disabled = false;
  $('message').disabled = false;
  if (current) {
    current.socket.close();
  }
  const view = new ConversationView({ log: $('log'), typing: $('typing'), me: agent.agentId, otherName: s.customerId });
  const { token } = await postJson('/session-token', { sessionId: s.sessionId }, who());
  const chat = { session: s, view, receiptSent: 0, receiptTimer: null };
  chat.socket = new ChatSocket({
    urls: config.chatUrls,
    token,
    sessionId: s.sessionId,
    participantId: agent.agentId,
    role: 'AGENT',
    renew: async () => (await postJson('/session-token', { sessionId: s.sessionId }, who())).token,
    onPacket: (packet) => {
      if (view.apply(packet)) {
        sendReceipt(chat);
      }
    },
    onEnd: (error) => {
      if (error) {
        $('chat-error').textContent = `The chat stopped: ${error.message}`;
      }
    },
  }).start(0);
  chats.set(s.sessionId, chat);
  current = chat;
  $('message').focus();
}

function sendReceipt(chat) {
  if (chat.receiptTimer) {
    return;
  }
  chat.receiptTimer = setTimeout(() => {
    chat.receiptTimer = null;
    if (document.visibilityState === 'visible' && chat.view.lastOtherSeq > chat.receiptSent) {
      chat.receiptSent = chat.view.lastOtherSeq;
      chat.socket.receipt(chat.receiptSent);
    }
  }, 250);
}

function sendMessage(event) {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text || !current || current.view.closed) {
    return;
  }
  current.view.pending(current.socket.text(text), text);
  current.socket.typing(false);
  $('message').value = '';
  $('message').focus();
}

async function closeSession(outcome) {
  const chat = current;
  $('outcomes').hidden = true;
  $('close').setAttribute('aria-expanded', 'false');
  $('close').disabled = true;
  try {
    await postJson('/session-close', { sessionId: chat.session.sessionId, outcome }, who());
    $('message').disabled = true;
    if (outcome === 'unresolved') {
      await showTicket(chat.session);
    }
  } catch (e) {
    $('chat-error').textContent = `Could not close the session: ${e.message}`;
    $('close').disabled = false;
  }
}

// Ticketing opens the ticket from routing's close event and attaches the transcript from
// chat's: both arrive a moment after the close, so the console asks again for a bounded while.
async function showTicket(session) {
  $('ticket').hidden = false;
  $('ticket-title').textContent = 'Ticket';
  $('ticket-info').textContent = 'Opening the ticket…';
  $('transcript').replaceChildren();
  const url = config.ticketingUrl;
  const found = await whenReady(async () => {
    const page = await postJson(`${url}/ticket-search`, { customerId: session.customerId }, who());
    return page.tickets.find((t) => t.sessionId === session.sessionId) || null;
  });
  const ticket = await whenReady(async () => {
    const t = await postJson(`${url}/ticket-get`, { ticketId: found.ticketId }, who());
    return t.transcript ? t : null;
  });
  $('ticket-title').textContent = `Ticket ${ticket.ticketId.slice(0, 8)}`;
  $('ticket-info').textContent = `${ticket.subject} · ${ticket.status} · priority ${ticket.priority} · queue ${ticket.queue}`;
  for (const line of ticket.transcript.lines.filter((l) => l.kind === 'text')) {
    const li = document.createElement('li');
    li.textContent = `${line.senderId}: ${line.text}`;
    $('transcript').append(li);
  }
  $('ticket').focus();
}

main().catch((e) => {
  document.querySelector('main').insertAdjacentHTML('beforeend', '<p class="error" role="alert"></p>');
  document.querySelector('main .error:last-child').textContent = `The console could not load: ${e.message}`;
});
