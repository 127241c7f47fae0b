// Renders a session's log into an element with role "log", and works out each own message's
// state from the log itself: sent (chat gave it a seq), delivered (the other participant was
// connected when it was sent, or joined later), read (the other's receipt covers its seq).
// Typing is shown for a few seconds after the other participant's last typing packet.

const TYPING_SHOWN_MS = 4000;

export class ConversationView {
  constructor({ log, typing, me, otherName }) {
    Object.assign(this, { log, typingEl: typing, me, otherName });
    this.reset();
  }

  reset() {
    this.log.replaceChildren();
    this.seen = new Set();
    this.mine = new Map();
    this.pendingEls = new Map();
    this.otherPresent = false;
    this.deliveredUpTo = 0;
    this.readUpTo = 0;
    this.lastOtherSeq = 0;
    this.closed = false;
    this.setTyping(false);
  }

  /** A text typed here before chat acknowledged it. */
  pending(clientMsgId, text) {
    const el = this.line('mine', 'You', text, 'sending');
    this.pendingEls.set(clientMsgId, el);
  }

  /** Applies one packet from chat; returns true when it is a new text from the other side. */
  apply(packet) {
    const seq = Number(packet.seqNum || 0);
    const fromMe = packet.senderId === this.me;
    if (packet.typing) {
      if (!fromMe) {
        this.setTyping(packet.typing.typing === true);
      }
      return false;
    }
    if (seq > 0) {
      if (this.seen.has(seq)) {
        return false;
      }
      this.seen.add(seq);
    }
    if (packet.event) {
      this.event(packet, seq, fromMe);
      this.refresh();
      return false;
    }
    if (packet.receipt) {
      if (!fromMe) {
        this.readUpTo = Math.max(this.readUpTo, Number(packet.receipt.readUpToSeq || 0));
        this.deliveredUpTo = Math.max(this.deliveredUpTo, seq);
        this.refresh();
      }
      return false;
    }
    if (!packet.text) {
      return false;
    }
    if (fromMe) {
      let el = this.pendingEls.get(packet.text.clientMsgId);
      this.pendingEls.delete(packet.text.clientMsgId);
      if (!el) {
        el = this.line('mine', 'You', packet.text.text, 'sent');
      }
      el.dataset.seq = String(seq);
      this.mine.set(seq, el);
      if (this.otherPresent) {
        this.deliveredUpTo = Math.max(this.deliveredUpTo, seq);
      }
      this.refresh();
      return false;
    }
    this.setTyping(false);
    this.otherPresent = true;
    this.deliveredUpTo = Math.max(this.deliveredUpTo, seq);
    this.lastOtherSeq = Math.max(this.lastOtherSeq, seq);
    this.line('theirs', this.otherName, packet.text.text, null).dataset.seq = String(seq);
    this.refresh();
    return true;
  }

  event(packet, seq, fromMe) {
    const type = packet.event.type;
    if (type === 'CLOSED') {
      this.closed = true;
      this.system('The chat has ended.');
      return;
    }
    if (fromMe) {
      return;
    }
    if (type === 'JOINED') {
      this.otherPresent = true;
      this.deliveredUpTo = Math.max(this.deliveredUpTo, seq);
    } else if (type === 'LEFT') {
      this.otherPresent = false;
    }
  }

  refresh() {
    for (const [seq, el] of this.mine) {
      const state = this.readUpTo >= seq ? 'read' : this.deliveredUpTo >= seq ? 'delivered' : 'sent';
      const status = el.querySelector('.status');
      if (status.textContent !== state) {
        status.textContent = state;
        el.dataset.state = state;
      }
    }
  }

  line(kind, who, text, state) {
    const item = document.createElement('div');
    item.className = `msg ${kind}`;
    const name = document.createElement('span');
    name.className = 'who';
    name.textContent = who;
    const body = document.createElement('p');
    body.textContent = text;
    item.append(name, body);
    if (state) {
      const status = document.createElement('span');
      status.className = 'status';
      status.textContent = state;
      item.dataset.state = state;
      item.append(status);
    }
    this.log.append(item);
    this.log.scrollTop = this.log.scrollHeight;
    return item;
  }

  system(text) {
    const item = document.createElement('p');
    item.className = 'system';
    item.textContent = text;
    this.log.append(item);
  }

  setTyping(on) {
    clearTimeout(this.typingTimer);
    this.typingEl.textContent = on ? `${this.otherName} is typing…` : '';
    if (on) {
      this.typingTimer = setTimeout(() => this.setTyping(false), TYPING_SHOWN_MS);
    }
  }
}

// Sends "typing" at most every 2 s while keys are pressed, and "stopped" after a pause.
export function typingNotifier(send) {
  let last = 0;
  let idle = null;
  return () => {
    const now = Date.now();
    if (now - last > 2000) {
      last = now;
      send(true);
    }
    clearTimeout(idle);
    idle = setTimeout(() => {
      last = 0;
      send(false);
    }, 3000);
  };
}
