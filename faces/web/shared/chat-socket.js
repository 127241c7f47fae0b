// One participant's connection to chat over WebSocket: frames are ChannelPacket in the proto3
// JSON mapping of libraries/chat-api/.../chat.proto (64-bit numbers arrive as strings). The
// session token travels as the subprotocol "bearer.<token>", never in the URL. After a drop
// (a chat instance gone, a 4429 for reading too slowly) it joins again, on the next chat URL,
// resuming after the last seq it has, and sends again the texts not yet acknowledged: chat
// stores a text once per clientMsgId, so nothing is lost and nothing doubles.
import { randomId, sleep } from './api.js';

const SUBPROTOCOL = 'meshdesk.chat.v1';
const PATH = '/chat/v1/connect';
// Close codes chat ends a stream with for good (44xx read like HTTP statuses); others reconnect.
const FINAL = new Set([4400, 4401, 4403, 4404, 4409, 4416]);

export class ChatSocket {
  constructor({ urls, token, sessionId, participantId, role, onPacket, onState = () => {}, onEnd = () => {},
    renew = null }) {
    // renew: async () => a fresh session token (routing's session-token); session tokens are short-lived.
    Object.assign(this, { urls, token, sessionId, participantId, role, onPacket, onState, onEnd, renew });
    this.lastSeq = 0;
    this.unacked = new Map();
    this.urlIndex = 0;
    this.ws = null;
    this.ended = false;
    this.pause = 300;
  }

  start(resumeAfter = 0) {
    this.lastSeq = resumeAfter;
    this.connect();
    return this;
  }

  connect() {
    if (this.ended) {
      return;
    }
    const url = this.urls[this.urlIndex % this.urls.length] + PATH;
    const ws = new WebSocket(url, [SUBPROTOCOL, `bearer.${this.token}`]);
    this.ws = ws;
    this.onState('connecting');
    ws.onopen = () => {
      this.pause = 300;
      this.send({
        sessionId: this.sessionId,
        join: { participantId: this.participantId, role: this.role, resumeAfterSeq: String(this.lastSeq) },
      });
      for (const [clientMsgId, text] of this.unacked) {
        this.send({ text: { text, clientMsgId } });
      }
      this.onState('open');
    };
    ws.onmessage = (message) => {
      const packet = JSON.parse(message.data);
      const seq = Number(packet.seqNum || 0);
      if (seq > this.lastSeq) {
        this.lastSeq = seq;
      }
      if (packet.text && packet.senderId === this.participantId) {
        this.unacked.delete(packet.text.clientMsgId);
      }
      this.onPacket(packet);
    };
    ws.onclose = async (event) => {
      if (this.ws !== ws || this.ended) {
        return;
      }
      if (event.code === 1000) {
        this.finish(null);
        return;
      }
      if (event.code === 4403 && this.renew && /expired/.test(event.reason || '')) {
        try {
          this.token = await this.renew();
          this.connect();
          return;
        } catch (e) {
          this.finish(e);
          return;
        }
      }
      if (FINAL.has(event.code)) {
        this.finish(new Error(event.reason || `chat closed the connection (${event.code})`));
        return;
      }
      // The instance went away or cut a slow reader: try the next one, from where we are.
      this.onState('reconnecting');
      this.urlIndex++;
      await sleep(this.pause);
      this.pause = Math.min(this.pause * 2, 4000);
      this.connect();
    };
  }

  finish(error) {
    this.ended = true;
    this.onState(error ? 'refused' : 'ended');
    this.onEnd(error);
  }

  send(packet) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(packet));
      return true;
    }
    return false;
  }

  /** Sends a text; it stays in unacked until chat echoes it with its seq. */
  text(text) {
    const clientMsgId = randomId('m-');
    this.unacked.set(clientMsgId, text);
    this.send({ text: { text, clientMsgId } });
    return clientMsgId;
  }

  typing(typing) {
    this.send({ typing: { typing } });
  }

  receipt(readUpToSeq) {
    this.send({ receipt: { readUpToSeq: String(readUpToSeq) } });
  }

  close() {
    this.ended = true;
    if (this.ws) {
      this.ws.close(1000, 'page closed the chat');
    }
  }
}
